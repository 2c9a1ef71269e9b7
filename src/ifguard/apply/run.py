"""``ifguard apply``/``restore`` (and the watcher's self-heal, through ``restore``): the
candidate from a file or the history, run through ``pipeline.guarded_change`` with the
terminal as its output; and the detached guardian's entry point."""

from __future__ import annotations

import contextlib
import select
import sys
from pathlib import Path

from ifguard.apply import context as ctx
from ifguard.apply.env import Commands
from ifguard.apply.gate import Refused
from ifguard.apply.guardian import guard
from ifguard.apply.pipeline import guarded_change
from ifguard.apply.reloading import host_reload
from ifguard.apply.request import ApplyRequest, Candidate
from ifguard.apply.world import Outcome, World
from ifguard.config.source import PROXMOX_PENDING
from ifguard.lint.engine import Result
from ifguard.store import record as rec
from ifguard.store.record import Transaction
from ifguard.system.root import Root


def out(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(message, flush=True)


def show_lint(result: Result) -> None:
    """The gate's findings on stdout, before the plan."""
    from ifguard.lint.report import text

    if result.diagnostics:
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.write(
                text.render(result.diagnostics, result.loaded.documents, color=False, quiet=False)
            )


def terminal_world() -> World:
    """The world of a command run by a person: stdout, Enter confirms on a terminal."""
    return World(out=out, lint_report=show_lint, on_tick=_enter_pressed if _tty() else None)


def run_guardian(state_dir: Path, root: Root, txn_id: str, reload_cmd: Commands | None) -> int:
    """The detached guardian of transaction ``txn_id`` (``ifguard apply --guardian ID``):
    ``reload_cmd`` is what the CLI that started it reloads with (its argv); None (a guardian
    started by hand): the dialect's reload of the host."""
    env = ctx.make_env(state_dir, root)
    txn = env.state.read()
    if txn is None or txn.id != txn_id:
        return 0
    env.reload_cmd = reload_cmd if reload_cmd is not None else host_reload(root)[0]
    env.probe = ctx.prober_for(env, txn)
    # one attempt per call: the guardian decides by itself once the CLI is gone
    quick = ctx.make_prober(root, env.runner, env.clock, txn.probe_targets, txn.ssh, 0.0)
    return guard(env, txn_id, quick_probe=quick if txn.probes_enabled else None)


def rollback_pending(
    state_dir: Path,
    root: Root,
    why: str,
    *,
    boot: bool = False,
    world: World | None = None,
    reload_cmd: Commands | None = None,
) -> Transaction | None:
    """``ifguard rollback`` (and the boot check): the pending transaction rolled back now,
    through the same world as the change (its runner reloads, its prober re-probes). None:
    nothing is pending. ``boot``: restore the files only. The reload is ``reload_cmd``
    (``--reload-cmd``), else the dialect's (``reloading.host_reload``) - never the record's."""
    from ifguard.apply.transaction import ApplyError, rollback
    from ifguard.system.errors import UsageError

    world = world or World()
    env = world.env_at(state_dir, root)
    txn = env.state.read()
    if txn is None or not txn.open:
        return None
    if reload_cmd is None and not boot:
        reload_cmd, note = host_reload(root)
        if note:
            env.say(note)
    env.reload_cmd = reload_cmd or ()
    env.probe = world.prober(env, txn)
    try:
        return rollback(env, txn.id, why, boot=boot)
    except ApplyError as exc:
        raise UsageError(str(exc)) from None


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


def exit_status(outcome: Outcome, world: World) -> int:
    """Say how the transaction ended; 0 kept (or pending with --no-wait), 1 otherwise."""
    final = outcome.txn
    if final is None:
        world.out(f"ifguard: transaction {outcome.txn_id}: outcome unknown (see `ifguard status`)")
        return 1
    if final.open:
        world.out(
            f"ifguard: transaction {final.id} is pending ({final.state}); `ifguard status` shows it"
        )
        return 0
    world.out(f"ifguard: transaction {final.id}: {final.state}: {final.outcome}")
    return 0 if final.state == rec.CONFIRMED else 1


def pending_candidate(root: Root, candidate: Path | None) -> Candidate | None:
    """The given candidate file, else Proxmox's pending interfaces.new, else None."""
    if candidate is not None:
        return Candidate(str(candidate), "apply", candidate)
    pending = root.path(PROXMOX_PENDING)
    if not pending.is_file():
        return None
    # the pending file is read once, by the lint gate; its bytes are what is written
    return Candidate(PROXMOX_PENDING, "apply", pending, {PROXMOX_PENDING: None})


def run_apply(req: ApplyRequest, candidate: Path | None, world: World | None = None) -> int:
    cand = pending_candidate(req.root, candidate)
    if cand is None:
        out(f"ifguard: nothing to apply: no candidate given and no pending {PROXMOX_PENDING}")
        return 0
    return guarded(req, cand, world)


def guarded(req: ApplyRequest, cand: Candidate, world: World | None = None) -> int:
    """``apply`` and ``restore``: the guarded change, its outcome said, its exit status."""
    world = world or terminal_world()
    try:
        return exit_status(guarded_change(req, cand, world), world)
    except Refused as exc:
        with contextlib.suppress(OSError, ValueError):
            print(f"ifguard: refused: {exc}", file=sys.stderr, flush=True)
        return 1
