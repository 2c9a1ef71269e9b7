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
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ifguard.apply.probes import Prober, no_probes
from ifguard.network.probe_report import ProbeReport
from ifguard.store import record as rec
from ifguard.store.history import History
from ifguard.store.record import StateDir, Transaction
from ifguard.system.clock import Clock
from ifguard.system.fsutil import atomic_write
from ifguard.system.process import process_alive, start_ticks
from ifguard.system.runner import Runner


class ApplyError(Exception):
    """The transaction cannot go on (another one is pending, the guardian did not start...)."""


@dataclass
class Env:
    runner: Runner
    clock: Clock
    state: StateDir
    history: History | None = None
    probe: Prober = no_probes
    say: Callable[[str], None] = lambda _m: None
    pid: int = field(default_factory=os.getpid)
    ticks: int | None = field(default_factory=lambda: start_ticks(os.getpid()))

    def event(self, kind: str, txn: Transaction, **detail: object) -> None:
        if self.history is not None:
            self.history.record_event(
                kind, {"txn": txn.id, **detail}, version_id=txn.candidate_version
            )


def update(
    env: Env, txn_id: str, expect: frozenset[str], change: Callable[[Transaction], Transaction]
) -> Transaction | None:
    """Apply ``change`` to the pending record if it is ``txn_id`` in one of ``expect`` states;
    returns the new record, or None (and changes nothing) otherwise."""
    with env.state.locked():
        current = env.state.read()
        if current is None or current.id != txn_id or current.state not in expect:
            return None
        new = change(current)
        if new.state in rec.FINAL_STATES:
            env.state.close(new)
        else:
            env.state.write(new)
        return new


def write_targets(txn: Transaction, which: str) -> None:
    """Put every target file in its ``before`` or ``after`` content, each atomically."""
    for t in txn.targets:
        blob = t.before if which == "before" else t.after
        path = Path(t.path)
        if blob is None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            continue
        data = Path(blob).read_bytes()
        with contextlib.suppress(OSError):
            if path.read_bytes() == data:
                continue
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)


PREVIOUS = "{previous}"
# a reload that failed because another one holds the lock is worth retrying
_BUSY_WORDS = ("already running", "lock")


def reload_argv(txn: Transaction, previous: str) -> list[list[str]]:
    """The reload commands with ``{previous}`` replaced by the file that was in force before
    (classic ifupdown's ``ifdown -i FILE`` must deconfigure what the *old* file set up)."""
    first = txn.targets[0] if txn.targets else None
    blob = (first.before if previous == "before" else first.after) if first else None
    return [
        [(blob or "/dev/null") if w == PREVIOUS else w for w in argv] for argv in txn.reload_cmd
    ]


def remove_temp_files(txn: Transaction) -> None:
    """Temporary files of an ``atomic_write`` killed mid-way (``.NAME.XXXX.tmp``; hidden, so
    never read as configuration, but they should not pile up)."""
    for t in txn.targets:
        path = Path(t.path)
        with contextlib.suppress(OSError):
            for leftover in path.parent.glob(f".{path.name}.*.tmp"):
                leftover.unlink()


def reload(
    env: Env, txn: Transaction, *, previous: str = "before", attempts: int = 1, pause: float = 3.0
) -> tuple[bool, str]:
    """Run the reload commands in order; stop at the first failure. A rollback retries a few
    times: an ``ifreload`` orphaned by a killed CLI may still hold ifupdown2's lock.

    The commands run with ``IFGUARD_TXN`` set: the installed ifreload wrapper lets ifguard's
    own reload of an open transaction through (it was gated when the transaction began, and
    a rollback must never be refused); a ``pending.json`` alone lets nothing through."""
    saved = os.environ.get("IFGUARD_TXN")
    os.environ["IFGUARD_TXN"] = txn.id
    try:
        return _reload(env, txn, previous, attempts, pause)
    finally:
        if saved is None:
            os.environ.pop("IFGUARD_TXN", None)
        else:
            os.environ["IFGUARD_TXN"] = saved


