"""One guarded change: ``ifguard apply``, ``restore``, ``reload`` and the watcher's self-heal
(through ``restore``) all run ``guarded_change`` over one frozen ``ApplyRequest`` (with one
``Timeouts``) and its ``Candidate``, in one ``World`` (runner, clock, prober, output, alert
sink, guardian spawner) that tests replace with the fakes of tests/fakes.py. The steps:

1. lint gate (``gate.py``): the candidate linted with the host's settings and NICs, refused
   on errors unless --force; each file read once, the bytes linted are the bytes written;
2. the way back: the files on disk (read once), or for a candidate already in place (a
   reload) the last known-good version (none, or the same: the reload runs unguarded);
3. the plan (what changes, whether the management path is touched) and the decisions:
   auto-confirm, the deadline capped for HA resources, the reload command;
4. the transaction: snapshot, guardian armed, write, reload, probes (``transaction.py``);
5. confirmation: settle (auto-confirm), the operator, or the deadline; on a rollback the
   alert sink is told.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Mapping
from dataclasses import replace
from typing import NamedTuple

from ifguard.apply import context as ctx
from ifguard.apply.begin import Request, begin
from ifguard.apply.gate import lint_gate, linted_files, warnings
from ifguard.apply.guardian import choose_spawner, guardian_argv
from ifguard.apply.reloading import require_reload
from ifguard.apply.request import ApplyRequest, Candidate
from ifguard.apply.transaction import (
    ApplyError,
    Env,
    apply_candidate,
    confirm,
    rollback,
    settle,
    wait_final,
)
from ifguard.apply.world import Outcome, World
from ifguard.config.cluster import Cluster
from ifguard.config.model import Config
from ifguard.config.ondisk import OnDisk, of_loaded, on_disk
from ifguard.config.source import DEFAULT_INTERFACES
from ifguard.lint.engine import Result
from ifguard.network import plan
from ifguard.network.cluster import cap_timeout, cluster_of
from ifguard.network.probe import check_targets
from ifguard.network.state import state_from_config
from ifguard.store import record as rec
from ifguard.store.record import Transaction
from ifguard.system.errors import UsageError


class _Change(NamedTuple):
    """What the transaction writes and keeps: decided before it opens."""

    changes: dict[str, bytes | None]  # system path -> new content (None: remove)
    previous: Mapping[str, bytes | None] | None  # the way back if not the files on disk
    snapshot: Mapping[str, bytes]  # the current configuration, for the history
    candidate: Mapping[str, bytes]  # the whole candidate, for the history
    touched: bool  # the management path changes
    way_back: str


def guarded_change(req: ApplyRequest, cand: Candidate, world: World) -> Outcome:
    """See the module docstring. Raises ``gate.Refused`` (lint errors) and ``UsageError``
    (``gate.GateFailed`` when the gate could not run)."""
    root = req.root
    check_targets(req.probes)
    require_reload(root, req.reload_cmd)
    result = None if req.gated and cand.in_place else lint_gate(req, cand, world.lint_report)
    if cand.in_place and result is not None:
        current = of_loaded(result.loaded, root)  # the files in place, as linted
    else:
        current = on_disk(root)
    env = world.env(req)
    ssh = ctx.ssh_of_environment()
    cluster = cluster_of(root, current.config)
    if cand.in_place:
        change = _in_place(env, current)
        if isinstance(change, str):
            env.say(change)
            return Outcome(plain=_run_plain(req, world))
    else:
        assert result is not None and cand.lint_path is not None
        linted = linted_files(result, req, cand.lint_path)
        change = _Change(
            {**cand.changes, DEFAULT_INTERFACES: linted[DEFAULT_INTERFACES]},
            None,
            current.files,
            dict(cand.files) if cand.files is not None else linted,
            _plan(req, result, current, cluster, ssh, world),
            "the previous files",
        )
        ctx.check_writable(root, list(change.changes))
    auto = req.auto_confirm and (req.unattended or not change.touched)
    if not auto and cand.source == "restore" and req.probes_enabled:
        auto = _red_before(req, ssh, world)
    timeout, capped = cap_timeout(cluster, req.timeouts.confirm)
    if capped:
        env.say(capped)
    env.reload_cmd = req.reload_cmd or ctx.RELOAD[str(result.dialect) if result else "ifupdown2"]
    opening = Request(
        root=root,
        changes=change.changes,
        timeouts=replace(req.timeouts, confirm=timeout),
        auto_confirm=auto,
        management_touched=change.touched,
        boot_cut=_boot_cut(result.config if result else current.config, req, ssh),
        snapshot_files=change.snapshot,
        candidate_files=change.candidate,
        candidate_lint=(0, 0) if result is None else (result.errors, warnings(result)),
        source=cand.source,
        probe_targets=req.probes,
        probes_enabled=req.probes_enabled,
        ssh=ssh,
        previous=change.previous,
        message=req.message,
        by=ctx.who(),
    )
    spawner = (
        world.spawner(env, req) if world.spawner else choose_spawner(req.state_dir, req.spawner)
    )
    try:
        txn = begin(
            env,
            opening,
            spawner,
            lambda i: guardian_argv(i, req.state_dir, root, env.reload_cmd),
            late_guardian_ok=cand.in_place,
        )
    except ApplyError as exc:
        if cand.in_place:  # a guard that cannot guard must not block the reload
            env.say(f"cannot guard this reload ({exc}): reloading without a way back")
            return Outcome(plain=_run_plain(req, world))
        raise UsageError(str(exc)) from None
    env.probe = world.prober(env, txn)
    if cand.in_place:
        env.say(
            f"guarded reload {txn.id}: back to {change.way_back} if the probes fail "
            + (f"(guardian pid {txn.guardian_pid})" if txn.guardian_pid else "(guardian starting)")
        )
    else:
        world.out(
            f"ifguard: transaction {txn.id}: guardian armed ({spawner.kind}, pid "
            f"{txn.guardian_pid}); without confirmation the change is rolled back "
            f"{timeout:g} s after the reload"
        )
    try:
        applied = apply_candidate(env, txn)
        final = _confirmation(req, env, txn.id, applied, auto, world)
    except KeyboardInterrupt:
        world.out("ifguard: interrupted: rolling back now")
        final = rollback(env, txn.id, "interrupted by the operator")
    outcome = Outcome(final, txn.id, way_back=change.way_back)
    _alert(outcome, cand, world)
    return outcome


def _red_before(req: ApplyRequest, ssh: tuple[str, str] | None, world: World) -> bool:
    """A restore from a broken state (the probes red before it) is kept once they are green,
    with or without --auto-confirm, on the management path too: going back would put the
    broken files back, and whoever followed the advice may not be there to confirm."""
    report = world.before(req, ssh)()
    if report.healthy:
        return False
    world.out(
        f"ifguard: the probes are red before this restore ({report.summary()}): it is kept "
        f"as soon as they are green for {req.timeouts.settle:g} s (going back would put the "
        "broken files back)"
    )
    return True


def _in_place(env: Env, current: OnDisk) -> _Change | str:
    """A candidate already in place: the way back is the last known-good version (or why
    there is none to go back to)."""
    assert env.history is not None
    good = env.history.last_known_good()
    if good is None:
        return (
            "no known-good configuration in the history yet (`ifguard apply`, the watcher and "
            "the boot check record them): lint gate only, reloading without a way back"
        )
    if dict(good.files) == current.files:
        return f"the configuration is the known-good version {good.id}: reloading"
    both = {*good.files, *current.files}
    return _Change(
        {p: current.files.get(p) for p in both},
        dict(good.files),
        dict(good.files),
        current.files,
        True,  # nobody planned it: assume the worst
        f"known-good version {good.id}",
    )


def _boot_cut(config: Config, req: ApplyRequest, ssh: tuple[str, str] | None) -> str:
    """Why the candidate's next boot would not bring the management path up ("" when it
    would): such a version is never recorded as known-good (docs/boot.md)."""
    from ifguard.config.bootpath import boot_path
    from ifguard.lint.engine import inventory

    path = boot_path(config, inventory(req.root), ssh)
    return "; ".join(b.message for b in path.breaks)


def _run_plain(req: ApplyRequest, world: World) -> int:
    """The reload commands without a guard, with the caller's stdio (``ifguard reload``)."""
    if world.run_plain is None or not req.reload_cmd:
        raise UsageError("nothing to guard and no reload command to run")
    rc = 0
    for argv in req.reload_cmd:
        rc = world.run_plain(argv)
        if rc:
            break
    return rc


