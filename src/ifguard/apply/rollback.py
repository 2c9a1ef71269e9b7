"""Going back: the snapshot restored, reloaded with this process's commands, re-probed and
recorded (``rollback``); and closing what nobody will finish (``recover_stale``)."""

from __future__ import annotations

from ifguard.apply.env import ApplyError, Env, update
from ifguard.apply.reloading import reload
from ifguard.apply.targets import remove_temp_files, write_targets
from ifguard.network.probe_report import ProbeReport
from ifguard.store import record as rec
from ifguard.store.record import Transaction
from ifguard.system.process import process_alive

NOT_RELOADED = "files restored, nothing reloaded (no reload command)"


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
        if env.reload_cmd:
            reloaded, detail = reload(env, taken, previous="after", attempts=3)
            said = f"rollback reload {'ok' if reloaded else 'reported errors: ' + detail}"
            note = "" if reloaded else f"reload: {detail}; "
        else:
            reloaded, said, note = True, NOT_RELOADED, f"{NOT_RELOADED}; "
        report = env.probe()
        # as for the apply: a reload error is judged by the probes
        ok = report.healthy and (reloaded or bool(report.results))
        env.say(f"{said}; probes: {report.summary()}")
        detail = note + report.summary()
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
