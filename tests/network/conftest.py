"""Runtime snapshots rebuilt from what was recorded in the lab (lab/record_fixtures.py)."""

from __future__ import annotations

from pathlib import Path

from ifguard.config.model import Config, build
from ifguard.config.source import load_text
from ifguard.network.readers import ovs
from ifguard.network.readers.netlink import RecordedSource, read_netlink
from ifguard.network.readers.types import OvsState, Runtime

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "runtime"
REPO = Path(__file__).resolve().parents[2]


def recorded(name: str) -> Runtime:
    d = FIXTURES / name
    links, routes = read_netlink(RecordedSource.from_file(d / "netlink.json"))
    bridges, ports, ifaces = ovs.parse_vsctl((d / "ovs-vsctl.json").read_text())
    bonds = ovs.parse_bonds((d / "bond-show.txt").read_text(), (d / "lacp-show.txt").read_text())
    return Runtime(links, routes, {}, OvsState("ok", bridges, ports, ifaces, bonds))


def incident_config(text: str | None = None) -> Config:
    if text is None:
        text = (REPO / "examples" / "proxmox-ovs.interfaces").read_text()
    return build(load_text(text).documents)