def _reload(
    env: Env, txn: Transaction, previous: str, attempts: int, pause: float
) -> tuple[bool, str]:
    why = ""
    for attempt in range(attempts):
        if attempt:
            env.clock.sleep(pause)
        busy = False
        for argv in reload_argv(txn, previous):
            done = env.runner.run(argv, timeout=txn.reload_timeout)
            if not done.ok:
                detail = (done.err or done.out).strip().splitlines()
                why = f"`{' '.join(argv)}` exited {done.rc}" + (f": {detail[-1]}" if detail else "")
                busy = any(_BUSY in line.lower() for line in detail for _BUSY in _BUSY_WORDS)
                break
        else:
            return True, ""
        if not busy:
            break
    return False, why


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
    env.say(f"reloading: {' && '.join(' '.join(c) for c in txn.reload_cmd)}")
    ok, why = reload(env, reloading)
    now = env.clock.now()
    env.say(
        f"reload finished after {now - reloading.phase_since:.1f} s"
        + ("" if ok else " with errors")
    )
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


def rollback(env: Env, txn_id: str, why: str, *, boot: bool = False) -> Transaction:
    """Restore the snapshot, reload, re-probe, record. ``boot``: only restore the files (the
    network is not up yet; networking.service will read the restored files)."""
    now = env.clock.now()
    mine = frozenset({rec.ARMED, rec.APPLIED, rec.ROLLING_BACK})

    def take(t: Transaction) -> Transaction:
        if t.state == rec.ARMED:  # nothing written yet
            return t.with_log(now, f"aborted: {why}", state=rec.ABORTED, outcome=why, finished=now)
        if (
            t.state == rec.ROLLING_BACK
            and t.actor_pid != env.pid
            and process_alive(t.actor_pid, t.actor_ticks)
        ):
            raise ApplyError(
                f"transaction {t.id} is already being rolled back by pid {t.actor_pid}"
            )
        return t.with_log(
            now,
            f"rolling back: {why}",
            state=rec.ROLLING_BACK,
            phase="",
            actor_pid=env.pid,
            actor_ticks=env.ticks,
            outcome=why,
        )

    taken = update(env, txn_id, mine, take)
    if taken is None:
        latest = env.state.read()
        if latest is not None and latest.id == txn_id:
            return latest
        raise ApplyError(f"no open transaction {txn_id}")
    if taken.state == rec.ABORTED:
        env.event("apply-aborted", taken, reason=why)
        return taken
    env.say(f"rolling back: {why}")
    write_targets(taken, "before")
    remove_temp_files(taken)
    ok, detail, report = True, "files restored (boot: no reload)", ProbeReport()
    if not boot:
        reloaded, detail = reload(env, taken, previous="after", attempts=3)
        report = env.probe()
        # as for the apply: a reload error is judged by the probes
        ok = report.healthy and (reloaded or bool(report.results))
        env.say(
            f"rollback reload {'ok' if reloaded else 'reported errors: ' + detail}; "
            f"probes: {report.summary()}"
        )
        detail = ("" if reloaded else f"reload: {detail}; ") + report.summary()
    now = env.clock.now()
    final = rec.ROLLED_BACK if ok else rec.ROLLBACK_FAILED
    done = update(
        env,
        txn_id,
        frozenset({rec.ROLLING_BACK}),
        lambda t: t.with_log(
            now,
            f"{final}: {detail or report.summary()}",
            state=final,
            finished=now,
            rollback_probes=report.to_record(),
        ),
    )
    result = done or taken
    env.event(
        "apply-rolled-back" if ok else "apply-rollback-failed",
        result,
        reason=why,
        probes_ok=report.healthy,
        boot=boot,
    )
    return result


def recover_stale(env: Env) -> Transaction | None:
    """Close what nobody will finish: an ARMED record whose apply process is gone (only that
    process writes, so nothing was or will be written; a guardian still starting finds the
    record closed and exits). Returns the record still open, if any, for the operator
    (`ifguard confirm` / `ifguard rollback`)."""
    current = env.state.read()
    if current is None or not current.open:
        return None
    if current.state == rec.ARMED and not process_alive(current.apply_pid, current.apply_ticks):
        rollback(env, current.id, "apply process gone before writing anything")
        current = env.state.read()
        return current if current is not None and current.open else None
    return current


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
