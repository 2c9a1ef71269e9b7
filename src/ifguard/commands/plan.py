"""``ifguard plan``: what applying a candidate would change; will it cut me off?"""

from __future__ import annotations

import argparse

NAME = "plan"
HELP = "show what applying a candidate would change and whether it touches the management path"
DESCRIPTION = """\
Compare a candidate interfaces file with the running state (or, when it cannot be read or
with --root, the current file) and list what a reload
would change: interfaces created or removed, ports and bond members moved, addresses,
gateways, VLAN/OVS tags, MTU. Changes on the management path - the interfaces carrying the
default route and the route back to your SSH client ($SSH_CONNECTION), down through VLANs,
bridges and bonds to the physical NICs - are marked with `!`: `ifguard apply` then asks for
an explicit `ifguard confirm` even with --auto-confirm. It also says where the candidate's
next boot differs from what runs now (an interface up now that nothing starts at boot, an
OVS port ifupdown2 would not add) and when that boot would not bring the management path
up (docs/boot.md). Nothing is changed.

examples:
  ifguard plan                                  Proxmox's pending interfaces.new
  ifguard plan new.interfaces
  ifguard plan new.interfaces --format json

exit status: 0 (plan printed), 2 could not run.
"""


def configure(p: argparse.ArgumentParser) -> None:
    from ifguard.commands.common import add_location_args

    p.add_argument(
        "candidate",
        nargs="?",
        metavar="CANDIDATE",
        help="the new interfaces file (default: /etc/network/interfaces.new)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--against",
        choices=("auto", "running", "file"),
        default="auto",
        help="compare with the running state or the current file (default: "
        "running when --root is / and `ip` works, else the file)",
    )
    add_location_args(p)


def run(args: argparse.Namespace) -> int:
    import json
    from dataclasses import asdict
    from pathlib import Path

    from ifguard.apply import context
    from ifguard.commands.common import root_of
    from ifguard.config.model import build
    from ifguard.config.source import PROXMOX_PENDING, load
    from ifguard.lint.engine import inventory
    from ifguard.network import plan
    from ifguard.network.cluster import cluster_of
    from ifguard.network.nextboot import next_boot
    from ifguard.network.state import state_from_config
    from ifguard.system.errors import UsageError

    root = root_of(args)
    path = Path(args.candidate) if args.candidate else root.path(PROXMOX_PENDING)
    if not path.is_file():
        if args.candidate:
            raise UsageError(f"{path}: no such file")
        print(f"nothing to plan: no candidate given and no pending {PROXMOX_PENDING}")
        return 0
    candidate = build(load([path], root).documents)
    after = state_from_config(candidate)
    before, against = context.before_state(root, after, args.against)
    cluster = cluster_of(root)
    ssh = context.ssh_of_environment()
    boot = next_boot(candidate, before, inventory=inventory(root), admin=ssh)
    result = plan.compare(before, after, ssh=ssh, cluster=cluster, boot=boot)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "against": against,
                    "touches_management_path": result.touches_management,
                    "management_path": asdict(result.path_before),
                    "management_path_after": asdict(result.path_after),
                    "changes": [asdict(c) for c in result.changes],
                    "cluster": list(result.cluster),
                    "next_boot": list(result.next_boot),
                    "next_boot_cuts_management_path": result.boot_cut,
                },
                indent=1,
                sort_keys=True,
            )
        )
        return 0
    print(plan.render(result, against=against), end="")
    return 0