def _plan(
    req: ApplyRequest,
    result: Result,
    current: OnDisk,
    cluster: Cluster,
    ssh: tuple[str, str] | None,
    world: World,
) -> bool:
    """Print the plan; whether it touches the management path (and what that means)."""
    after = state_from_config(result.config)
    before, against = ctx.before_state(
        req.root, after, req.against, world.runner, current=state_from_config(current.config)
    )
    from ifguard.lint.engine import inventory
    from ifguard.network.nextboot import next_boot

    boot = next_boot(result.config, before, inventory=inventory(req.root), admin=ssh)
    the_plan = plan.compare(before, after, ssh=ssh, cluster=cluster, boot=boot)
    text = plan.render(the_plan, against=against)
    if text:
        world.out(text.rstrip("\n"))
    touched = the_plan.touches_management
    if req.auto_confirm and touched and req.unattended:
        world.out(
            "ifguard: the change touches the management path; --unattended: confirmed by "
            "the probes alone"
        )
    elif req.auto_confirm and touched:
        world.out(
            "ifguard: --auto-confirm ignored: the change touches the management path; "
            "confirm with `ifguard confirm` (from any session) once you can still log in"
        )
    return touched


def _confirmation(
    req: ApplyRequest,
    env: Env,
    txn_id: str,
    applied: Transaction | None,
    auto: bool,
    world: World,
) -> Transaction | None:
    if applied is None or applied.state != rec.APPLIED:
        if applied is not None and not applied.open:
            return applied
        world.out(
            "ifguard: the transaction was taken over (confirmed or rolled back elsewhere); "
            "waiting for its outcome"
        )
        return wait_final(env, txn_id)
    if auto and applied.auto_confirm:
        seconds = req.timeouts.settle
        if seconds <= 0:
            done = confirm(env, txn_id, "probes green after the reload")
            return done or wait_final(env, txn_id)
        world.out(
            f"ifguard: probes green; confirming automatically after {seconds:g} s of green probes"
        )
        return settle(env, applied, seconds)
    deadline = time.strftime("%H:%M:%S", time.localtime(applied.deadline))
    world.out(
        f"ifguard: change applied; keep it with `ifguard confirm` before {deadline} "
        f"(from this or any other session){', or press Enter here' if world.on_tick else ''}; "
        "otherwise it is rolled back"
    )
    if not req.wait:
        return applied
    return wait_final(env, txn_id, on_tick=world.on_tick)


def _alert(outcome: Outcome, cand: Candidate, world: World) -> None:
    """Tell the alert sink when the change was rolled back (or the rollback failed)."""
    final = outcome.txn
    if final is None or final.open or final.state in (rec.CONFIRMED, rec.ABORTED):
        return
    state = "ROLLED BACK" if final.state == rec.ROLLED_BACK else final.state.upper()
    what = "the reload" if cand.in_place else f"the change ({cand.label})"
    message = f"{what} broke the network ({final.outcome}); {state} to {outcome.way_back}"
    title = f"ifguard: network {'reload' if cand.in_place else 'change'} {state.lower()}"
    delivered = world.alert(title, message)
    if cand.in_place:
        with contextlib.suppress(OSError, ValueError):
            print(
                f"ifguard: {message}" + ("" if delivered else " (alert NOT delivered)"),
                file=sys.stderr,
                flush=True,
            )
