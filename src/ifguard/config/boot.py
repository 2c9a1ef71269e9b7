"""What the next boot brings up, from the configuration alone: the *boot model*.

At boot ``networking.service`` runs ``ifup`` for the ``allow-mgmt`` class, then ``ifup -a``
(every ``auto`` interface and, through ifupdown2's dependency graph, what it sits on: bond
slaves, bridge ports, a VLAN's raw device, an OVS port's ``ovs_bridge``), then the
``allow-hotplug`` interfaces whose device already exists. Open vSwitch ports are added only
from their own stanza, and only when it has both ``ovs_type`` and ``ovs_bridge`` (ifupdown2's
``openvswitch_port`` addon; classic ifupdown's ``ovs_ports`` hook starts the same stanzas);
nothing depends on an OVS bond or port, so it must be started itself.

``Graph`` is that reading of a ``Config``: stanzas merged by name, their kind, the devices
each sits on, what boot starts; ``ovs_break`` names an OVS port ifupdown2 would not add.
``ifguard.config.bootpath`` walks the management path over it.

Pure functions over a ``Config``; no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from ifguard.config import topology
from ifguard.config.model import Attribute, Config, Interface

BRIDGE_TYPES = frozenset({"OVSBridge", "OVSUserspaceBridge"})
# keys that make a stanza create its own device (so its name is not a NIC's)
CREATES = frozenset(
    {
        "bridge-ports",
        "bond-slaves",
        "slaves",
        "bond-members",
        "bond-mode",
        "ovs-type",
        "vlan-raw-device",
        "link-type",
        "vxlan-id",
        "mode",  # tunnels
        "vrf-table",
        "pre-up",
        "up",
    }
)
_LINUX_BOND = ("bond-slaves", "slaves", "bond-members")
_DEPENDS = frozenset({"requires", "vrf", "vrf-member", "tunnel-physdev", "vxlan-physdev", "link"})


class Break(NamedTuple):
    """One link that would not come up at boot."""

    interface: str
    kind: str  # "not-started" | "ovs-incomplete" | "missing-nic"
    where: Interface | Attribute  # the stanza or line to fix
    message: str


class _Node(NamedTuple):
    name: str
    stanzas: tuple[Interface, ...]
    kind: str
    lowers: tuple[tuple[str, Attribute | None], ...]  # (name, the line that links it)


def _ovs_type(stanzas: Iterable[Interface]) -> str | None:
    return next((t for i in stanzas if (t := topology.ovs_type(i))), None)


def _first(stanzas: Iterable[Interface], key: str) -> Attribute | None:
    return next((a for i in stanzas for a in i.find(key)), None)


def _kind(stanzas: tuple[Interface, ...]) -> str:
    ovs = _ovs_type(stanzas)
    if ovs in BRIDGE_TYPES:
        return "ovs-bridge"
    if ovs:
        return {"OVSIntPort": "ovs-intport", "OVSBond": "ovs-bond", "OVSDPDKBond": "ovs-bond"}.get(
            ovs, "ovs-port"
        )
    if _first(stanzas, "ovs-bridge"):
        return "ovs-port"  # untyped: an incomplete pair
    if any(i.name == "lo" or i.method == "loopback" for i in stanzas):
        return "loopback"
    keys = {a.key for i in stanzas for a in i.attributes}
    if keys & {*_LINUX_BOND, "bond-mode"}:
        return "bond"
    if "bridge-ports" in keys:
        return "bridge"
    if any(topology.vlan_parent(i) for i in stanzas):
        return "vlan"
    return "virtual" if keys & CREATES else "device"


class Graph:
    """The configuration as ifup sees it at boot: stanzas merged by name, their kind, the
    devices each sits on, and what ``ifup -a`` (with hotplug and allow classes) starts."""

    def __init__(self, config: Config, inventory: frozenset[str] | None = None) -> None:
        self.config = config
        self.inventory = inventory
        by_name: dict[str, list[Interface]] = {}
        for iface in config.interfaces:
            if iface.stanza == "iface" and iface.name:
                by_name.setdefault(iface.name, []).append(iface)
        self.stanzas = {n: tuple(s) for n, s in by_name.items()}
        kinds = {n: _kind(s) for n, s in self.stanzas.items()}
        self.kinds = kinds
        self.listed_by: dict[str, tuple[str, Attribute]] = {}  # OVS port -> (bridge, ovs_ports)
        for name, stanzas in self.stanzas.items():
            if kinds[name] == "ovs-bridge":
                for attr in (a for i in stanzas for a in i.find("ovs-ports")):
                    for port in topology.member_names(attr):
                        self.listed_by.setdefault(port, (name, attr))
        # ports naming their OVS bridge, slaves naming their bond (`bond-master`)
        self.declared: dict[str, list[tuple[str, Attribute | None]]] = {}
        self.masters: dict[str, list[tuple[str, Attribute | None]]] = {}
        for name, stanzas in self.stanzas.items():
            for key, into in (("ovs-bridge", self.declared), ("bond-master", self.masters)):
                found = _first(stanzas, key)
                if found is not None and found.value.split():
                    into.setdefault(found.value.split()[0], []).append((name, found))
        self.nodes = {n: self._node(n, s) for n, s in self.stanzas.items()}
        self.started = self._started()

    def bridge_of(self, name: str) -> tuple[str, Attribute | None] | None:
        """The OVS bridge a port belongs to: its ``ovs_bridge``, else the bridge listing it."""
        attr = _first(self.stanzas.get(name, ()), "ovs-bridge")
        if attr is not None and attr.value.split():
            return attr.value.split()[0], attr
        listed = self.listed_by.get(name)
        return (listed[0], listed[1]) if listed else None

    def _node(self, name: str, stanzas: tuple[Interface, ...]) -> _Node:
        kind = self.kinds[name]
        lowers: list[tuple[str, Attribute | None]] = []
        if kind == "ovs-intport":
            bridge = self.bridge_of(name)
            lowers = [bridge] if bridge else []
        elif kind == "ovs-bridge":
            ports: list[tuple[str, Attribute | None]] = [
                (p, a) for p, (b, a) in self.listed_by.items() if b == name
            ]
            ports += [(p, a) for p, a in self.declared.get(name, ()) if p not in self.listed_by]
            lowers = [(p, a) for p, a in ports if self.kinds.get(p) != "ovs-intport"]
        elif kind == "ovs-bond":
            lowers = [
                (m, a)
                for i in stanzas
                for a in i.find("ovs-bonds")
                for m in topology.member_names(a)
            ]
        elif kind in ("bond", "bridge"):
            keys = _LINUX_BOND if kind == "bond" else ("bridge-ports",)
            lowers = [
                (m, a)
                for i in stanzas
                for k in keys
                for a in i.find(k)
                for m in topology.member_names(a)
            ]
            if kind == "bond":  # ifenslave style: the slave names its master
                lowers += self.masters.get(name, [])
        elif kind == "vlan":
            parent = next((p for i in stanzas if (p := topology.vlan_parent(i))), None)
            raw = _first(stanzas, "vlan-raw-device")
            lowers = [(parent[0], raw)] if parent else []
        unique = {lower: attr for lower, attr in reversed(lowers)}  # the first line of each
        order = dict.fromkeys(n for n, _ in lowers)
        return _Node(name, stanzas, kind, tuple((n, unique[n]) for n in order))

    def ovs_complete(self, name: str) -> bool:
        """Whether one stanza of ``name`` has both ``ovs_type`` and ``ovs_bridge``."""
        return any(topology.ovs_type(i) and i.get("ovs-bridge") for i in self.stanzas.get(name, ()))

    def missing(self, name: str) -> bool:
        """A NIC name the host does not have, that no stanza creates (inventory known)."""
        if self.inventory is None or name in self.inventory or not topology.looks_like_nic(name):
            return False
        return self.kinds.get(name, "device") == "device"

    def declares_boot(self) -> bool:
        """Whether the configuration says what boot brings up (an ``auto``/``allow-`` line)."""
        return any(
            s.keyword == "auto" or s.keyword.startswith("allow-") for s in self.config.statements
        )

    def _started(self) -> frozenset[str]:
        config = self.config
        todo = set(config.auto)
        for cls, names in config.allow.items():
            if cls != "hotplug":  # mgmt, and the classes OVS's ifupdown hook starts
                todo |= names
        hotplug = config.allow.get("hotplug", frozenset())
        seen: set[str] = set()
        while True:
            while todo:
                name = todo.pop()
                if name in seen:
                    continue
                seen.add(name)
                todo.update(self._depends(name))
            # after `ifup -a`, hotplug interfaces whose device exists (a NIC of the host)
            late = {
                n
                for n in hotplug - seen
                if n in seen or (self.kinds.get(n, "device") == "device" and not self.missing(n))
            }
            if not late:
                return frozenset(seen)
            todo |= late

    def _depends(self, name: str) -> list[str]:
        """What ifupdown2 brings up before ``name`` (its lower devices in its graph)."""
        node = self.nodes.get(name)
        if node is None:
            return []
        if node.kind in ("ovs-intport", "ovs-bond", "ovs-port"):
            if not self.ovs_complete(name):
                return []
            bridge = self.bridge_of(name)
            return [bridge[0]] if bridge else []
        found = [n for n, _ in node.lowers] if node.kind in ("bond", "bridge", "vlan") else []
        for i in node.stanzas:  # ifupdown-ng `requires`, a VRF member's VRF, tunnel devices
            found += [w for a in i.attributes if a.key in _DEPENDS for w in a.value.split()]
        return found

    def logical(self, name: str) -> bool:
        """A logical interface (`ifup wlan0=home`, `mapping`, `wpa-roam`): started by its
        mapping, not by name, so boot cannot be judged from the file."""
        if self.kinds.get(name) not in ("device", None) or topology.looks_like_nic(name):
            return False
        return any(i.stanza == "mapping" for i in self.config.interfaces) or any(
            i.get("wpa-roam") for s in self.stanzas.values() for i in s
        )


def node_is_port(node: _Node | None) -> bool:
    return node is not None and node.kind in ("ovs-intport", "ovs-bond", "ovs-port")


def ovs_break(graph: Graph, name: str) -> Break | None:
    """Why ifupdown2 would not add OVS port ``name`` at boot (a missing half of the
    ``ovs_type``/``ovs_bridge`` pair), or None."""
    stanzas = graph.stanzas.get(name, ())
    if not stanzas or graph.ovs_complete(name):
        return None
    typed = _first(stanzas, "ovs-type")
    bridge = _first(stanzas, "ovs-bridge")
    listed = graph.listed_by.get(name)
    if typed is not None and _ovs_type(stanzas) not in BRIDGE_TYPES:
        where = f" (`{listed[0]}` lists it in `ovs_ports`)" if listed else ""
        return Break(
            name,
            "ovs-incomplete",
            typed,
            f"`{name}` has `ovs_type {typed.value.split()[0]}` but no `ovs_bridge`{where}: "
            f"ifupdown2 adds an OVS port only with both, so `{name}` does not exist after boot",
        )
    if bridge is not None and typed is None:
        return Break(
            name,
            "ovs-incomplete",
            bridge,
            f"`{name}` has `ovs_bridge {bridge.value.split()[0] if bridge.value.split() else ''}`"
            f" but no `ovs_type`: ifupdown2 adds an OVS port only with both, so `{name}` is "
            "not added at boot",
        )
    return None


def not_a_port(name: str, listed: Attribute) -> Break:
    """``name`` is in a bridge's ``ovs_ports`` (``listed``) but no stanza makes it a port."""
    return Break(
        name,
        "ovs-incomplete",
        listed,
        f"`{name}` is listed in `ovs_ports`, but no stanza makes it an OVS port (`ovs_type` "
        "and `ovs_bridge`): ifupdown2 does not add it at boot",
    )


def ovs_breaks(graph: Graph) -> list[Break]:
    """Every OVS port stanza of the configuration that ifupdown2 would not add at boot, and
    every stanza a bridge lists in ``ovs_ports`` that is not an OVS port at all."""
    out = []
    for name in graph.stanzas:
        found = ovs_break(graph, name)
        if found is not None:
            out.append(found)
    for name, (_, attr) in graph.listed_by.items():
        kind = graph.kinds.get(name)
        if kind is not None and not kind.startswith("ovs-"):
            out.append(not_a_port(name, attr))
    return out
