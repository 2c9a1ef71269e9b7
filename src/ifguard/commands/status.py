"""``ifguard status``: is the network broken, why, and the command that fixes it; plus the
pending ``ifguard apply`` transaction."""

from __future__ import annotations

import argparse
import os
from typing import Any

NAME = "status"
HELP = "is the network broken, why, and how to fix it; the pending apply transaction"
DESCRIPTION = """\
Show the network status summary - the one above the console login prompt and at SSH logins:
errors in the files ifupdown reads (running) and in Proxmox's pending interfaces.new, failing
probes (bond members and LACP, management address, default route, gateway), drift, the last
known-good version with the exact `ifguard restore N` command, and what ifguard already did
(self-heal attempts, rollbacks). Then the pending `ifguard apply` transaction (deadline,
guardian, probes), or the outcome of the last one.

While `ifguard watch` runs, its summary (kept current on every change) is shown; otherwise
the host is checked now, as the watcher would (lint, runtime state, probes, drift). Under
--root DIR other than / only the files are checked: this machine's running network is not
that tree's, so it is neither read nor probed.

--update checks now and publishes the result for the console and SSH logins (/run/ifguard,
see docs/console.md), unless a running watcher publishes: the boot check installed by
`ifguard install` (ifguard-status.service) runs it once networking has started.

examples:
  ifguard status
  ifguard status --format json
  ifguard status --check                  check now even while the watcher runs
  ifguard status --update --settle 60     (boot check)

exit status: 0 ok; 1 broken or degraded (or a pending transaction has lost its guardian);
2 could not run.
"""


def configure(p: argparse.ArgumentParser) -> None:
    from ifguard.commands.common import add_location_args, seconds

    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--check",
        action="store_true",
        help="check now (lint, probes, drift) even while the watcher publishes a summary",
    )
    p.add_argument(
        "--update",
        action="store_true",
        help="check now and publish the summary for the console and logins (implies --check)",
    )
    p.add_argument(
        "--settle",
        type=seconds(),
        default=0.0,
        metavar="SECONDS",
        help="while not ok, check again for up to this long (links and LACP come up "
        "a few seconds after networking starts; default: 0)",
    )
    p.add_argument(
        "--no-wall", action="store_true", help="with --update: do not `wall` when broken"
    )
    p.add_argument(
        "--target",
        action="append",
        default=[],
        metavar="HOST[:PORT]",
        help="extra probe target, as for `ifguard probe` (repeatable)",
    )
    add_location_args(p)


def _watcher_summary(root: Any) -> dict[str, Any] | None:
    """The watcher's published summary, when the process that published it still runs."""
    from pathlib import Path

    from ifguard.status.publish import read_published
    from ifguard.system.process import process_alive

    published = read_published(root)
    pid = published.get("pid") if published else None
    if published is None or not isinstance(pid, int) or not process_alive(pid, None):
        return None
    try:
        owner = os.stat(f"/proc/{pid}").st_uid
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    return published if owner in (0, os.geteuid()) and is_watcher(cmdline) else None


def is_watcher(argv: list[bytes]) -> bool:
    """Whether a process's argv is ifguard's watcher (`ifguard watch ...`, `python3 -m
    ifguard watch ...`, or `/usr/bin/python3 /usr/bin/ifguard watch`: the packaged unit's
    script as the kernel runs it, through its #! line), not any process with a `watch`
    argument."""
    words = [w for w in argv if w]
    if not words:
        return False
    program = os.path.basename(words[0])
    if program == b"ifguard":
        rest = words[1:]
    elif program.startswith(b"python") and words[1:3] == [b"-m", b"ifguard"]:
        rest = words[3:]
    elif program.startswith(b"python") and words[1:2] == [b"/usr/bin/ifguard"]:
        rest = words[2:]
    else:
        return False
    return bool(rest) and rest[0] == b"watch"


def _check(args: argparse.Namespace, root: Any, state_dir: Any) -> tuple[dict[str, Any], str]:
    import time

    from ifguard.config.settingsfile import read_system_file
    from ifguard.lint.settings import of_file as lint_settings
    from ifguard.network.netprobe import SystemNet
    from ifguard.network.probe import check_targets
    from ifguard.status import collect
    from ifguard.status.publish import Console, read_published
    from ifguard.status.settle import check_settled
    from ifguard.status.summary import build, render_text
    from ifguard.system.clock import SystemClock
    from ifguard.system.errors import UsageError
    from ifguard.system.runner import SubprocessRunner

    check_targets(args.target)
    if not 0 <= args.settle <= 3600:
        raise UsageError("--settle must be 0..3600 s")
    runner, net = SubprocessRunner(), SystemNet()
    by = "boot" if args.update else "status"
    file = read_system_file(root)  # once: the lint settings and [console]
    lint = lint_settings(file)
    facts = check_settled(
        lambda: collect.check_now(
            root,
            state_dir,
            runner,
            net,
            targets=args.target,
            checked_by=by,
            runtime=root.is_host,
            settings=lint,
        ),
        args.settle,
        SystemClock(),
    )
    if args.update:
        from ifguard.status.settings import console_settings

        settings = console_settings(file)
        console = Console(
            root,
            runner,
            wall=settings.wall and not args.no_wall,
            wall_every=settings.wall_every,
            checked_by=by,
            signal_host=str(root.prefix) == "/",
        )
        try:
            summary = console.publish(facts)
        except OSError as exc:
            raise UsageError(
                f"cannot publish the summary under {root.path('/run/ifguard')}: "
                f"{exc.strerror or exc} (run as root?)"
            ) from None
    else:
        published = read_published(root)
        previous = None
        if published is not None:
            s = published["summary"]
            previous = (str(s.get("level")), float(s.get("since") or 0.0))
        summary = build(facts, time.time(), previous)
    return {"summary": summary.to_dict(), "published": time.time(), "source": by}, render_text(
        summary, full=True
    )


