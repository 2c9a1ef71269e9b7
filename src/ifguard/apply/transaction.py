"""The guarded-apply state machine: arm, write, reload, probe, then confirm or roll back.

Order matters; at every instant one of these holds (the fault-injection test checks it):

* the record is absent or ARMED: nothing has been written, the files are the old ones;
* the record is APPLIED/ROLLING_BACK: a guardian (or, after a reboot, the boot check) will
  restore the snapshot; the record says APPLIED *before* the first byte is written;
* the record is final (CONFIRMED, ROLLED_BACK...) and moved to ``txn/<ID>/result.json``.

Each file is replaced atomically (``atomic_write``), so a file on disk is always either its
old or its new content. State changes happen under the state-dir lock; long work (reload,
probes) happens outside it, and every step re-reads the record, so ``ifguard confirm`` or
``ifguard rollback`` from another session always wins cleanly.

The parts: ``env`` (what every step works with, ``update``), ``targets`` (the files put in
place), ``reloading`` (the commands, from the running code only), ``rollback``; this module
is the sequence, and re-exports them.
"""

from __future__ import annotations

from collections.abc import Callable

from ifguard.apply.env import ApplyError, Commands, Env, update
from ifguard.apply.reloading import PREVIOUS, reload, reload_argv
from ifguard.apply.rollback import recover_stale, rollback
from ifguard.apply.targets import remove_temp_files, write_targets
from ifguard.store import record as rec
from ifguard.store.record import Transaction

__all__ = [
    "PREVIOUS",
    "ApplyError",
    "Commands",
    "Env",
    "apply_candidate",
    "confirm",
    "last_result",
    "recover_stale",
    "reload",
    "reload_argv",
    "remove_temp_files",
    "rollback",
    "settle",
    "update",
    "wait_final",
    "write_targets",
]


def apply_candidate(env: Env, txn: Transaction) -> Transaction | None:
    """ARMED -> APPLIED: write, reload, probe. Returns the record after probing, or None when
    the transaction was taken over (rolled back or confirmed elsewhere) meanwhile."""
    now = env.clock.now()
    started = update(
        env,
        txn.id,
        frozenset({rec.ARMED}),
        lambda t: t.with_log(
            now,
            "writing candidate",
            state=rec.APPLIED,
            phase="writing",
            phase_since=now,
            deadline=now + t.timeout,
        ),
    )
    if started is None:
        return None
    write_targets(started, "after")
    env.event("apply-written", started)
    now = env.clock.now()
    reloading = update(
        env,
        txn.id,
        frozenset({rec.APPLIED}),
        lambda t: t.with_log(now, "reloading", phase="reloading", phase_since=now),
    )
    if reloading is None:
        return None
    env.say(f"reloading: {' && '.join(' '.join(c) for c in env.reload_cmd) or '(nothing)'}")
    ok, why = reload(env, reloading)
    now = env.clock.now()
    # the record first, then the line: whoever reads "reload finished" (a person, a test, the
    # guardian's log) finds the confirmation window already counted from here, even if this
    # process dies right after saying it
    probing = update(
        env,
        txn.id,
        frozenset({rec.APPLIED}),
        lambda t: t.with_log(
            now,
            "reload ok" if ok else f"reload failed: {why}",
            phase="probing",
            phase_since=now,
            deadline=now + t.timeout,
        ),
    )
    if probing is None:
        return None
    env.say(
        f"reload finished after {now - reloading.phase_since:.1f} s"
        + ("" if ok else " with errors")
    )
    if not ok:
        env.say(f"reload failed: {why}")
    report = env.probe()
    env.say(f"probes: {report.summary()}")
    if env.history is not None and probing.candidate_version is not None:
        env.history.record_probes(probing.candidate_version, report.to_record())
    now = env.clock.now()
    probed = update(
        env,
        txn.id,
        frozenset({rec.APPLIED}),
        lambda t: t.with_log(
            now,
            report.summary(),
            phase="waiting",
            phase_since=now,
            probes=report.to_record(),
            deadline=max(t.deadline, now + t.timeout),
            reload_error=why,
        ),
    )
    if probed is None:
        return None
    if not report.healthy:
        return rollback(
            env,
            txn.id,
            (f"reload failed ({why}) and " if not ok else "")
            + f"probes failed after reload: {report.summary()}",
        )
    if not ok and not report.results:
        return rollback(env, txn.id, f"reload failed: {why} (no probes to show the network works)")
    if not ok:  # ifupdown2 exits 1 for many non-fatal problems: the probes decide
        env.say("the reload reported errors but the probes are green")
    return probed


def settle(env: Env, txn: Transaction, seconds: float, interval: float = 2.0) -> Transaction:
    """--auto-confirm: keep probing for ``seconds``; all green -> confirm, else roll back."""
    end = env.clock.now() + seconds
    while True:
        current = env.state.read()
        if current is None or current.id != txn.id or current.state != rec.APPLIED:
            return current or txn
        if env.clock.now() >= end:
            return confirm(env, txn.id, "probes green for the settle period") or txn
        env.clock.sleep(min(interval, max(0.0, end - env.clock.now())))
        report = env.probe()
        if not report.healthy:
            env.say(f"probes: {report.summary()}")
            return rollback(env, txn.id, f"probes failed while settling: {report.summary()}")


def confirm(env: Env, txn_id: str, why: str = "confirmed") -> Transaction | None:
    now = env.clock.now()
    done = update(
        env,
        txn_id,
        frozenset({rec.APPLIED}),
        lambda t: t.with_log(now, why, state=rec.CONFIRMED, phase="", outcome=why, finished=now),
    )
    if done is None:
        return None
    if done.boot_cut:  # it works now, and the next boot would cut the management path
        env.say(
            f"not recorded as known-good: at the next boot the management path would not "
            f"come up ({done.boot_cut})"
        )
    elif env.history is not None and done.candidate_version is not None:
        env.history.mark_known_good(done.candidate_version)
    extra = {"not_known_good": done.boot_cut} if done.boot_cut else {}
    env.event("apply-confirmed", done, reason=why, **extra)
    return done


def wait_final(
    env: Env,
    txn_id: str,
    *,
    poll: float = 0.5,
    on_tick: Callable[[Transaction], bool] | None = None,
) -> Transaction | None:
    """Wait until the transaction is over (confirmed or rolled back by anyone). ``on_tick``
    may return True to confirm (e.g. the operator pressed Enter)."""
    while True:
        current = env.state.read()
        if current is None or current.id != txn_id:
            return last_result(env, txn_id)
        if on_tick is not None and on_tick(current):
            return confirm(env, txn_id, "confirmed by the operator") or last_result(env, txn_id)
        env.clock.sleep(poll)


def last_result(env: Env, txn_id: str) -> Transaction | None:
    path = env.state.txn_dir(txn_id) / "result.json"
    try:
        return Transaction.from_json(path.read_bytes())
    except (OSError, ValueError):
        return None
