"""``ifguard drift``: does the running network match the configuration?"""

from __future__ import annotations

import argparse

NAME = "drift"
HELP = "compare the configuration with the running state (links, addresses, routes, OVS)"
DESCRIPTION = """\
Read what is running - links, addresses, routes and MTU over netlink, Linux bonds from
/proc/net/bonding, Open vSwitch bridges, ports, bond members and port options (tag,
trunks, vlan_mode, bond_mode, lacp) from its database - and compare it with what the
interfaces file asks for. Reported: interfaces brought up at boot that are absent or
down, missing or extra addresses, a missing default route, MTU, Linux bridge ports and
bond slaves, OVS bridges/ports/bond members added or removed behind ifupdown2's back, and
port options that differ. Ports Proxmox adds at run time (tapNNNiN, fwpr/fwln, veth) are
not drift. Run it in the host's network namespace; nothing is changed.

examples:
  ifguard drift
  ifguard drift /etc/network/interfaces --format json

exit status: 0 no drift, 1 drift found, 2 could not run (unreadable file, no netlink).
"""


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "path",
        nargs="?",
        metavar="PATH",
        help="interfaces file (default: /etc/network/interfaces under --root)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--root",
        metavar="DIR",
        default="/",
        help="treat DIR as / for the configuration and /proc/net/bonding (default: /)",
    )


def run(args: argparse.Namespace) -> int:
    import json
    from dataclasses import asdict
    from pathlib import Path

    from ifguard.commands.common import root_of
    from ifguard.config.model import build
    from ifguard.config.source import DEFAULT_INTERFACES, load
    from ifguard.network.drift import drift
    from ifguard.network.readers import read_runtime
    from ifguard.system.errors import UsageError

    root = root_of(args)
    path = Path(args.path) if args.path else root.path(DEFAULT_INTERFACES)
    config = build(load([path], root).documents)
    rt = read_runtime(root=root)
    if not rt.links:
        raise UsageError(
            "cannot read the running state: " + ("; ".join(rt.errors) or "no links over netlink")
        )
    found = drift(config, rt)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "drift": [asdict(d) for d in found],
                    "ovs": rt.ovs.status,
                    "errors": list(rt.errors),
                },
                indent=1,
            )
        )
    else:
        for d in found:
            print(f"{d.interface}: {d.kind}: {d.message}")
        notes = [f"Open vSwitch: {rt.ovs.status}"] if rt.ovs.status != "ok" else []
        notes += list(rt.errors)
        for note in notes:
            print(f"note: {note}")
        print(
            f"{len(found)} difference{'s' if len(found) != 1 else ''} between {path} and "
            "the running state"
            if found
            else f"no drift: the running state matches {path}"
        )
    return 1 if found else 0
