"""``ifguard apply``: a guarded change with automatic rollback."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ifguard.commands.common import seconds

if TYPE_CHECKING:
    from ifguard.apply.request import ApplyRequest

NAME = "apply"
HELP = "apply a new interfaces file; roll back automatically unless confirmed"
DESCRIPTION = """\
Apply a candidate /etc/network/interfaces with a way back that does not depend on you
staying connected:

  1. lint the candidate (refuse on errors unless --force) and print the plan
     (what changes, and whether it touches the management path);
  2. snapshot the current files into the history;
  3. arm a detached guardian (systemd-run, else a double-forked process) that survives
     this command being killed, your SSH session dropping and, with the boot check
     (`ifguard rollback --if-pending --boot`), a reboot;
  4. write the candidate atomically, reload (ifreload -a for ifupdown2), run health probes;
  5. keep the change only if confirmed: `ifguard confirm` from any session, Enter here, or
     --auto-confirm when probes stay green (not for changes on the management path).
     Otherwise the guardian restores the snapshot and reloads at the deadline.

examples:
  ifguard apply                                   apply Proxmox's pending interfaces.new
  ifguard apply new.interfaces --timeout 60       confirm within 60 s or it is undone
  ifguard apply new.interfaces --auto-confirm --probe tcp:10.0.0.2:22
  ifguard confirm | ifguard rollback | ifguard status

exit status: 0 change kept (or pending with --no-wait), 1 refused or rolled back,
2 could not run.
"""


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "candidate",
        nargs="?",
        metavar="CANDIDATE",
        help="the new interfaces file (default: /etc/network/interfaces.new)",
    )
    configure_transaction(p)


def configure_transaction(p: argparse.ArgumentParser) -> None:
    """The options of a guarded change (shared with `ifguard restore`)."""
    from ifguard.commands.common import add_location_args
    from ifguard.store.record import APPLY_TIMEOUTS as T

    p.add_argument(
        "--timeout",
        type=seconds(),
        default=T.confirm,
        metavar="SECONDS",
        help=f"roll back unless confirmed within SECONDS of the reload (default {T.confirm:g})",
    )
    p.add_argument(
        "--auto-confirm",
        action="store_true",
        help="confirm by itself when probes stay green for --settle seconds",
    )
    p.add_argument(
        "--unattended",
        action="store_true",
        help="with --auto-confirm, confirm by the probes even when the change "
        "touches the management path (nobody is there to confirm; used by "
        "`watch --self-heal`)",
    )
    p.add_argument(
        "--settle",
        type=seconds(),
        default=T.settle,
        metavar="SECONDS",
        help=f"how long probes must stay green for --auto-confirm (default {T.settle:g})",
    )
    p.add_argument(
        "--probe",
        action="append",
        metavar="TARGET",
        help="extra health check: tcp:HOST:PORT or ping:HOST (repeatable)",
    )
    p.add_argument(
        "--probe-timeout",
        type=seconds(),
        default=T.probe,
        metavar="SECONDS",
        help=f"how long probes may take to turn green after a reload (default {T.probe:g}: a "
        "healthy reload is green within 2-3 s; raise it for slow LACP partners)",
    )
    p.add_argument(
        "--no-probes",
        action="store_true",
        help="skip the health probes (rely on the deadline and `ifguard confirm`)",
    )
    p.add_argument(
        "-m",
        "--message",
        type=_message,
        default="",
        metavar="MESSAGE",
        help="why: recorded in the history with the change (`ifguard history` shows it)",
    )
    p.add_argument("--force", action="store_true", help="apply despite lint errors")
    p.add_argument(
        "--dialect",
        choices=("ifupdown", "ifupdown2", "ifupdown-ng"),
        help="override dialect detection (chooses the reload command)",
    )
    p.add_argument(
        "--reload-cmd",
        metavar="CMD",
        help="reload command instead of the dialect's (argv split like a shell; "
        "`;;` separates commands; {previous} = the file in force before). It is given to "
        "the guardian on its command line and never stored: a later `ifguard rollback` "
        "reloads with the dialect's command unless given --reload-cmd too",
    )
    p.add_argument(
        "--reload-timeout",
        type=seconds(),
        default=T.reload,
        metavar="SECONDS",
        help=f"give up on a reload command after SECONDS (default {T.reload:g})",
    )
    p.add_argument(
        "--against",
        choices=("auto", "running", "file"),
        default="auto",
        help="plan against the running state or the current file (see `ifguard plan --help`)",
    )
    p.add_argument(
        "--no-wait",
        action="store_true",
        help="return after the probes; confirm later with `ifguard confirm`",
    )
    p.add_argument(
        "--spawner", choices=("auto", "systemd-run", "fork"), default="auto", help=argparse.SUPPRESS
    )
    p.add_argument("--guardian", metavar="ID", help=argparse.SUPPRESS)
    # the reload commands of the CLI that spawned the guardian (JSON): never read from state
    p.add_argument("--guardian-reload", metavar="JSON", help=argparse.SUPPRESS)
    add_location_args(p)


def _message(text: str) -> str:
    """One line of printable text, at most 200 characters."""
    if len(text) > 200:
        raise argparse.ArgumentTypeError(f"too long ({len(text)} characters; at most 200)")
    if any(not c.isprintable() for c in text):
        raise argparse.ArgumentTypeError("one line of printable text, please")
    return text.strip()


def request_of(args: argparse.Namespace) -> ApplyRequest:
    """The guarded change the command line asks for (shared with `ifguard restore`)."""
    from ifguard.apply.context import parse_reload_cmd
    from ifguard.apply.request import ApplyRequest
    from ifguard.commands.common import root_of, state_dir_of
    from ifguard.store.record import Timeouts

    return ApplyRequest(
        root=root_of(args),
        state_dir=state_dir_of(args),
        timeouts=Timeouts(
            confirm=args.timeout,
            reload=args.reload_timeout,
            probe=args.probe_timeout,
            settle=args.settle,
        ),
        auto_confirm=args.auto_confirm,
        unattended=args.unattended,
        probes=tuple(args.probe or ()),
        probes_enabled=not args.no_probes,
        force=args.force,
        dialect=args.dialect,
        reload_cmd=parse_reload_cmd(args.reload_cmd),
        against=args.against,
        wait=not args.no_wait,
        spawner=args.spawner,
        message=args.message,
    )


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ifguard.apply.reloading import decode
    from ifguard.apply.run import run_apply, run_guardian
    from ifguard.commands.common import root_of, state_dir_of

    if args.guardian:
        commands = None if args.guardian_reload is None else decode(args.guardian_reload)
        return run_guardian(state_dir_of(args), root_of(args), args.guardian, commands)
    return run_apply(request_of(args), Path(args.candidate) if args.candidate else None)
