"""What is running, as plain frozen values: links, addresses, routes, Linux bonds and Open
vSwitch. Readers (``netlink``, ``bonding``, ``ovs``) produce them; ``drift`` and ``probe``
consume them. Nothing here does I/O."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field


def is_global(cidr: str) -> bool:
    """An address worth comparing: not link-local, not loopback (and parseable)."""
    try:
        ip = ipaddress.ip_interface(cidr).ip
    except ValueError:
        return False
    return not (ip.is_link_local or ip.is_loopback)


@dataclass(frozen=True)
class Link:
    name: str
    index: int
    kind: str = ""  # rtnetlink IFLA_INFO_KIND: veth, bridge, bond, vlan, tun
    master: str | None = None
    up: bool = False  # administratively up (IFF_UP)
    carrier: bool = False  # IFF_LOWER_UP
    operstate: str = "UNKNOWN"
    mtu: int | None = None
    mac: str | None = None
    vlan_id: int | None = None
    parent: str | None = None  # the lower device of a VLAN (IFLA_LINK)
    vlan_filtering: bool | None = None  # bridges only
    addresses: tuple[str, ...] = ()  # CIDR, global scope and link-local alike


@dataclass(frozen=True)
class Route:
    family: int  # 4 or 6
    dst: str  # "default" or a CIDR
    gateway: str | None = None
    dev: str | None = None
    table: int = 254


@dataclass(frozen=True)
class BondMember:
    name: str
    up: bool  # Linux: MII status up; OVS: member enabled
    lacp: str | None = None  # e.g. "current attached" (OVS), partner MAC (Linux)


@dataclass(frozen=True)
class Bond:
    name: str
    kind: str  # "linux" or "ovs"
    mode: str
    lacp: str  # "off", "negotiated", "configured" (not negotiated)
    members: tuple[BondMember, ...] = ()
    active: str | None = None


@dataclass(frozen=True)
class OvsPort:
    name: str
    bridge: str
    interfaces: tuple[str, ...]
    tag: int | None = None
    trunks: tuple[int, ...] = ()
    vlan_mode: str | None = None
    bond_mode: str | None = None
    lacp: str | None = None
    other_config: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OvsInterface:
    name: str
    type: str = ""  # "" (system), internal, patch, vxlan ...
    link_state: str | None = None
    admin_state: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class OvsState:
    status: str  # "ok", "not installed", "not running", "error: ..."
    bridges: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # bridge -> ports
    ports: Mapping[str, OvsPort] = field(default_factory=dict)
    interfaces: Mapping[str, OvsInterface] = field(default_factory=dict)
    bonds: Mapping[str, Bond] = field(default_factory=dict)

    @property
    def available(self) -> bool:
        return self.status == "ok"


@dataclass(frozen=True)
class Runtime:
    links: Mapping[str, Link]
    routes: tuple[Route, ...]
    bonds: Mapping[str, Bond]  # Linux bonds
    ovs: OvsState
    errors: tuple[str, ...] = ()  # readers that could not run, in words

    def defaults(self) -> tuple[Route, ...]:
        return tuple(r for r in self.routes if r.dst == "default" and r.table == 254)

    def bond(self, name: str) -> Bond | None:
        return self.bonds.get(name) or self.ovs.bonds.get(name)
