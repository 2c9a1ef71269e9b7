"""``ifguard apply``/``restore`` end to end: lint gate, plan, transaction, confirmation."""

from __future__ import annotations

import argparse
import contextlib
import select
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ifguard.apply import context as ctx
from ifguard.apply import record as rec
from ifguard.apply.begin import Request, begin
from ifguard.apply.guardian import choose_spawner, guard, guardian_argv
from ifguard.apply.record import Transaction
from ifguard.apply.transaction import (
    ApplyError,
    Env,
    apply_candidate,
    rollback,
    settle,
    wait_final,
)
from ifguard.config.source import DEFAULT_INTERFACES, PROXMOX_PENDING
from ifguard.lint.engine import Result
from ifguard.network import plan
from ifguard.network.probe import check_targets
from ifguard.network.state import state_from_config
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


def lint_gate(args: argparse.Namespace, root: Path, path: Path) -> tuple[Result, int, int]:
    """Lint the candidate; refuse on errors unless --force. Returns (result, errors, warns)."""
    from ifguard.config.diagnostic import Severity
    from ifguard.config.settings import Settings
    from ifguard.lint.engine import lint_paths
    from ifguard.lint.report import text

    result = lint_paths([path], Root(root), Settings(), dialect=args.dialect)
    errors = result.errors
    warnings = sum(d.severity is Severity.WARNING for d in result.diagnostics)
    if result.diagnostics:
        sys.stdout.write(
            text.render(result.diagnostics, result.loaded.documents, color=False, quiet=False)
        )
    if errors and not args.force:
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


def candidate_files(result: Result, root: Path, main: Path) -> dict[str, bytes]:
    """The candidate as the host will read it: main file at /etc/network/interfaces."""
    r = Root(root)
    docs = result.loaded.documents
    files: dict[str, bytes] = {}
    for doc in docs:
        p = Path(doc.path)
        key = DEFAULT_INTERFACES if p == main else r.system_path(p)
        if p.exists():
            files[key] = p.read_bytes()
    return files


def run_guardian(args: argparse.Namespace) -> int:
    env = ctx.make_env(args)
    txn = env.state.read()
    if txn is None or txn.id != args.guardian:
        return 0
    env.probe = ctx.prober_for(env, txn)
    return guard(env, args.guardian)


def transact(args: argparse.Namespace, cand: Candidate, *, source: str = "apply") -> int:
    root = ctx.root_of(args)
    check_targets(args.probe or ())
    result, errors, warnings = lint_gate(args, root, cand.lint_path)
    config = result.config
    dialect = str(result.dialect)
    ssh = ctx.ssh_of_environment()
    after = state_from_config(config)
    before, against = ctx.before_state(root, after, args.against)
    the_plan = plan.compare(before, after, ssh=ssh)
    sys.stdout.write(plan.render(the_plan, against=against))
    touched = the_plan.touches_management
    # nobody to confirm (watch --self-heal restoring the known-good version): probes decide
    unattended = bool(getattr(args, "unattended", False))
    auto = bool(args.auto_confirm) and (unattended or not touched)
    if args.auto_confirm and touched and unattended:
        out(
            "ifguard: the change touches the management path; --unattended: confirmed by "
            "the probes alone"
        )
    elif args.auto_confirm and touched:
        out(
            "ifguard: --auto-confirm ignored: the change touches the management path; "
            "confirm with `ifguard confirm` (from any session) once you can still log in"
        )
    current = ctx.current_files(root)
    ctx.check_writable(root, list(cand.changes))
    env = ctx.make_env(args)
    reload_cmd = ctx.reload_commands(dialect, args.reload_cmd)
    req = Request(
        root=root,
        changes=cand.changes,
        timeout=args.timeout,
        reload_cmd=reload_cmd,
        reload_timeout=args.reload_timeout,
        auto_confirm=auto,
        management_touched=touched,
        snapshot_files=current,
        candidate_files=cand.files or candidate_files(result, root, cand.lint_path),
        candidate_lint=(errors, warnings),
        source=source,
        probe_targets=tuple(args.probe or ()),
        probe_timeout=args.probe_timeout,
        probes_enabled=not args.no_probes,
        ssh=ssh,
    )
    state_dir = ctx.state_dir_of(args)
    spawner = choose_spawner(state_dir, args.spawner)
    try:
        txn = begin(env, req, spawner, lambda i: guardian_argv(i, state_dir, str(root)))
    except ApplyError as exc:
        raise UsageError(str(exc)) from None
    env.probe = ctx.prober_for(env, txn)
    out(
        f"ifguard: transaction {txn.id}: guardian armed ({spawner.kind}, pid "
        f"{txn.guardian_pid}); without confirmation the change is rolled back "
        f"{args.timeout:g} s after the reload"
    )
    try:
        applied = apply_candidate(env, txn)
        final = finish(args, env, txn.id, applied, auto)
    except KeyboardInterrupt:
        out("ifguard: interrupted: rolling back now")
        final = rollback(env, txn.id, "interrupted by the operator")
    return report(final, txn.id)


def finish(
    args: argparse.Namespace, env: Env, txn_id: str, applied: Transaction | None, auto: bool
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
            f"ifguard: probes green; confirming automatically after {args.settle:g} s of "
            "green probes"
        )
        return settle(env, applied, args.settle)
    deadline = time.strftime("%H:%M:%S", time.localtime(applied.deadline))
    out(
        f"ifguard: change applied; keep it with `ifguard confirm` before {deadline} "
        f"(from this or any other session){', or press Enter here' if _tty() else ''}; "
        "otherwise it is rolled back"
    )
    if args.no_wait:
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


def pending_candidate(args: argparse.Namespace) -> Candidate | None:
    root = ctx.root_of(args)
    r = Root(root)
    if args.candidate:
        path = Path(args.candidate)
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
        return Candidate({DEFAULT_INTERFACES: path.read_bytes()}, path, str(path))
    pending = r.path(PROXMOX_PENDING)
    if not pending.is_file():
        return None
    return Candidate(
        {DEFAULT_INTERFACES: pending.read_bytes(), PROXMOX_PENDING: None}, pending, PROXMOX_PENDING
    )


def run_apply(args: argparse.Namespace) -> int:
    if args.guardian:
        return run_guardian(args)
    cand = pending_candidate(args)
    if cand is None:
        out(f"ifguard: nothing to apply: no candidate given and no pending {PROXMOX_PENDING}")
        return 0
    return guarded(args, cand, "apply")


def guarded(args: argparse.Namespace, cand: Candidate, source: str) -> int:
    try:
        return transact(args, cand, source=source)
    except Refused as exc:
        print(f"ifguard: refused: {exc}", file=sys.stderr, flush=True)
        return 1
