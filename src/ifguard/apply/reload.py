"""A reload someone else started, as an unattended transaction (``ifguard reload``, run by
the ifreload wrapper that ``ifguard install --divert-ifreload`` puts at /usr/sbin/ifreload).

Proxmox's GUI "Apply" has already moved ``interfaces.new`` over ``interfaces``, ifupdown2's
postinst or an admin just calls ``ifreload -a``: the new files are in place, so the way back
is the last version the history records as known-good (confirmed by ``ifguard apply``,
recorded by the watcher or the boot check). The steps:

1. lint gate: errors refuse the reload (exit 1, nothing reloaded);
2. no known-good version, or it is what is on disk: nothing to go back to: say so and run
   the real reload unguarded (its exit status is ours);
3. otherwise a transaction whose "before" is the known-good version: guardian armed, the real
   reload, the probes (management path and cluster peers), green -> confirmed at once (only
   the probe time is added), red -> the known-good files restored and reloaded through the
   same real ifreload, an alert, exit 1 with one line saying so.

Time is bounded: reload timeout + probe timeout (+ the same again for a rollback), and the
guardian start waits at most 15 s, so a package's postinst never hangs on it.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ifguard.apply import context as ctx
from ifguard.apply.begin import Request, begin
from ifguard.apply.guardian import choose_spawner, guardian_argv
from ifguard.apply.transaction import ApplyError, Env, apply_candidate, confirm
from ifguard.config.ondisk import current_files
from ifguard.config.source import DEFAULT_INTERFACES
from ifguard.network.cluster import cap_timeout, cluster_of
from ifguard.store import record as rec
from ifguard.system.root import Root

Alert = Callable[[str, str], bool]  # (title, body) -> delivered


@dataclass(frozen=True)
class ReloadRequest:
    root: Root
    state_dir: Path
    command: tuple[str, ...]  # the real ifreload and the caller's arguments
    timeout: float = 120.0  # deadline if this process dies before confirming
    probe_timeout: float = 4.0
    reload_timeout: float = 120.0
    spawner: str = "auto"
    gated: bool = False  # the wrapper's `lint --gate` passed already


def say(message: str) -> None:
    # stderr: the Proxmox GUI shows it in the task log / error message
    with contextlib.suppress(OSError, ValueError):
        print(f"ifguard: {message}", file=sys.stderr, flush=True)


def guarded_reload(
    req: ReloadRequest,
    alert: Alert,
    run_plain: Callable[[Sequence[str]], int],
) -> int:
    """See the module docstring. ``run_plain`` runs the real reload with the caller's stdio
    (the unguarded fall-back); ``alert`` sends the rollback alert."""
    from ifguard.config.diagnostic import Severity
    from ifguard.lint.engine import lint_paths
    from ifguard.lint.settings import Settings

    root = req.root
    main = root.path(DEFAULT_INTERFACES)
    result = None if req.gated else lint_paths([main], root, Settings())
    if result is not None and result.errors:
        from ifguard.lint.report import text

        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(
                text.render(result.diagnostics, result.loaded.documents, color=False, quiet=True)
            )
        with contextlib.suppress(OSError, ValueError):
            print(
                f"ifreload: refused by ifguard: {DEFAULT_INTERFACES} has {result.errors} lint "
                "error(s) (listed above); nothing was reloaded. Fix them (ifguard lint --fix) "
                "or run IFGUARD_FORCE=1 ifreload ...",
                file=sys.stderr,
                flush=True,
            )
        return 1
    warnings = (
        0 if result is None else sum(d.severity is Severity.WARNING for d in result.diagnostics)
    )
    current = current_files(root)
    env = ctx.make_env(req.state_dir, quiet=False)
    assert env.history is not None
    good = env.history.last_known_good()
    if good is None:
        say(
            "no known-good configuration in the history yet (`ifguard apply`, the watcher and "
            "the boot check record them): lint gate only, reloading without a way back"
        )
        return run_plain(req.command)
    if dict(good.files) == current:
        say(f"the configuration is the known-good version {good.id}: reloading")
        return run_plain(req.command)
    cluster = cluster_of(root, None if result is None else result.config)
    timeout, capped = cap_timeout(cluster, req.timeout)
    if capped:
        say(capped)
    changes: dict[str, bytes | None] = {p: current.get(p) for p in {*good.files, *current}}
    request = Request(
        root=root,
        changes=changes,
        timeout=timeout,
        reload_cmd=(req.command,),
        reload_timeout=req.reload_timeout,
        auto_confirm=True,
        management_touched=True,
        snapshot_files=dict(good.files),
        candidate_files=current,
        candidate_lint=(0, warnings),
        source="reload",
        probe_timeout=req.probe_timeout,
        previous=dict(good.files),
        ssh=ctx.ssh_of_environment(),
    )
    spawner = choose_spawner(req.state_dir, req.spawner)
    try:
        txn = begin(env, request, spawner, lambda i: guardian_argv(i, req.state_dir, root))
    except ApplyError as exc:
        say(f"cannot guard this reload ({exc}): reloading without a way back")
        return run_plain(req.command)
    say(
        f"guarded reload {txn.id}: back to known-good version {good.id} if the probes fail "
        f"(guardian pid {txn.guardian_pid})"
    )
    env.probe = ctx.prober_for(env, txn)
    applied = apply_candidate(env, txn)
    return _finish(env, txn.id, good.id, applied, alert)


def _finish(
    env: Env, txn_id: str, good_id: int, applied: rec.Transaction | None, alert: Alert
) -> int:
    if applied is not None and applied.state == rec.APPLIED:
        done = confirm(env, txn_id, "probes green after the reload")
        if done is not None:
            if applied.reload_error:
                say(f"kept, but the reload reported errors: {applied.reload_error}")
                return 1
            say("probes green: kept")
            return 0
    final = env.state.read()
    if final is None or final.id != txn_id:
        from ifguard.apply.transaction import last_result

        final = last_result(env, txn_id)
    if final is None:
        say(f"guarded reload {txn_id}: outcome unknown (see `ifguard status`)")
        return 1
    if final.state == rec.CONFIRMED:
        return 0
    state = "ROLLED BACK" if final.state == rec.ROLLED_BACK else final.state.upper()
    message = (
        f"the reload broke the network ({final.outcome}); {state} to known-good version {good_id}"
    )
    delivered = alert(f"ifguard: network reload {state.lower()}", message)
    say(message + ("" if delivered else " (alert NOT delivered)"))
    return 1
