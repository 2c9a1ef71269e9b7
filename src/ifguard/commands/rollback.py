"""``ifguard rollback``: undo the pending change now."""

from __future__ import annotations

import argparse

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

examples:
  ifguard rollback
  ifguard rollback --if-pending --boot     (boot check; does nothing when nothing is pending)
  ifguard rollback --discard               set a damaged record aside (restores nothing)

exit status: 0 rolled back (or nothing pending with --if-pending), 1 nothing to roll back or
the rollback reload failed.
"""


def configure(p: argparse.ArgumentParser) -> None:
    from ifguard.commands.common import add_location_args

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
    add_location_args(p)


def run(args: argparse.Namespace) -> int:
    from ifguard.apply import context
    from ifguard.apply.run import rollback_pending
    from ifguard.commands.common import root_of, state_dir_of
    from ifguard.store import record

    root, state_dir = root_of(args), state_dir_of(args)
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
