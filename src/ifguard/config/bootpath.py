"""The management path at boot: every interface that carries the default route (a ``gateway``;
with no gateway in the file, the one DHCP interface) or the admin's address, walked down
through VLANs, bridges, bonds and OVS ports to the NICs over the boot model
(``ifguard.config.boot.Graph``), and the links of it that would not come up.

A stanza with several lower devices (a bond, a bridge with two uplinks) carries the path while
one of them does, and several interfaces with a default route of one address family are
alternatives: a break that leaves nothing is *cutting*, the others are *degraded*. The
admin's address, when known, must come up itself. ``ifguard.network.state`` walks the same
path in a running network. Pure functions; no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ifguard.config.address import interface_addresses
from ifguard.config.boot import Break, Graph, not_a_port, ovs_break
from ifguard.config.model import Attribute, Config, Interface

_PORTS = ("ovs-intport", "ovs-bond", "ovs-port")
_TEMPLATED = frozenset("$%{}<>*?[]")  # a template's name is not an interface's


@dataclass(frozen=True)
class BootPath:
    roots: Mapping[str, str]  # interface -> why it is on the path
    interfaces: tuple[str, ...]  # roots and everything below them
    nics: tuple[str, ...]  # where the walk ends
    breaks: tuple[Break, ...] = ()  # each cuts the path
    degraded: tuple[Break, ...] = ()  # broken, but something else still carries the path
    started: frozenset[str] = field(default_factory=frozenset)  # what boot starts

    @property
    def comes_up(self) -> bool:
        return not self.breaks

    def describe(self) -> str:
        if not self.roots:
            return "(unknown: no interface carries a default route or the admin's address)"
        why = ", ".join(f"{n}: {r}" for n, r in self.roots.items())
        return f"{' -> '.join(self.interfaces)} ({why})"

    def summary(self) -> str:
        """The path's roots in one short line: ``vlan1: default route via 192.0.2.1``."""
        if not self.roots:
            return "no default route"
        return "; ".join(f"{n}: {r}" for n, r in self.roots.items())


def roots(config: Config, admin: tuple[str, str] | None = None) -> dict[str, tuple[str, str]]:
    """interface -> (group, why). Interfaces of one ``gw4``/``gw6``/``dhcp`` group are
    alternatives; each ``admin`` root is needed."""
    found: dict[str, tuple[str, str]] = {}
    stanzas = [
        i
        for i in config.interfaces
        if i.stanza == "iface" and i.name and _TEMPLATED.isdisjoint(i.name)
    ]
    for iface in stanzas:
        for gw in iface.words("gateway"):
            group = "gw6" if ":" in gw else "gw4"
            found.setdefault(iface.name, (group, f"default route via {gw}"))
    if not found:
        dhcp = {i.name for i in stanzas if _dhcp(i)} - {"lo"}
        if len(dhcp) == 1:
            found[dhcp.pop()] = ("dhcp", "default route from DHCP")
    if admin is not None:
        client, server = admin
        for iface in stanzas:
            why = _admin(iface, client, server)
            if why and (iface.name not in found or why.startswith("the admin's address")):
                found[iface.name] = ("admin", why)
    return found


def _dhcp(iface: Interface) -> bool:
    return iface.method == "dhcp" or "dhcp" in iface.words("use")


def _admin(iface: Interface, client: str, server: str) -> str | None:
    import ipaddress  # where it is used: `ifguard lint` start-up time matters

    for cidr in interface_addresses(iface):
        try:
            net = ipaddress.ip_interface(cidr)
            if net.ip == ipaddress.ip_address(server):
                return f"the admin's address {server}"
            if ipaddress.ip_address(client) in net.network:
                return f"the admin {client} is on-link"
        except ValueError:
            continue
    return None


def boot_path(
    config: Config,
    inventory: frozenset[str] | None = None,
    admin: tuple[str, str] | None = None,
    graph: Graph | None = None,
) -> BootPath:
    """The management path of ``config`` and the links of it that would not come up at boot.
    ``inventory``: the host's NIC names, when known; ``admin``: (client ip, server ip) of
    the admin's session, when known."""
    g = graph or Graph(config, inventory)
    found = roots(config, admin)
    walk = _Walk(g)
    results = {name: walk.root(name) for name in found}
    cutting: list[Break] = []
    degraded = list(walk.degraded)
    for group in dict.fromkeys(g for g, _ in found.values()):
        names = [n for n, (g2, _) in found.items() if g2 == group]
        alternatives = group != "admin"
        for name in names:
            if alternatives and any(not results[n] for n in names):
                degraded.extend(results[name])
            else:
                cutting.extend(results[name])
    cut = tuple(dict.fromkeys(cutting))
    return BootPath(
        {n: why for n, (_, why) in found.items()},
        tuple(walk.order),
        tuple(walk.nics),
        cut,
        tuple(b for b in dict.fromkeys(degraded) if b not in cut),
        g.started,
    )


class _Walk:
    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.order: list[str] = []
        self.nics: list[str] = []
        self.degraded: list[Break] = []
        self.memo: dict[str, list[Break]] = {}
        self.roots: set[str] = set()

    def root(self, name: str) -> list[Break]:
        """A root must be started at boot itself, and carry traffic."""
        self.roots.add(name)
        found = list(self.visit(name, None))
        node = self.g.nodes.get(name)
        if node is not None and not any(b.interface == name for b in found):
            found = self._not_started(name, node.stanzas[0], "") + found
        return found

    def visit(self, name: str, via: Attribute | None) -> list[Break]:
        """The breaks that keep ``name`` from carrying traffic at boot ([] = it does)."""
        if name in self.memo:
            return self.memo[name]
        self.memo[name] = []  # a loop is IFG304's, not a break
        self.order.append(name)
        own = self._own(name, via)
        node = self.g.nodes.get(name)
        below: list[Break] = []
        if node is not None and node.lowers:
            results = [self.visit(lower, attr) for lower, attr in node.lowers]
            if all(results):
                below = [b for r in results for b in r]
            else:
                self.degraded.extend(b for r in results for b in r)
        elif node is None or node.kind in ("device", "ovs-port"):
            self.nics.append(name)
        self.memo[name] = own + below
        return self.memo[name]

    def _own(self, name: str, via: Attribute | None) -> list[Break]:
        g = self.g
        node = g.nodes.get(name)
        if g.missing(name):
            where: Interface | Attribute | None = via or (node.stanzas[0] if node else None)
            if where is None:
                return []
            return [Break(name, "missing-nic", where, f"`{name}` is not a NIC of this host")]
        port = node is not None and node.kind in (*_PORTS, "ovs-bridge")
        if via is not None and via.key == "ovs-ports" and not port:
            return [not_a_port(name, via)]
        if node is None or node.kind not in _PORTS:
            return []
        incomplete = ovs_break(g, name)
        if incomplete is not None:
            return [incomplete]
        if name in self.roots:
            return []  # root() says it
        return self._not_started(name, node.stanzas[0], " (nothing starts an OVS port for you)")

    def _not_started(self, name: str, where: Interface, why: str) -> list[Break]:
        g = self.g
        if name in g.started or not g.declares_boot() or g.logical(name):
            return []
        message = f"nothing brings `{name}` up at boot: no `auto {name}`{why}"
        return [Break(name, "not-started", where, message)]
