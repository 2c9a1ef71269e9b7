"""``ifguard apply``/``restore`` end to end: lint gate, plan, transaction, confirmation."""

from __future__ import annotations

import contextlib
import select
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ifguard.apply import context as ctx
from ifguard.apply.begin import Request, begin
from ifguard.apply.guardian import choose_spawner, guard, guardian_argv
from ifguard.apply.request import ApplyRequest
from ifguard.apply.transaction import (
    ApplyError,
    Env,
    apply_candidate,
    rollback,
    settle,
    wait_final,
)
from ifguard.config.ondisk import current_files
from ifguard.config.source import DEFAULT_INTERFACES, PROXMOX_PENDING, read_bytes
from ifguard.lint.engine import Result
from ifguard.network import plan
from ifguard.network.cluster import cap_timeout, cluster_of
from ifguard.network.probe import check_targets
from ifguard.network.state import state_from_config
from ifguard.store import record as rec
from ifguard.store.record import Transaction
from ifguard.system.errors import UsageError
from ifguard.system.root import Root


class Refused(Exception):
    """The candidate is not applied (lint errors); exit status 1."""


@dataclass(frozen=True)
class Candidate:
    changes: Mapping[str, bytes | None]  # system path -> content (None: delete)
    lint_path: Path  # the file to lint and plan
    label: str
    files: Mapping[str, bytes] | None = None  # the whole candidate, for the history


