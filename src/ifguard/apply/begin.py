"""Opening a transaction: snapshot, pending record, guardian armed and seen alive.

Nothing is written to the network configuration here; ``transaction.apply_candidate`` does
that, and only once this returns (the guardian is running).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ifguard.apply.guardian import Spawner
from ifguard.apply.transaction import ApplyError, Env, recover_stale, rollback
from ifguard.store import record as rec
from ifguard.store.record import APPLY_TIMEOUTS, Target, Timeouts, Transaction
from ifguard.store.statedir import save_blob
from ifguard.system.process import process_alive
from ifguard.system.readfile import describe, read_regular
from ifguard.system.root import Root


@dataclass(frozen=True)
class Request:
    root: Root
    changes: Mapping[str, bytes | None]  # system path -> new content (None: remove)
    timeouts: Timeouts = APPLY_TIMEOUTS  # confirm (after the cluster cap), reload, probe
    auto_confirm: bool = False
    management_touched: bool = False
    boot_cut: str = ""  # the candidate's boot would not bring the management path up: why
    snapshot_files: Mapping[str, bytes] | None = None  # whole current config, for history
    snapshot_lint: tuple[int, int] = (0, 0)  # errors, warnings
    candidate_files: Mapping[str, bytes] | None = None  # whole candidate config
    candidate_lint: tuple[int, int] = (0, 0)
    source: str = "apply"  # history source of the candidate
    probe_targets: tuple[str, ...] = ()
    probes_enabled: bool = True
    ssh: tuple[str, str] | None = None
    # what to restore instead of the files on disk (a reload someone else started: the
    # new files are already in place; the way back is the last known-good version)
    previous: Mapping[str, bytes | None] | None = None
    message: str = ""  # -m MESSAGE, for the history
    by: str = ""  # who asked (the login behind sudo), for the history


def sha256(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


def new_id(now: float) -> str:
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime(now)) + "-" + os.urandom(3).hex()


def _read_before(path: Path, root: Root) -> bytes | None:
    """A target's content before the change (None: it does not exist), bounded."""
    try:
        return read_regular(path, follow=root.follow_symlinks)[0]
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ApplyError(f"{path}: cannot snapshot: {describe(exc)}") from None


def pending_conflict(txn: Transaction) -> ApplyError:
    alive = process_alive(txn.guardian_pid, txn.guardian_ticks)
    return ApplyError(
        f"transaction {txn.id} is still open ({txn.state}, guardian "
        f"{'running' if alive else 'NOT running'}): run `ifguard confirm` to keep it or "
        "`ifguard rollback` to undo it first"
    )


def begin(
    env: Env,
    req: Request,
    spawner: Spawner,
    guardian_argv: Callable[[str], Sequence[str]],
    *,
    ready_timeout: float = 15.0,
    late_guardian_ok: bool = False,
) -> Transaction:
    """Arm a transaction and start its guardian. ``late_guardian_ok`` (a reload already in
    place, whose caller stays to probe and roll back): a guardian that has not reported in
    by ``ready_timeout`` does not end the transaction - the caller guards alone until it
    does (on a loaded host its start can take longer than the reload)."""
    root = req.root
    env.state.ensure()
    stale = recover_stale(env)
    if stale is not None:
        raise pending_conflict(stale)
    now = env.clock.now()
    txn_id = new_id(now)
    directory = env.state.txn_dir(txn_id)
    targets: list[Target] = []
    for n, (system_path, after) in enumerate(req.changes.items()):
        real = root.path(system_path)
        before: bytes | None
        if req.previous is not None:
            before = req.previous.get(system_path)
        elif req.snapshot_files is not None and system_path in req.snapshot_files:
            before = req.snapshot_files[system_path]  # read once, when the snapshot was taken
        else:
            before = _read_before(real, root)
        targets.append(
            Target(
                path=str(real),
                system_path=system_path,
                before=None if before is None else save_blob(directory / "before", str(n), before),
                after=None if after is None else save_blob(directory / "after", str(n), after),
                before_hash=sha256(before),
                after_hash=sha256(after),
            )
        )
    snapshot_version = candidate_version = None
    if env.history is not None:
        if req.snapshot_files is not None:
            snapshot_version = env.history.record_version(
                req.snapshot_files,
                source="snapshot",
                errors=req.snapshot_lint[0],
                warnings=req.snapshot_lint[1],
            )
        if req.candidate_files is not None:
            candidate_version = env.history.record_version(
                req.candidate_files,
                source=req.source,
                errors=req.candidate_lint[0],
                warnings=req.candidate_lint[1],
            )
    digest = hashlib.sha256()
    for t in targets:
        digest.update(f"{t.system_path}\0{t.after_hash}\0".encode())
    txn = Transaction(
        id=txn_id,
        created=now,
        timeout=req.timeouts.confirm,
        deadline=now + req.timeouts.confirm,
        state=rec.ARMED,
        root=str(req.root.prefix),
        targets=tuple(targets),
        candidate_hash=digest.hexdigest(),
        snapshot_version=snapshot_version,
        candidate_version=candidate_version,
        reload_timeout=req.timeouts.reload,
        auto_confirm=req.auto_confirm,
        management_touched=req.management_touched,
        boot_cut=req.boot_cut,
        apply_pid=env.pid,
        apply_ticks=env.ticks,
        guardian_kind=spawner.kind,
        probe_targets=req.probe_targets,
        probe_timeout=req.timeouts.probe,
        probes_enabled=req.probes_enabled,
        ssh=req.ssh,
        log=(f"{now:.3f} armed",),
    )
    with env.state.locked():
        current = env.state.read()
        if current is not None and current.open:
            raise pending_conflict(current)
        env.state.write(txn)
    env.event(
        "apply-started",
        txn,
        snapshot_version=snapshot_version,
        files=[t.system_path for t in targets],
        guardian=spawner.kind,
        source=req.source,
        **({"message": req.message} if req.message else {}),
        **({"by": req.by} if req.by else {}),
    )
    try:
        spawner.spawn(guardian_argv(txn_id))
    except (ApplyError, OSError) as exc:
        rollback(env, txn_id, f"guardian could not be started: {exc}")
        raise ApplyError(f"guardian could not be started: {exc}") from None
    return wait_guardian(env, txn_id, ready_timeout, late_ok=late_guardian_ok)


def wait_guardian(
    env: Env, txn_id: str, ready_timeout: float, *, late_ok: bool = False
) -> Transaction:
    end = env.clock.now() + ready_timeout
    while True:
        current = env.state.read()
        if current is None or current.id != txn_id or not current.open:
            raise ApplyError(f"transaction {txn_id} was closed before it started")
        if current.guardian_pid and process_alive(current.guardian_pid, current.guardian_ticks):
            return current
        if env.clock.now() >= end and late_ok:
            env.say(
                f"the guardian has not reported in within {ready_timeout:g} s: this process "
                "guards the reload (probes, rollback) until it does"
            )
            return current
        if env.clock.now() >= end:
            rollback(env, txn_id, "the guardian did not report in")
            raise ApplyError(
                f"the guardian did not start within {ready_timeout:g} s; nothing was changed"
            )
        env.clock.sleep(0.05)
