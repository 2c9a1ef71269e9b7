"""Drift: what the configuration asks for against what is running (``ifguard drift``).

Pure: a ``Config`` and a ``runtime.Runtime`` in, ``Drift`` records out. Checked: interfaces
brought up at boot (``auto``/``allow-*``) that are absent or down; static addresses, default
gateways and MTU; Linux bridge ports and bond slaves; Open vSwitch bridges, ports, bond
members and the ``ovs_options`` that ifupdown2 sets on a port (tag, trunks, vlan_mode,
bond_mode, lacp). Ports that Proxmox or libvirt add at run time (VM taps, firewall
veths) are not drift.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ifguard.config import topology
from ifguard.config.model import Config
from ifguard.network.readers.types import OvsPort, Runtime, is_global
from ifguard.network.state import state_from_config

# created at run time by Proxmox (VM/CT NICs, firewall bridges) or libvirt/docker
RUNTIME_PORT = re.compile(r"^(tap\d|veth\d|fwln|fwpr|fwbr|vnet\d|vif\d)")
PORT_OPTIONS = ("tag", "trunks", "vlan_mode", "bond_mode", "lacp")
STATIC = ("static", "manual", "loopback", "")


@dataclass(frozen=True)
class Drift:
    interface: str
    kind: str
    expected: str
    actual: str
    message: str


def _norm(cidr: str) -> str:
    try:
        return str(ipaddress.ip_interface(cidr))
    except ValueError:
        return cidr


def _brought_up(config: Config, name: str) -> bool:
    return name in config.auto or any(name in names for names in config.allow.values())


def _ids(text: str) -> str:
    return ",".join(
        str(i) for i in sorted({int(t) for t in re.split(r"[,\s]+", text) if t.isdigit()})
    )


def _check_ovs(config: Config, rt: Runtime) -> Iterator[Drift]:
    ovs = rt.ovs
    stanzas = {i.name: i for i in config.interfaces if i.stanza == "iface"}
    for name, iface in stanzas.items():
        kind = (topology.ovs_type(iface) or "").lower()
        if not kind:
            continue
        if not ovs.available:
            yield Drift(
                name,
                "ovs-unavailable",
                kind,
                ovs.status,
                f"{name} is an Open vSwitch {kind} but Open vSwitch is {ovs.status}",
            )
            continue
        if kind == "ovsbridge":
            if name not in ovs.bridges:
                yield Drift(
                    name, "missing", "OVS bridge", "absent", f"OVS bridge {name} does not exist"
                )
                continue
            want = set(iface.words("ovs-ports"))
            have = {p for p in ovs.bridges[name] if p != name}
            for port in sorted(want - have):
                yield Drift(
                    name,
                    "port-missing",
                    port,
                    "absent",
                    f"{port} is not a port of OVS bridge {name}",
                )
            for port in sorted(have - want):
                if not RUNTIME_PORT.match(port) and port not in stanzas:
                    yield Drift(
                        name,
                        "port-extra",
                        "absent",
                        port,
                        f"{port} is a port of {name} but the configuration does not name it",
                    )
            continue
        bridge = (iface.get("ovs-bridge") or "").split()
        found = ovs.ports.get(name)
        if found is None:
            yield Drift(
                name,
                "missing",
                f"port of {bridge[0] if bridge else '?'}",
                "absent",
                f"{name} is not a port of any OVS bridge",
            )
            continue
        if bridge and found.bridge != bridge[0]:
            yield Drift(
                name,
                "bridge",
                bridge[0],
                found.bridge,
                f"{name} is a port of {found.bridge}, not {bridge[0]}",
            )
        if kind == "ovsbond":
            members = sorted(iface.words("ovs-bonds"))
            running = sorted(found.interfaces)
            if members != running:
                yield Drift(
                    name,
                    "bond-members",
                    " ".join(members),
                    " ".join(running),
                    f"bond {name} members are {' '.join(running) or 'none'}, "
                    f"configured {' '.join(members)}",
                )
        yield from _port_options(name, topology.ovs_options(iface), found)


def _port_options(name: str, options: dict[str, str], port: OvsPort) -> Iterator[Drift]:
    actual = {
        "tag": "" if port.tag is None else str(port.tag),
        "trunks": ",".join(str(t) for t in port.trunks),
        "vlan_mode": port.vlan_mode or "",
        "bond_mode": port.bond_mode or "",
        "lacp": port.lacp or "",
    }
    for key in PORT_OPTIONS:
        if key not in options:
            continue
        want = _ids(options[key]) if key == "trunks" else options[key]
        if want != actual[key]:
            yield Drift(
                name,
                key.replace("_", "-"),
                want,
                actual[key] or "(unset)",
                f"{name} {key} is {actual[key] or 'unset'}, configured {want}",
            )


def _check_links(config: Config, rt: Runtime) -> Iterator[Drift]:
    state = state_from_config(config)
    defaults = rt.defaults()
    for name, port in state.ports.items():
        iface = config.iface(name)
        if iface is None or port.kind == "loopback":
            continue
        ovs_bond = port.kind == "ovs-bond"
        link = rt.links.get(name)
        if link is None and not ovs_bond:
            if _brought_up(config, name):
                yield Drift(
                    name,
                    "missing",
                    "present",
                    "absent",
                    f"{name} is brought up at boot but does not exist",
                )
            continue
        if link is None:
            continue
        if _brought_up(config, name) and not link.up and not ovs_bond:
            yield Drift(name, "down", "up", "down", f"{name} is administratively down")
        if port.mtu and link.mtu is not None and port.mtu != str(link.mtu):
            yield Drift(
                name,
                "mtu",
                port.mtu,
                str(link.mtu),
                f"{name} MTU is {link.mtu}, configured {port.mtu}",
            )
        if iface.method in STATIC and not port.dynamic:
            want = {_norm(a) for a in port.addresses}
            have = {a for a in link.addresses if is_global(a)}
            for a in sorted(want - have):
                yield Drift(
                    name, "address-missing", a, "absent", f"{name} lacks configured address {a}"
                )
            for a in sorted(have - want):
                yield Drift(
                    name,
                    "address-extra",
                    "absent",
                    a,
                    f"{name} has address {a} that the configuration does not give",
                )
        for gw in port.gateways:
            if not any(r.gateway == gw and r.dev == name for r in defaults):
                via = ", ".join(f"{r.gateway} dev {r.dev}" for r in defaults) or "none"
                yield Drift(
                    name,
                    "gateway",
                    gw,
                    via,
                    f"no default route via {gw} on {name} (default routes: {via})",
                )
        aware = (iface.get("bridge-vlan-aware") or "").lower()
        if (
            aware in ("yes", "no")
            and link.vlan_filtering is not None
            and link.vlan_filtering != (aware == "yes")
        ):
            yield Drift(
                name,
                "vlan-filtering",
                aware,
                "yes" if link.vlan_filtering else "no",
                f"{name} VLAN filtering is {'on' if link.vlan_filtering else 'off'}, "
                f"configured bridge-vlan-aware {aware}",
            )
        if port.kind in ("bond", "bridge"):
            want_m = set(port.members)
            have_m = {n for n, lk in rt.links.items() if lk.master == name}
            for m in sorted(want_m - have_m):
                yield Drift(name, "member-missing", m, "absent", f"{m} is not enslaved to {name}")
            for m in sorted(have_m - want_m):
                if port.kind == "bond" or not RUNTIME_PORT.match(m):
                    yield Drift(
                        name,
                        "member-extra",
                        "absent",
                        m,
                        f"{m} is enslaved to {name} but the configuration does not name it",
                    )


def drift(config: Config, rt: Runtime) -> list[Drift]:
    return [*_check_links(config, rt), *_check_ovs(config, rt)]
