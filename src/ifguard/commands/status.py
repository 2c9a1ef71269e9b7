"""``ifguard status``: the pending transaction, its deadline and last probes."""

from __future__ import annotations

import argparse

NAME = "status"
HELP = "show the pending transaction (deadline, guardian, last probes)"
DESCRIPTION = """\
Show the pending `ifguard apply` transaction: its state, when it will be rolled back, whether
its guardian is running, the files it changed and the last health probes. Without a pending
transaction, the outcome of the last one.

examples:
  ifguard status
  ifguard status --format json

exit status: 0 (1 when a pending transaction has lost its guardian).
"""


def configure(p: argparse.ArgumentParser) -> None:
    from ifguard.commands.common import add_location_args

    p.add_argument("--format", choices=("text", "json"), default="text")
    add_location_args(p)


def run(args: argparse.Namespace) -> int:
    import json
    import time
    from dataclasses import asdict

    from ifguard.apply import context
    from ifguard.apply.probes import ProbeReport
    from ifguard.commands.common import state_dir_of
    from ifguard.system.process import process_alive

    env = context.make_env(state_dir_of(args), quiet=True)
    txn = env.state.read()
    pending = txn is not None and txn.open
    shown = txn if pending else env.state.last_result()
    alive = bool(txn and process_alive(txn.guardian_pid, txn.guardian_ticks))
    if args.format == "json":
        print(
            json.dumps(
                {
                    "pending": pending,
                    "guardian_alive": alive,
                    "transaction": asdict(shown) if shown else None,
                },
                indent=1,
                sort_keys=True,
                default=str,
            )
        )
        return 1 if pending and not alive else 0
    if shown is None:
        print("no pending transaction; none recorded yet")
        return 0
    now = env.clock.now()

    def when(t: float) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t))

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
            report = ProbeReport.from_dict(data)
            print(f"  {label}: {report.summary()}")
            for c in report.checks:
                print(
                    f"    {'ok  ' if c.ok else 'FAIL'} {c.name}"
                    + (f" ({c.detail})" if c.detail else "")
                )
    return 1 if pending and not alive else 0
