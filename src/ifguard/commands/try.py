"""``ifguard try FILE``: apply, and keep the change only if Enter is pressed in time."""

from __future__ import annotations

import argparse

NAME = "try"
HELP = "apply a file with a countdown: Enter keeps it, anything else rolls it back"
DESCRIPTION = """\
In the spirit of `netplan try`: the same guarded change as `ifguard apply` (lint gate, plan,
snapshot, detached guardian, reload, probes), then a countdown in this terminal. Press
Enter to keep the change. No key before the end of the countdown, Ctrl-C, or this session
dropping (the network change cut it?) and the guardian puts the previous files back and
reloads. A key typed before the change is in place does not count.

It needs a terminal; in a script use `ifguard apply FILE --timeout SECONDS` and
`ifguard confirm`.

examples:
  ifguard try new.interfaces
  ifguard try new.interfaces --timeout 60 -m "vlan 30 for ceph"
  ifguard try /etc/network/interfaces.new --probe tcp:10.0.0.2:22

exit status: 0 change kept, 1 refused or rolled back, 2 could not run (no terminal).
"""


def configure(p: argparse.ArgumentParser) -> None:
    from ifguard.commands.apply import configure_transaction

    p.add_argument("candidate", metavar="FILE", help="the new interfaces file")
    configure_transaction(p)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ifguard.apply.trial import run_try
    from ifguard.commands.apply import request_of
    from ifguard.system.errors import UsageError

    for flag in ("auto_confirm", "unattended", "no_wait", "guardian"):
        if getattr(args, flag):
            raise UsageError(
                f"--{flag.replace('_', '-')}: not with `ifguard try` (it waits for Enter); "
                "use `ifguard apply`"
            )
    return run_try(request_of(args), Path(args.candidate))
