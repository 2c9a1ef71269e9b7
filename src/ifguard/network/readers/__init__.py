"""Readers of the running network: rtnetlink (``netlink``), Linux bonds (``bonding``) and
Open vSwitch (``ovs``), combined into one ``types.Runtime``.

Every side effect comes in as an argument (a netlink source, a command runner, a root
directory for /proc), so the same code reads the machine, a lab namespace (run it inside
the namespace) or recorded fixtures. A reader that cannot run leaves a sentence in
``Runtime.errors`` or ``OvsState.status``; it never raises.
"""

from __future__ import annotations

from ifguard.network.readers.bonding import read_bonds
from ifguard.network.readers.netlink import NetlinkSource, PyrouteSource, read_netlink
from ifguard.network.readers.ovs import read_ovs
from ifguard.network.readers.types import Link, Route, Runtime
from ifguard.system.root import Root
from ifguard.system.runner import Runner, SubprocessRunner


def read_runtime(
    runner: Runner | None = None, root: Root | None = None, netlink: NetlinkSource | None = None
) -> Runtime:
    errors: list[str] = []
    links: dict[str, Link] = {}
    routes: tuple[Route, ...] = ()
    try:
        links, routes = read_netlink(netlink or PyrouteSource())
    except (OSError, ImportError, ValueError, KeyError) as exc:
        errors.append(f"netlink: {exc}")
    bonds, bond_errors = read_bonds(root or Root())
    errors.extend(bond_errors)
    ovs = read_ovs(runner or SubprocessRunner())
    return Runtime(links, routes, bonds, ovs, tuple(errors))


__all__ = ["Runtime", "read_runtime"]
