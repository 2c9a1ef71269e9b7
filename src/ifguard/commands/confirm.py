"""``ifguard confirm``: keep the change of the pending transaction."""

from __future__ import annotations

import argparse

NAME = "confirm"
HELP = "keep the pending change (stop its automatic rollback)"
DESCRIPTION = """\
Keep the change made by the pending `ifguard apply`: the guardian stands down, the new
configuration is recorded as known-good in the history. Run it from any session, e.g. a new
SSH login that proves the host is still reachable.

examples:
  ifguard confirm
  ifguard status          what is pending and when it will be rolled back

exit status: 0 confirmed, 1 nothing to confirm (or too late: already rolled back).
"""


def configure(p: argparse.ArgumentParser) -> None:
    from ifguard.commands.common import add_location_args

    add_location_args(p)


def run(args: argparse.Namespace) -> int:
    from ifguard.apply import context
    from ifguard.apply.transaction import confirm, last_result
    from ifguard.commands.common import root_of, state_dir_of
    from ifguard.store import record

    env = context.make_env(state_dir_of(args), root_of(args))
    txn = env.state.read()
    if txn is None:
        last = env.state.last_result()
        tail = f" (last: {last.id} {last.state}: {last.outcome})" if last else ""
        print(f"ifguard: nothing to confirm: no pending transaction{tail}")
        return 1
    if txn.state == record.ARMED:
        print(
            f"ifguard: transaction {txn.id} has not written anything yet; confirm once "
            "the change is applied"
        )
        return 1
    done = confirm(env, txn.id, "confirmed with `ifguard confirm`")
    if done is None:
        final = last_result(env, txn.id) or env.state.read()
        state = final.state if final else "unknown"
        print(f"ifguard: too late: transaction {txn.id} is {state}")
        return 1
    print(f"ifguard: transaction {done.id} confirmed; the change is kept")
    return 0
