"""``ifguard rollback``: undo the pending change now."""

from __future__ import annotations

import argparse
from typing import Any

NAME = "rollback"
HELP = "undo the pending change now (restore the snapshot and reload)"
DESCRIPTION = """\
Roll the pending `ifguard apply` back now instead of waiting for its deadline: restore the
files saved before the change (atomically), reload, re-probe, record the outcome.

At boot, before networking starts, the unit installed by `ifguard install` runs
`ifguard rollback --if-pending --boot`: an unconfirmed change interrupted by a reboot is
undone by restoring the files only (networking.service then brings up the old
configuration).

The reload is the dialect's (ifreload -a for ifupdown2, as `ifguard lint` detects it on the
host) or --reload-cmd: never a command read from the state directory, so after a crash of
an `ifguard apply --reload-cmd ...` give the same --reload-cmd here. Under a --root other
than / the files are restored and nothing is reloaded unless --reload-cmd is given (the
dialect's command would reload this host, not DIR).

After networking has started at boot, ifguard-status.service runs
`ifguard rollback --after-boot`: when the files that booted are not the last known-good
version and the probes stay red for --settle seconds (a lint-clean change that cuts the
management network, or Proxmox's interfaces.new moved into place at boot), the known-good
version is restored as a guarded change (kept once the probes are green, else undone) and
`ifguard status`, the console, `ifguard history` and an alert say so.

examples:
  ifguard rollback
  ifguard rollback --if-pending --boot     (boot check; does nothing when nothing is pending)
  ifguard rollback --discard               set a damaged record aside (restores nothing)
  ifguard rollback --after-boot --settle 20   (boot check after networking)

exit status: 0 rolled back (or nothing pending with --if-pending; --after-boot: nothing to
do, or restored and kept), 1 nothing to roll back or the rollback reload failed.
"""


def configure(p: argparse.ArgumentParser) -> None:
    from ifguard.commands.common import add_location_args, seconds

    p.add_argument(
        "--if-pending", action="store_true", help="exit 0 quietly when no transaction is pending"
    )
    p.add_argument(
        "--boot",
        action="store_true",
        help="restore the files only, do not reload or probe (boot check, "
        "ordered before networking)",
    )
    p.add_argument(
        "--discard",
        action="store_true",
        help="set a damaged (or unwanted) pending record aside unread, as "
        "pending.json.discarded-TIME: nothing is restored or reloaded",
    )
    p.add_argument(
        "--reload-cmd",
        metavar="CMD",
        help="reload with CMD instead of the dialect's command (as for `ifguard apply`)",
    )
    p.add_argument(
        "--after-boot",
        action="store_true",
        help="after networking started at boot: restore the last known-good version if the "
        "files that booted are another one and the probes stay red for --settle seconds",
    )
    p.add_argument(
        "--settle",
        type=seconds(),
        default=20.0,
        metavar="SECONDS",
        help="with --after-boot: how long the probes may take to turn green (links, LACP "
        "and ARP after networking starts; default: 20)",
    )
    add_location_args(p)


def _after_boot(args: argparse.Namespace) -> int:
    from ifguard.apply import context as ctx
    from ifguard.apply.bootcheck import BOOT_TIMEOUTS, after_boot
    from ifguard.apply.request import ApplyRequest
    from ifguard.apply.world import World
    from ifguard.commands.common import root_of, state_dir_of
    from ifguard.config.diagnostic import Severity
    from ifguard.lint.engine import host_settings, inventory, lint_host
    from ifguard.system.errors import UsageError

    if not 0 <= args.settle <= 600:
        raise UsageError("--settle must be 0..600 s")
    root, world = root_of(args), World()
    req = ApplyRequest(root=root, state_dir=state_dir_of(args), timeouts=BOOT_TIMEOUTS)
    probe = ctx.make_prober(root, world.runner, world.clock, (), None, args.settle)
    running = lint_host(root, host_settings(root), nics=inventory(root), configs=("running",))
    warnings = sum(d.severity is Severity.WARNING for d in running.diagnostics)
    counts = (running.errors, warnings)
    done = after_boot(req, world, probe, counts, _booted_at() if root.is_host else None)
    print(f"ifguard: after boot: {done.message}", flush=True)
    if done.alert is not None:
        _send(root, req.state_dir, *done.alert)
    if done.restored and root.is_host:
        # a running watcher publishes the console summary: have it check (and say) it now
        world.runner.run(["systemctl", "--no-block", "reload", "ifguard-watch.service"])
    return done.rc


def _booted_at() -> float | None:
    """When this host booted (``btime`` of /proc/stat), None if unknown."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            return next(float(line.split()[1]) for line in f if line.startswith("btime "))
    except (OSError, StopIteration, ValueError, IndexError):
        return None


def _send(root: Any, state_dir: Any, title: str, body: str) -> None:
    """The owner is told at once ([watch] notify); queued for the watcher if that fails."""
    import socket

    from ifguard.system.clock import SystemClock
    from ifguard.watch.notify import notify_urls, send_or_queue

    def say(message: str) -> None:
        print(f"ifguard: {message}", flush=True)

    urls, problems = notify_urls(root, (), watcher_unit=True)
    for problem in problems:
        say(f"notification URLs: {problem}")
    title = f"[{socket.gethostname()}] {title}"
    queue = state_dir / "alerts.db"
    send_or_queue(urls, title, body, queue=queue, clock=SystemClock(), say=say, key="boot")


def run(args: argparse.Namespace) -> int:
    from ifguard.commands.common import root_of, state_dir_of
    from ifguard.store.statedir import StateDir

    if args.after_boot:
        return _after_boot(args)
    root, state_dir = root_of(args), state_dir_of(args)
    if args.if_pending and not args.discard and not StateDir(state_dir, root).has_pending():
        # the boot check on almost every boot: nothing to do, so nothing more is imported
        # (the apply machinery costs seconds of a boot under emulation)
        return 0
    from ifguard.apply import context
    from ifguard.apply.run import rollback_pending
    from ifguard.store import record

    if args.discard:
        env = context.make_env(state_dir, root)
        aside = env.state.discard(env.clock.now())
        if aside is None:
            print("ifguard: nothing to discard: no pending record")
            return 0 if args.if_pending else 1
        print(f"ifguard: pending record set aside as {aside}; no file was restored")
        return 0
    why = "reboot during the transaction (boot check)" if args.boot else "`ifguard rollback`"
    commands = context.parse_reload_cmd(args.reload_cmd)
    done = rollback_pending(state_dir, root, why, boot=args.boot, reload_cmd=commands)
    if done is None:
        if args.if_pending:
            return 0
        print("ifguard: nothing to roll back: no pending transaction")
        return 1
    print(f"ifguard: transaction {done.id}: {done.state}: {done.outcome}")
    return 0 if done.state in (record.ROLLED_BACK, record.ABORTED) else 1
