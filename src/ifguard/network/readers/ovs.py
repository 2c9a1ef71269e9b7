"""Open vSwitch as it runs: bridges, ports (tag, trunks, vlan_mode, bond options) and
interfaces from one ``ovs-vsctl --format=json`` transaction (a consistent snapshot), bond
and LACP status from ``ovs-appctl bond/show`` and ``lacp/show``. OVS not installed or not
running is a status, never an exception.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ifguard.network.readers.types import Bond, BondMember, OvsInterface, OvsPort, OvsState
from ifguard.system.runner import Runner

COLUMNS = (
    ("Bridge", "name,ports"),
    ("Port", "_uuid,name,interfaces,tag,trunks,vlan_mode,bond_mode,lacp,other_config"),
    ("Interface", "_uuid,name,type,link_state,admin_state,error"),
)


def vsctl_argv() -> list[str]:
    argv = ["ovs-vsctl", "--timeout=5", "--format=json"]
    for table, columns in COLUMNS:
        argv += ["--", f"--columns={columns}", "list", table]
    return argv


def _atom(value: Any) -> Any:
    """An OVSDB JSON value as Python: a set as a list, a map as a dict, a uuid as its text."""
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], str):
        tag, body = value
        if tag == "set":
            return [_atom(v) for v in body]
        if tag == "map":
            return {str(_atom(k)): str(_atom(v)) for k, v in body}
        if tag in ("uuid", "named-uuid"):
            return str(body)
    return value


def _one(value: Any) -> Any:
    """An optional column (a set of at most one element) as the element or None."""
    value = _atom(value)
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _many(value: Any) -> list[Any]:
    value = _atom(value)
    return value if isinstance(value, list) else [value]


def _rows(text: str) -> list[dict[str, Any]]:
    table = json.loads(text)
    return [dict(zip(table["headings"], row, strict=True)) for row in table["data"]]


def parse_vsctl(
    output: str,
) -> tuple[dict[str, tuple[str, ...]], dict[str, OvsPort], dict[str, OvsInterface]]:
    lines = [ln for ln in output.splitlines() if ln.strip()]
    if len(lines) != len(COLUMNS):
        raise ValueError(f"expected {len(COLUMNS)} tables from ovs-vsctl, got {len(lines)}")
    bridges_raw, ports_raw, ifaces_raw = (_rows(ln) for ln in lines)
    iface_by_uuid: dict[str, OvsInterface] = {}
    for row in ifaces_raw:
        iface_by_uuid[_atom(row["_uuid"])] = OvsInterface(
            str(row["name"]),
            str(row["type"]),
            _one(row["link_state"]),
            _one(row["admin_state"]),
            _one(row["error"]),
        )
    port_by_uuid = {_atom(row["_uuid"]): row for row in ports_raw}
    bridges: dict[str, tuple[str, ...]] = {}
    ports: dict[str, OvsPort] = {}
    for row in bridges_raw:
        bridge = str(row["name"])
        names = []
        for uuid in _many(row["ports"]):
            prow = port_by_uuid.get(uuid)
            if prow is None:
                continue
            name = str(prow["name"])
            names.append(name)
            tag = _one(prow["tag"])
            ports[name] = OvsPort(
                name,
                bridge,
                tuple(
                    iface_by_uuid[u].name for u in _many(prow["interfaces"]) if u in iface_by_uuid
                ),
                int(tag) if tag is not None else None,
                tuple(sorted(int(t) for t in _many(prow["trunks"]))),
                _one(prow["vlan_mode"]),
                _one(prow["bond_mode"]),
                _one(prow["lacp"]),
                dict(_atom(prow["other_config"])),
            )
        bridges[bridge] = tuple(sorted(names))
    interfaces = {i.name: i for i in iface_by_uuid.values()}
    return bridges, ports, interfaces


def _sections(text: str) -> dict[str, list[str]]:
    """``---- NAME ----`` headed sections of ovs-appctl output."""
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("---- ") and line.endswith(" ----"):
            current = out.setdefault(line[5:-5], [])
        elif current is not None:
            current.append(line)
    return out


def parse_bonds(bond_show: str, lacp_show: str = "") -> dict[str, Bond]:
    lacp_members: dict[tuple[str, str], str] = {}
    for name, lines in _sections(lacp_show).items():
        for line in lines:
            if line.startswith("member: ") or line.startswith("slave: "):
                member, _, state = line.split(": ", 1)[1].partition(": ")
                lacp_members[(name, member)] = state.strip()
    bonds: dict[str, Bond] = {}
    for name, lines in _sections(bond_show).items():
        fields: dict[str, str] = {}
        members: list[BondMember] = []
        active = None
        for line in lines:
            if line.startswith(("member ", "slave ")) and ":" in line:
                member, _, state = line.split(" ", 1)[1].partition(":")
                members.append(
                    BondMember(member, state.strip() == "enabled", lacp_members.get((name, member)))
                )
            elif line.startswith("active member mac:") or line.startswith("active slave mac:"):
                active = line.rpartition("(")[2].rstrip(")") or None
            elif ": " in line and not line.startswith(" "):
                key, _, value = line.partition(": ")
                fields[key] = value.strip()
        lacp = fields.get("lacp_status", "off")
        bonds[name] = Bond(
            name,
            "ovs",
            fields.get("bond_mode", ""),
            lacp,
            tuple(members),
            active if active != "none" else None,
        )
    return bonds


def _failure(argv: Sequence[str], rc: int, err: str) -> str:
    if rc == 127:
        return "not installed"
    if "database connection failed" in err or "No such file" in err or "Connection refused" in err:
        return "not running"
    return f"error: {argv[0]} exit {rc}: {err.strip().splitlines()[-1] if err.strip() else ''}"


def read_ovs(runner: Runner) -> OvsState:
    done = runner.run(vsctl_argv(), timeout=10)
    if not done.ok:
        return OvsState(_failure(["ovs-vsctl"], done.rc, done.err))
    try:
        bridges, ports, interfaces = parse_vsctl(done.out)
    except (ValueError, KeyError, TypeError) as exc:
        return OvsState(f"error: unexpected ovs-vsctl output ({exc})")
    bonds: dict[str, Bond] = {}
    if any(len(p.interfaces) > 1 for p in ports.values()):
        shown = runner.run(["ovs-appctl", "-T", "5", "bond/show"], timeout=10)
        lacp = runner.run(["ovs-appctl", "-T", "5", "lacp/show"], timeout=10)
        if not shown.ok:
            return OvsState(
                _failure(["ovs-appctl"], shown.rc, shown.err), bridges, ports, interfaces
            )
        bonds = parse_bonds(shown.out, lacp.out if lacp.ok else "")
    return OvsState("ok", bridges, ports, interfaces, bonds)
