"""ifguard drift and ifguard probe against the real stack in the lab: changes made behind
ifupdown2's back, a cut uplink, a gateway that stops answering."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from .conftest import ifguard

pytestmark = pytest.mark.e2e


def drift(lab: Any) -> tuple[int, set[tuple[str, str, str, str]]]:
    proc = ifguard(lab, "drift", "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    found = json.loads(proc.stdout)["drift"]
    return proc.returncode, {(d["interface"], d["kind"], d["expected"], d["actual"]) for d in found}


def probe(lab: Any, *args: str) -> tuple[int, dict[str, tuple[str, str]]]:
    proc = ifguard(lab, "probe", "--format", "json", *args)
    assert proc.returncode in (0, 1), proc.stderr
    data = json.loads(proc.stdout)
    assert data["healthy"] == (proc.returncode == 0)
    return proc.returncode, {p["name"]: (p["status"], p["detail"]) for p in data["probes"]}


def test_clean_lab_has_no_drift_and_is_healthy(lab: Any) -> None:
    assert drift(lab) == (0, set())
    rc, probes = probe(lab, "--target", lab.admin_ip)
    assert rc == 0 and probes[f"target {lab.admin_ip}"][0] == "pass"
    assert probes["bond bond0 members"] == ("pass", "up: enp1s0 enx60a4b758ba5b; LACP negotiated")
    text = ifguard(lab, "drift").stdout
    assert "no drift" in text


def test_port_removed_behind_ifupdown2s_back(lab: Any) -> None:
    lab.host(["ovs-vsctl", "del-port", "vmbr0", "vlan1001"], check=True)
    rc, found = drift(lab)
    assert rc == 1
    assert ("vmbr0", "port-missing", "vlan1001", "absent") in found
    assert ("vlan1001", "missing", "port of vmbr0", "absent") in found


def test_tag_changed_behind_ifupdown2s_back(lab: Any) -> None:
    lab.host(["ovs-vsctl", "set", "port", "vlan1001", "tag=1002"], check=True)
    assert drift(lab) == (1, {("vlan1001", "tag", "1001", "1002")})
    out = ifguard(lab, "drift").stdout
    assert "vlan1001: tag: vlan1001 tag is 1002, configured 1001" in out


def test_cut_uplinks(lab: Any) -> None:
    lab.switch(["ip", "link", "set", "sw1", "down"], check=True)
    time.sleep(1.5)
    rc, probes = probe(lab)
    assert rc == 0  # one member left: degraded, still reachable
    assert probes["bond bond0 members"][0] == "warn"
    assert "down: enp1s0" in probes["bond bond0 members"][1]
    assert lab.admin_reaches_host()
    lab.switch(["ip", "link", "set", "sw2", "down"], check=True)
    time.sleep(1.5)
    rc, probes = probe(lab)
    assert rc == 1
    assert probes["bond bond0 members"][0] == "fail"
    assert probes["gateway 192.0.2.1 reachable"][0] == "fail"


def test_gateway_stops_answering(lab: Any) -> None:
    # the gateway's interface stays up, it just stops answering ARP and ICMP
    lab.switch(["ip", "link", "set", "gw1", "arp", "off"], check=True)
    lab.switch(["ip", "neigh", "flush", "dev", "gw1"])
    lab.host(["ip", "neigh", "flush", "dev", "vlan1"])
    lab.switch(["sysctl", "-qw", "net.ipv4.icmp_echo_ignore_all=1"], check=True)
    rc, probes = probe(lab, "--timeout", "1")
    assert rc == 1
    assert probes["gateway 192.0.2.1 reachable"] == ("fail", "no ARP or ICMP reply")
    # everything local is still fine: the probe says what is wrong, not just "down"
    assert {name for name, (status, _) in probes.items() if status == "fail"} == {
        "gateway 192.0.2.1 reachable"
    }
    text = ifguard(lab, "probe", "--timeout", "1").stdout
    assert "FAIL  gateway 192.0.2.1 reachable: no ARP or ICMP reply" in text
    assert "NOT healthy" in text
