"""The running network as a ``plan.NetState``: ``ip -j -d link/addr/route`` and the Open vSwitch
database (``ovs-vsctl list``), read through a ``Runner``.

A stop-gap reader for ``ifguard plan``/``apply`` until ``ifguard.runtime`` provides one; it
only reads. Kernel-internal and unconfigured devices are left out by ``restrict``: the plan
compares what the files name.
"""

from __future__ import annotations

import csv
import ipaddress
import json
from collections.abc import Iterable, Sequence
from typing import Any

from ifguard.apply.effects import Runner
from ifguard.plan import NetState, Port

_KINDS = {"bridge": "bridge", "bond": "bond", "vlan": "vlan", "veth": "physical",
          "dummy": "physical", "openvswitch": "ovs-intport", "tun": "physical"}


def _json(runner: Runner, argv: Sequence[str]) -> list[dict[str, Any]] | None:
    done = runner.run(argv, timeout=10)
    if not done.ok:
        return None
    try:
        data = json.loads(done.out or "[]")
    except ValueError:
        return None
    return [d for d in data if isinstance(d, dict)]


def _csv(runner: Runner, table: str, columns: str) -> list[list[str]] | None:
    done = runner.run(["ovs-vsctl", "--timeout=5", "--format=csv", "--data=bare",
                       "--no-headings", f"--columns={columns}", "list", table], timeout=10)
    if not done.ok:
        return None
    return [row for row in csv.reader(done.out.splitlines()) if row]


def _global(info: dict[str, Any]) -> bool:
    try:
        ip = ipaddress.ip_address(str(info.get("local")))
    except ValueError:
        return False
    return not (ip.is_link_local or ip.is_loopback)


def running_state(runner: Runner) -> NetState | None:
    """None when ``ip`` cannot be run (no running state to compare with)."""
    links = _json(runner, ["ip", "-j", "-d", "link", "show"])
    if links is None:
        return None
    addrs = {a.get("ifname"): a for a in _json(runner, ["ip", "-j", "addr", "show"]) or []}
    gateways: dict[str, list[str]] = {}
    for family in ("-4", "-6"):
        for r in _json(runner, ["ip", "-j", family, "route", "show", "default"]) or []:
            if r.get("gateway") and r.get("dev"):
                gateways.setdefault(str(r["dev"]), []).append(str(r["gateway"]))
    ports: dict[str, Port] = {}
    for link in links:
        name = str(link.get("ifname", ""))
        info = link.get("linkinfo") or {}
        kind = "loopback" if link.get("link_type") == "loopback" else _KINDS.get(
            str(info.get("info_kind", "")), "physical")
        master = link.get("master")
        vlan = info.get("info_data", {}) if kind == "vlan" else {}
        parent = link.get("link")
        ports[name] = Port(
            name, kind, None if master in (None, "ovs-system") else str(master), (),
            (str(parent),) if kind == "vlan" and parent else (),
            tuple(f"{a['local']}/{a['prefixlen']}"
                  for a in addrs.get(name, {}).get("addr_info", []) if _global(a)),
            tuple(gateways.get(name, ())),
            str(vlan["id"]) if "id" in vlan else None, str(link.get("mtu", "")) or None)
    for name in [n for n, p in ports.items() if p.kind in ("bond", "bridge")]:
        members = tuple(n for n, p in ports.items() if p.master == name)
        ports[name] = _with(ports[name], members=members, lower=members)
    _overlay_ovs(runner, ports)
    return NetState(ports, source="running")


def _with(port: Port, **changes: Any) -> Port:
    from dataclasses import replace

    return replace(port, **changes)


def _overlay_ovs(runner: Runner, ports: dict[str, Port]) -> None:
    bridges = _csv(runner, "Bridge", "name,ports")
    port_rows = _csv(runner, "Port", "_uuid,name,tag,interfaces")
    iface_rows = _csv(runner, "Interface", "_uuid,name,type")
    if not bridges or port_rows is None or iface_rows is None:
        return
    ifaces = {row[0]: (row[1], row[2] if len(row) > 2 else "") for row in iface_rows}
    by_uuid = {row[0]: row for row in port_rows}
    for bridge, port_uuids in ((b[0], b[1].split() if len(b) > 1 else []) for b in bridges):
        members: list[str] = []
        lower: list[str] = []
        for uuid in port_uuids:
            row = by_uuid.get(uuid)
            if row is None or row[1] == bridge:
                continue
            name, tag = row[1], (row[2] or None) if len(row) > 2 else None
            names = [ifaces.get(u, ("", ""))[0] for u in (row[3].split() if len(row) > 3
                                                          else [])]
            members.append(name)
            base = ports.get(name, Port(name, "physical"))
            if len(names) > 1:
                ports[name] = _with(base, kind="ovs-bond", master=bridge, members=tuple(names),
                                    lower=tuple(names), tag=tag)
                for n in names:
                    ports[n] = _with(ports.get(n, Port(n, "physical")), master=name)
                lower.append(name)
            elif ifaces.get((row[3].split() or [""])[0], ("", ""))[1] == "internal":
                ports[name] = _with(base, kind="ovs-intport", master=bridge, lower=(bridge,),
                                    tag=tag)
            else:
                ports[name] = _with(base, master=bridge, tag=tag)
                lower.append(name)
        own = ports.get(bridge, Port(bridge, "ovs-bridge"))
        ports[bridge] = _with(own, kind="ovs-bridge", members=tuple(members),
                              lower=tuple(lower))


def restrict(state: NetState, names: Iterable[str]) -> NetState:
    """Only the interfaces the files name, and only those as members: VM taps, firewall
    bridges and other devices the files do not manage are left out of the comparison."""
    keep = set(names)
    return NetState({n: _with(p, members=tuple(m for m in p.members if m in keep),
                              lower=tuple(m for m in p.lower if m in keep))
                     for n, p in state.ports.items() if n in keep}, state.source)
