"""The running network as a ``NetState``, converted from an ``ifguard.network.readers``
snapshot (netlink links/addresses/routes and the Open vSwitch database), so ``plan`` and
``apply`` compare a candidate with what runs. Kernel-internal and unconfigured devices are
left out by ``restrict``: the plan compares what the files name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from ifguard.network.readers.types import Runtime, is_global
from ifguard.network.state import NetState, Port

_KINDS = {
    "bridge": "bridge",
    "bond": "bond",
    "vlan": "vlan",
    "veth": "physical",
    "dummy": "physical",
    "openvswitch": "ovs-intport",
    "tun": "physical",
}


def running_state(rt: Runtime) -> NetState | None:
    """None when nothing could be read over netlink (no running state to compare with)."""
    if not rt.links:
        return None
    gateways: dict[str, list[str]] = {}
    for r in rt.defaults():
        if r.gateway and r.dev:
            gateways.setdefault(r.dev, []).append(r.gateway)
    ports: dict[str, Port] = {}
    for name, link in rt.links.items():
        kind = "loopback" if name == "lo" else _KINDS.get(link.kind, "physical")
        master = None if link.master in (None, "ovs-system") else link.master
        ports[name] = Port(
            name,
            kind,
            master,
            (),
            (link.parent,) if kind == "vlan" and link.parent else (),
            tuple(a for a in link.addresses if is_global(a)),
            tuple(gateways.get(name, ())),
            str(link.vlan_id) if link.vlan_id is not None else None,
            str(link.mtu) if link.mtu is not None else None,
        )
    for name in [n for n, p in ports.items() if p.kind in ("bond", "bridge")]:
        members = tuple(n for n, p in ports.items() if p.master == name)
        ports[name] = _with(ports[name], members=members, lower=members)
    _overlay_ovs(rt, ports)
    return NetState(ports, source="running")


def _with(port: Port, **changes: Any) -> Port:
    return replace(port, **changes)


def _overlay_ovs(rt: Runtime, ports: dict[str, Port]) -> None:
    ovs = rt.ovs
    if not ovs.available:
        return
    for bridge, names in ovs.bridges.items():
        members: list[str] = []
        lower: list[str] = []
        for name in names:
            port = ovs.ports.get(name)
            if port is None or name == bridge:
                continue
            tag = str(port.tag) if port.tag is not None else None
            members.append(name)
            base = ports.get(name, Port(name, "physical"))
            iface = ovs.interfaces.get(port.interfaces[0]) if port.interfaces else None
            if len(port.interfaces) > 1:
                ports[name] = _with(
                    base,
                    kind="ovs-bond",
                    master=bridge,
                    members=port.interfaces,
                    lower=port.interfaces,
                    tag=tag,
                )
                for n in port.interfaces:
                    ports[n] = _with(ports.get(n, Port(n, "physical")), master=name)
                lower.append(name)
            elif iface is not None and iface.type == "internal":
                ports[name] = _with(
                    base, kind="ovs-intport", master=bridge, lower=(bridge,), tag=tag
                )
            else:
                ports[name] = _with(base, master=bridge, tag=tag)
                lower.append(name)
        own = ports.get(bridge, Port(bridge, "ovs-bridge"))
        ports[bridge] = _with(own, kind="ovs-bridge", members=tuple(members), lower=tuple(lower))


def restrict(state: NetState, names: Iterable[str]) -> NetState:
    """Only the interfaces the files name, and only those as members: VM taps, firewall
    bridges and other devices the files do not manage are left out of the comparison."""
    keep = set(names)
    return NetState(
        {
            n: _with(
                p,
                members=tuple(m for m in p.members if m in keep),
                lower=tuple(m for m in p.lower if m in keep),
            )
            for n, p in state.ports.items()
            if n in keep
        },
        state.source,
    )