def run(args: argparse.Namespace) -> int:
    import json
    import sys
    import time
    from dataclasses import asdict

    from ifguard.apply import context
    from ifguard.commands.common import root_of, state_dir_of
    from ifguard.status.publish import TEXT
    from ifguard.status.summary import OK, render_text, summary_from_dict
    from ifguard.system.errors import UsageError
    from ifguard.system.process import process_alive

    root = root_of(args)
    state_dir = state_dir_of(args)
    current = None if args.check else _watcher_summary(root)
    try:
        env = context.make_env(state_dir, root, quiet=True)
    except UsageError:
        if current is None:
            raise
        env = None  # not root: the watcher's summary (readable by all) is still shown
    # the transaction as it is now, before a check that may take seconds (probes)
    txn = env.state.read() if env is not None else None
    pending = txn is not None and txn.open
    shown = txn if pending or env is None else env.state.last_result()
    alive = bool(txn and process_alive(txn.guardian_pid, txn.guardian_ticks))
    if current is not None and args.update:
        print("ifguard: the watcher publishes the summary; nothing written", file=sys.stderr)
    if current is not None:
        record: dict[str, Any] = {**current, "source": "watch"}
        try:
            text = render_text(summary_from_dict(current["summary"]), full=True)
        except (KeyError, TypeError, ValueError):  # written by another ifguard version
            text = root.path(TEXT).read_text(errors="replace") if root.path(TEXT).is_file() else ""
    else:
        record, text = _check(args, root, state_dir)
    level = record["summary"]["level"]
    rc = 1 if level != OK or (pending and not alive) else 0
    if args.format == "json":
        body = {
            "level": level,
            "summary": record["summary"],
            "source": record["source"],
            "published": record.get("published"),
            "pending": pending,
            "guardian_alive": alive,
            "transaction": asdict(shown) if shown else None,
        }
        print(json.dumps(body, indent=1, sort_keys=True, default=str))
        return rc

    def when(t: float) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t))

    print(text, end="")
    if record["source"] == "watch":
        print(
            f"(published by ifguard watch, pid {record.get('pid')}, which keeps it current; "
            f"last change {when(record['published'])})"
        )
    else:
        print(f"(checked now, {when(record['published'])}; the watcher is not running)")
    if env is None:
        print(f"(transactions: {state_dir} is not readable here; run as root)")
        return rc
    if shown is None:
        print("no pending transaction; none recorded yet")
        return rc
    _print_transaction(shown, pending, alive, env.clock.now(), when)
    return rc


def _print_transaction(shown: Any, pending: bool, alive: bool, now: float, when: Any) -> None:
    from ifguard.network.probe_report import ProbeReport

    head = "pending transaction" if pending else "no pending transaction; last one"
    print(f"{head}: {shown.id}")
    print(f"  state:     {shown.state}" + (f" ({shown.phase})" if shown.phase else ""))
    print(f"  started:   {when(shown.created)}")
    if pending:
        left = shown.deadline - now
        print(
            f"  deadline:  {when(shown.deadline)} ({left:.0f} s left; rollback then unless "
            "`ifguard confirm`)"
            if left > 0
            else f"  deadline:  {when(shown.deadline)} (passed)"
        )
        print(
            f"  guardian:  {shown.guardian_kind} pid {shown.guardian_pid} "
            f"{'running' if alive else 'NOT RUNNING: run `ifguard rollback` or confirm'}"
        )
    else:
        print(
            f"  outcome:   {shown.outcome}"
            + (f" at {when(shown.finished)}" if shown.finished else "")
        )
    for t in shown.targets:
        print(f"  file:      {t.system_path}")
    for label, data in (("probes", shown.probes), ("rollback probes", shown.rollback_probes)):
        if data:
            report = ProbeReport.from_record(data)
            print(f"  {label}: {report.summary()}")
            for r in report.results:
                print(
                    f"    {'ok  ' if r.ok else 'FAIL'} {r.name}"
                    + (f" ({r.note})" if r.note else "")
                )
