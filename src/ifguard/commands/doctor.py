"""``ifguard doctor``: is the protection on this host actually working?"""

from __future__ import annotations

import argparse

NAME = "doctor"
HELP = "check that the gates, the watcher, alerts and metrics are in place and working"
DESCRIPTION = """\
Check, without changing anything, that ifguard protects this host:

  gates     the networking.service drop-in, the apt hook, the ifreload wrapper (which
            also covers Proxmox's "Apply Configuration"), as `ifguard install --gates`
            puts them;
  watcher   ifguard-watch.service running, its sandbox letting it probe (read with
            `systemctl show`), and the probes it last published: one it could not run
            ("CANNOT CHECK") is a problem, the host is then unwatched;
  alerts    [watch] notify URLs set, in a file the watcher accepts; with --send-test a
            test notification to each;
  metrics   node_exporter's textfile directory, and the watcher refreshing ifguard.prom;
  host      `ping` present; the state directory (owner, mode), the pending change record
            and the history readable.

Each line says ok, warn, FAIL or ?? (could not be checked here: systemd is not PID 1, or
a --root tree), and the command that fixes it.

examples:
  ifguard doctor
  ifguard doctor --send-test
  ifguard doctor --format json

exit status: 0 no problem (warnings allowed), 1 a problem, 2 could not run.
"""


def configure(p: argparse.ArgumentParser) -> None:
    from ifguard.commands.common import add_location_args

    p.add_argument(
        "--send-test",
        action="store_true",
        help="send a test notification to each [watch] notify URL (otherwise nothing is sent)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_location_args(p)


def run(args: argparse.Namespace) -> int:
    import json

    from ifguard.commands.common import root_of, state_dir_of
    from ifguard.doctor import Host, diagnose, render_text
    from ifguard.doctor.alerts import apprise_sender
    from ifguard.system.clock import SystemClock
    from ifguard.system.process import systemd_is_pid1
    from ifguard.system.runner import SubprocessRunner

    root = root_of(args)
    host = Host(
        root=root,
        runner=SubprocessRunner(),
        clock=SystemClock(),
        state_dir=state_dir_of(args),
        systemd=root.is_host and systemd_is_pid1(),
        sender=apprise_sender if args.send_test else None,
    )
    report = diagnose(host)
    if args.format == "json":
        print(json.dumps(report.to_dict(), indent=1, sort_keys=True))
    else:
        print(render_text(report), end="")
    return report.exit_code
