"""``ifguard reload``: a reload someone else started, as a guarded transaction."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

NAME = "reload"
HELP = "run ifreload as a guarded transaction (what the ifreload wrapper calls)"
DESCRIPTION = """\
Run the real ifreload as an unattended transaction: lint gate, guardian armed, reload, probes
(management path and cluster peers); red probes put the last known-good version from the
history back through the same ifreload, send an alert and exit 1. Green probes keep the
change (only the probe time is added). With no known-good version in the history (or when it
is what is on disk), it says so and reloads with the lint gate only.

`ifguard install --divert-ifreload` installs /usr/sbin/ifreload as a wrapper calling this, so
Proxmox's "Apply Configuration", ifupdown2's postinst, `systemctl reload networking` and
admins get it. Not guarded for one reload: `IFGUARD_NO_ROLLBACK=1 ifreload -a` (lint gate
only) or `IFGUARD_FORCE=1 ifreload -a` (nothing at all).

Alerts go to the watcher's notification URLs (`[watch] notify` in
/etc/ifguard/ifguard.toml; `--notify-file`/`--notify` in ifguard-watch.service's ExecStart or
/etc/ifguard/watch.env's IFGUARD_WATCH_ARGS) and every --notify URL; one that cannot be
delivered is queued for the watcher.

`ifguard install --gates` ends networking.service's reload with `ifguard reload --verdict`:
Debian's start-networking exits 0 whatever ifreload returned, so without it `systemctl reload
networking` would report success after a rollback. The verdict line exits 1 with one line
saying what was rolled back (systemctl then says the reload failed; the network stays up on
the known-good version).

examples:
  ifguard reload -- -a
  ifguard reload --orig /usr/sbin/ifguard-orig-ifreload --notify json://hook.example/ -- -a

exit status: 0 reloaded and kept (or the real reload's status when unguarded), 1 refused,
rolled back or the reload reported errors, 2 could not run.
"""

IFRELOAD_ORIG = "/usr/sbin/ifguard-orig-ifreload"


def configure(p: argparse.ArgumentParser) -> None:
    from ifguard.commands.common import add_location_args, seconds
    from ifguard.store.record import RELOAD_TIMEOUTS

    add_location_args(p)
    p.add_argument(
        "--orig",
        metavar="PATH",
        help=f"the real ifreload (default: {IFRELOAD_ORIG} under --root if it exists, "
        "else `ifreload`)",
    )
    p.add_argument(
        "--gated",
        action="store_true",
        help="the wrapper's `lint --gate` already passed: do not lint again",
    )
    p.add_argument(
        "--notify", action="append", default=[], metavar="URL", help="apprise URL (repeatable)"
    )
    p.add_argument(
        "--timeout",
        type=seconds(),
        default=RELOAD_TIMEOUTS.confirm,
        metavar="SECONDS",
        help="deadline for the guardian if this process dies before the probes (default: "
        f"{RELOAD_TIMEOUTS.confirm:g}; capped with HA resources)",
    )
    p.add_argument(
        "--probe-timeout",
        type=seconds(),
        default=RELOAD_TIMEOUTS.probe,
        metavar="SECONDS",
        help=f"how long probes may stay red after the reload (default: {RELOAD_TIMEOUTS.probe:g})",
    )
    p.add_argument(
        "--verdict",
        action="store_true",
        help="reload nothing; exit 1 when a guarded reload of this systemd unit invocation "
        "was rolled back (the networking.service drop-in's last ExecReload=)",
    )
    p.add_argument("args", nargs=argparse.REMAINDER, help="arguments for ifreload (after --)")


def run(args: argparse.Namespace) -> int:
    import socket
    import subprocess

    from ifguard.apply.gate import GateFailed
    from ifguard.apply.reload import guarded_reload, reload_request, say
    from ifguard.apply.world import World
    from ifguard.commands.common import root_of, state_dir_of
    from ifguard.store.record import RELOAD_TIMEOUTS, DamagedRecord
    from ifguard.system.clock import SystemClock
    from ifguard.system.errors import UsageError
    from ifguard.watch.notify import notify_urls, send_or_queue

    root = root_of(args)
    if args.verdict:
        from ifguard.apply.reload import take_verdict

        verdict = take_verdict(root)
        if verdict is None:
            return 0
        say(f"this reload was not kept: {verdict}; see `ifguard status`")
        return 1
    rest = list(args.args)
    if rest[:1] == ["--"]:
        rest = rest[1:]
    orig = args.orig
    if orig is None:
        default = root.path(IFRELOAD_ORIG)
        orig = str(default) if default.exists() else "ifreload"
    command = (orig, *rest)
    timeout = RELOAD_TIMEOUTS.reload

    def run_plain(argv: Sequence[str]) -> int:
        try:
            return subprocess.run(list(argv), check=False, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            say(f"`{' '.join(argv)}` did not finish within {timeout:g} s")
            return 1
        except OSError as exc:
            say(f"cannot run {argv[0]}: {exc.strerror or exc}")
            return 1

    def alert(title: str, body: str) -> bool:
        urls, problems = notify_urls(root, args.notify, watcher_unit=True)
        for problem in problems:
            say(f"notification URLs: {problem}")
        title = f"[{socket.gethostname()}] {title}"
        queue = state_dir / "alerts.db"
        return send_or_queue(urls, title, body, queue=queue, clock=SystemClock(), say=say)

    world = World(out=say, alert=alert, run_plain=run_plain)
    try:
        state_dir = state_dir_of(args)
        if (state_dir / "pending.json").exists() or (state_dir / "pending.json").is_symlink():
            from ifguard.store.statedir import StateDir

            StateDir(state_dir, root).read()  # a damaged record: refuse (DamagedRecord, exit 2)
        req = reload_request(
            root,
            state_dir,
            command,
            timeout=args.timeout,
            probe_timeout=args.probe_timeout,
            gated=args.gated,
        )
        return guarded_reload(req, world)
    except (GateFailed, DamagedRecord):
        raise  # the gate could not run or the record is damaged: nothing reloaded (exit 2)
    except UsageError as exc:
        # nothing was reloaded yet (the state directory or the history is unusable): a
        # guard that cannot guard must not block the network
        say(f"cannot guard this reload ({exc}): reloading without a way back")
        return run_plain(command)
