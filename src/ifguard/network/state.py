"""The network as ifguard models it: one ``Port`` per interface (kind, master, members, lower
devices, addresses, gateways, VLAN/OVS tag, MTU), a ``NetState`` of them, derived from a
configuration file or from the running network, and the *management path*: every interface
that carries the default route or the route back to the SSH client, walked down through VLANs,
bridges and bonds to the physical NICs. Pure functions; no I/O.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass

from ifguard.config import topology
from ifguard.config.address import interface_addresses
from ifguard.config.model import Config, Interface

_OVS_KINDS = {
    "ovsbridge": "ovs-bridge",
    "ovsbond": "ovs-bond",
    "ovsintport": "ovs-intport",
    "ovsport": "ovs-port",
    "ovspatchport": "ovs-patch",
    "ovstunnel": "ovs-tunnel",
}


@dataclass(frozen=True)
class Port:
    name: str
    kind: str  # physical, bond, bridge, vlan, ovs-*, loopback
    master: str | None = None  # the bridge/bond this interface is enslaved to
    members: tuple[str, ...] = ()  # bond slaves, bridge/OVS ports
    lower: tuple[str, ...] = ()  # devices towards the wire
    addresses: tuple[str, ...] = ()  # CIDR
    gateways: tuple[str, ...] = ()
    tag: str | None = None  # VLAN id / OVS access tag
    mtu: str | None = None
    dynamic: bool = False  # addresses come from DHCP/SLAAC, not the file


@dataclass(frozen=True)
class NetState:
    ports: Mapping[str, Port]
    source: str = "file"  # "file" or "running"


@dataclass(frozen=True)
class ManagementPath:
    roots: Mapping[str, str]  # interface -> why it is on the path
    interfaces: tuple[str, ...]  # roots and everything below them
    nics: tuple[str, ...]  # where the walk ends (physical NICs)

    def describe(self) -> str:
        if not self.roots:
            return "(unknown: no interface carries a default route or the SSH client route)"
        why = ", ".join(f"{n}: {r}" for n, r in self.roots.items())
        return f"{' -> '.join(self.interfaces)} ({why})"


def _kind(iface: Interface) -> str:
    ovs = topology.ovs_type(iface)
    if ovs:
        return _OVS_KINDS.get(ovs.lower(), "ovs-" + ovs.lower())
    if iface.name == "lo" or iface.method == "loopback":
        return "loopback"
    if iface.get("bond-slaves") or iface.get("slaves") or iface.get("bond-mode"):
        return "bond"
    if iface.get("bridge-ports") is not None:
        return "bridge"
    if topology.vlan_parent(iface):
        return "vlan"
    return "virtual" if topology.looks_virtual(iface.name) else "physical"


def _tag(iface: Interface) -> str | None:
    for word in iface.words("ovs-options"):
        if word.startswith("tag="):
            return word[4:]
    vlan = topology.vlan_parent(iface)
    return str(vlan[1]) if vlan else None


def state_from_config(config: Config) -> NetState:
    """The state the file asks for (interfaces merged when a name has several stanzas)."""
    stanzas: dict[str, list[Interface]] = {}
    for iface in config.interfaces:
        if iface.stanza == "iface" and iface.name:
            stanzas.setdefault(iface.name, []).append(iface)
    kinds = {name: _kind(ifs[0]) for name, ifs in stanzas.items()}
    masters: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    for edge in topology.edges(config):
        masters.setdefault(edge.member, edge.master.name)
        members.setdefault(edge.master.name, []).append(edge.member)
    for name, ifs in stanzas.items():
        bridge = ifs[0].get("ovs-bridge")
        if bridge:  # the port's own ovs_bridge is what ifupdown2 uses for add-port
            masters[name] = bridge.split()[0]
            if name not in members.setdefault(bridge.split()[0], []):
                members[bridge.split()[0]].append(name)
    ports: dict[str, Port] = {}
    for name, ifs in stanzas.items():
        first = ifs[0]
        kind = kinds[name]
        mine = tuple(dict.fromkeys(members.get(name, ())))
        if kind == "ovs-bridge":
            lower = tuple(m for m in mine if kinds.get(m) != "ovs-intport")
        elif kind in ("bond", "bridge", "ovs-bond", "virtual"):
            lower = mine
        elif kind == "vlan":
            vlan = topology.vlan_parent(first)
            lower = (vlan[0],) if vlan else ()
        elif kind in ("ovs-intport", "ovs-port"):
            lower = (masters[name],) if kind == "ovs-intport" and name in masters else ()
        else:
            lower = ()
        addresses = tuple(a for i in ifs for a in interface_addresses(i))
        gateways = tuple(g for i in ifs for g in i.words("gateway"))
        dynamic = any(i.method in ("dhcp", "auto", "bootp", "ppp") for i in ifs)
        ports[name] = Port(
            name,
            kind,
            masters.get(name),
            mine,
            lower,
            addresses,
            gateways,
            _tag(first),
            first.get("mtu"),
            dynamic,
        )
    for member, master in masters.items():  # enslaved NICs without a stanza of their own
        if member not in ports:
            ports[member] = Port(member, "physical", master)
    return NetState(ports)


def _contains(cidr: str, ip: str) -> bool:
    try:
        return ipaddress.ip_address(ip) in ipaddress.ip_interface(cidr).network
    except ValueError:
        return False


def _equal(cidr: str, ip: str) -> bool:
    try:
        return ipaddress.ip_interface(cidr).ip == ipaddress.ip_address(ip)
    except ValueError:
        return False


def ssh_endpoints(env: Mapping[str, str]) -> tuple[str, str] | None:
    """(client ip, server ip) from ``SSH_CONNECTION`` ("client port server port")."""
    words = env.get("SSH_CONNECTION", "").split()
    return (words[0], words[2]) if len(words) == 4 else None


def management_path(state: NetState, ssh: tuple[str, str] | None = None) -> ManagementPath:
    roots: dict[str, str] = {}
    for port in state.ports.values():
        for gw in port.gateways:
            roots.setdefault(port.name, f"default route via {gw}")
    if ssh is not None:
        client, server = ssh
        for port in state.ports.values():
            if any(_equal(a, server) for a in port.addresses):
                roots[port.name] = f"SSH server address {server}"
            elif any(_contains(a, client) for a in port.addresses):
                roots.setdefault(port.name, f"SSH client {client} is on-link")
    order: list[str] = []
    nics: list[str] = []
    todo = list(roots)
    while todo:
        name = todo.pop(0)
        if name in order:
            continue
        order.append(name)
        found = state.ports.get(name)
        below = found.lower if found else ()
        if found is None or (not below and found.kind in ("physical", "ovs-port")):
            nics.append(name)
        todo.extend(b for b in below if b not in order)
    return ManagementPath(roots, tuple(order), tuple(nics))


def management_change(running: Config, pending: Config) -> str | None:
    """How the management path of ``pending`` differs from ``running``'s (the interfaces
    carrying the default route, what they sit on, their addresses and gateways), as
    ``OLD -> NEW``; None when it is the same."""
    states = [state_from_config(running), state_from_config(pending)]
    paths = [management_path(state) for state in states]
    if _shape(paths[0], states[0]) == _shape(paths[1], states[1]):
        return None
    return f"{_describe(paths[0], states[0])} -> {_describe(paths[1], states[1])}"


def _shape(path: ManagementPath, state: NetState) -> list[tuple[object, ...]]:
    ports = [state.ports.get(n) for n in path.interfaces]
    return [
        (p.name, p.kind, p.lower, p.members, p.addresses, p.gateways, p.tag)
        for p in ports
        if p is not None
    ]


def _describe(path: ManagementPath, state: NetState) -> str:
    parts = []
    for name in path.roots:
        port = state.ports.get(name)
        if port is None:
            continue
        text = " ".join([name, *port.addresses])
        if port.gateways:
            text += " via " + ", ".join(port.gateways)
        parts.append(text)
    nics = " over " + ", ".join(path.nics) if path.nics else ""
    return ("; ".join(parts) or "no default route") + nics