def out(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(message, flush=True)


def lint_gate(req: ApplyRequest, path: Path) -> tuple[Result, int, int]:
    """Lint the candidate with the host's settings (``/etc/ifguard/ifguard.toml`` under the
    root) and NICs; refuse on errors unless --force. Returns (result, errors, warnings)."""
    from ifguard.config.diagnostic import Severity
    from ifguard.lint.engine import host_settings, inventory, lint_host
    from ifguard.lint.report import text

    result = lint_host(
        req.root,
        host_settings(req.root),
        paths=[path],
        nics=inventory(req.root),
        dialect=req.dialect,
    ).running
    errors = result.errors
    warnings = sum(d.severity is Severity.WARNING for d in result.diagnostics)
    if result.diagnostics:
        sys.stdout.write(
            text.render(result.diagnostics, result.loaded.documents, color=False, quiet=False)
        )
    if errors and not req.force:
        raise Refused(
            f"{path}: {errors} lint error(s): nothing was changed (fix them, or "
            "--force to apply anyway)"
        )
    if errors:
        print(
            f"ifguard: WARNING: applying {path} DESPITE {errors} lint error(s) (--force)",
            file=sys.stderr,
            flush=True,
        )
    return result, errors, warnings


def candidate_files(result: Result, root: Root, main: Path) -> dict[str, bytes]:
    """The candidate as the host will read it: main file at /etc/network/interfaces."""
    docs = result.loaded.documents
    files: dict[str, bytes] = {}
    for doc in docs:
        p = Path(doc.path)
        key = DEFAULT_INTERFACES if p == main else root.system_path(p)
        files[key] = doc.data  # the bytes lint checked (read once, bounded)
    return files


def run_guardian(state_dir: Path, txn_id: str) -> int:
    """The detached guardian of transaction ``txn_id`` (``ifguard apply --guardian ID``)."""
    env = ctx.make_env(state_dir)
    txn = env.state.read()
    if txn is None or txn.id != txn_id:
        return 0
    env.probe = ctx.prober_for(env, txn)
    # one attempt per call: the guardian decides by itself once the CLI is gone
    quick = ctx.make_prober(
        Root(Path(txn.root)), env.runner, env.clock, txn.probe_targets, txn.ssh, 0.0
    )
    return guard(env, txn_id, quick_probe=quick if txn.probes_enabled else None)


def transact(req: ApplyRequest, cand: Candidate, *, source: str = "apply") -> int:
    root = req.root
    check_targets(req.probes)
    result, errors, warnings = lint_gate(req, cand.lint_path)
    config = result.config
    dialect = str(result.dialect)
    ssh = ctx.ssh_of_environment()
    after = state_from_config(config)
    before, against = ctx.before_state(root, after, req.against)
    cluster = cluster_of(root)
    the_plan = plan.compare(before, after, ssh=ssh, cluster=cluster)
    sys.stdout.write(plan.render(the_plan, against=against))
    touched = the_plan.touches_management
    # nobody to confirm (watch --self-heal restoring the known-good version): probes decide
    unattended = req.unattended
    auto = req.auto_confirm and (unattended or not touched)
    if req.auto_confirm and touched and unattended:
        out(
            "ifguard: the change touches the management path; --unattended: confirmed by "
            "the probes alone"
        )
    elif req.auto_confirm and touched:
        out(
            "ifguard: --auto-confirm ignored: the change touches the management path; "
            "confirm with `ifguard confirm` (from any session) once you can still log in"
        )
    timeout, capped = cap_timeout(cluster, req.timeout)
    if capped:
        out(f"ifguard: {capped}")
    current = current_files(root)
    ctx.check_writable(root, list(cand.changes))
    env = ctx.make_env(req.state_dir)
    reload_cmd = ctx.reload_commands(dialect, req.reload_cmd)
    opening = Request(
        root=root,
        changes=cand.changes,
        timeout=timeout,
        reload_cmd=reload_cmd,
        reload_timeout=req.reload_timeout,
        auto_confirm=auto,
        management_touched=touched,
        snapshot_files=current,
        candidate_files=cand.files or candidate_files(result, root, cand.lint_path),
        candidate_lint=(errors, warnings),
        source=source,
        probe_targets=req.probes,
        probe_timeout=req.probe_timeout,
        probes_enabled=req.probes_enabled,
        ssh=ssh,
    )
    state_dir = req.state_dir
    spawner = choose_spawner(state_dir, req.spawner)
    try:
        txn = begin(env, opening, spawner, lambda i: guardian_argv(i, state_dir, root))
    except ApplyError as exc:
        raise UsageError(str(exc)) from None
    env.probe = ctx.prober_for(env, txn)
    out(
        f"ifguard: transaction {txn.id}: guardian armed ({spawner.kind}, pid "
        f"{txn.guardian_pid}); without confirmation the change is rolled back "
        f"{timeout:g} s after the reload"
    )
    try:
        applied = apply_candidate(env, txn)
        final = finish(req, env, txn.id, applied, auto)
    except KeyboardInterrupt:
        out("ifguard: interrupted: rolling back now")
        final = rollback(env, txn.id, "interrupted by the operator")
    return report(final, txn.id)


def finish(
    req: ApplyRequest, env: Env, txn_id: str, applied: Transaction | None, auto: bool
) -> Transaction | None:
    if applied is None or applied.state != rec.APPLIED:
        if applied is not None and not applied.open:
            return applied
        out(
            "ifguard: the transaction was taken over (confirmed or rolled back elsewhere); "
            "waiting for its outcome"
        )
        return wait_final(env, txn_id)
    if auto and applied.auto_confirm:
        out(
            f"ifguard: probes green; confirming automatically after {req.settle:g} s of "
            "green probes"
        )
        return settle(env, applied, req.settle)
    deadline = time.strftime("%H:%M:%S", time.localtime(applied.deadline))
    out(
        f"ifguard: change applied; keep it with `ifguard confirm` before {deadline} "
        f"(from this or any other session){', or press Enter here' if _tty() else ''}; "
        "otherwise it is rolled back"
    )
    if not req.wait:
        return applied
    return wait_final(env, txn_id, on_tick=_enter_pressed if _tty() else None)


def _tty() -> bool:
    try:
        return sys.stdin.isatty()
    except (OSError, ValueError):
        return False


def _enter_pressed(_txn: Transaction) -> bool:
    try:
        ready, _, _ = select.select([sys.stdin], [], [], 0)
        return bool(ready) and sys.stdin.readline() != ""
    except (OSError, ValueError):
        return False


def report(final: Transaction | None, txn_id: str) -> int:
    if final is None:
        out(f"ifguard: transaction {txn_id}: outcome unknown (see `ifguard status`)")
        return 1
    if final.open:
        out(
            f"ifguard: transaction {final.id} is pending ({final.state}); `ifguard status` shows it"
        )
        return 0
    out(f"ifguard: transaction {final.id}: {final.state}: {final.outcome}")
    return 0 if final.state == rec.CONFIRMED else 1


def pending_candidate(root: Root, candidate: Path | None) -> Candidate | None:
    """The given candidate file, else Proxmox's pending interfaces.new, else None."""
    if candidate is not None:
        path = candidate
        return Candidate({DEFAULT_INTERFACES: read_bytes(path)}, path, str(path))
    pending = root.path(PROXMOX_PENDING)
    if not pending.is_file():
        return None
    data = read_bytes(pending, root)  # bounded: regular file, 16 MiB
    return Candidate({DEFAULT_INTERFACES: data, PROXMOX_PENDING: None}, pending, PROXMOX_PENDING)


def run_apply(req: ApplyRequest, candidate: Path | None) -> int:
    cand = pending_candidate(req.root, candidate)
    if cand is None:
        out(f"ifguard: nothing to apply: no candidate given and no pending {PROXMOX_PENDING}")
        return 0
    return guarded(req, cand, "apply")


def guarded(req: ApplyRequest, cand: Candidate, source: str) -> int:
    try:
        return transact(req, cand, source=source)
    except Refused as exc:
        print(f"ifguard: refused: {exc}", file=sys.stderr, flush=True)
        return 1
