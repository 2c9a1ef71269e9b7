"""The incident, reproduced end to end in the lab (real ifupdown2 3.0 + Open vSwitch):

the clean file is up and the admin reaches the host; the `ip` line is appended; ifguard
lint flags it while ifquery/ifreload stay silent; `ifreload -a` runs as the automated reload
did, once with Debian's default ``ifreload_down_changed=0`` and once with ``=1``; drift and
probe report each resulting state, including the window in which bond0 is gone from OVS.
Then the ways such a file *does* cut the host off. Findings are printed (run with -s) and
written up in docs/incident.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

import pytest

from .conftest import ifguard

pytestmark = pytest.mark.e2e

JUNK = (
    "27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast "
    "master ovs-system state UP group default qlen 1000\n"
)

# Runs inside the lab host: samples ports, LACP status and drift every few ms until
# /tmp/ifguard-sampler.stop exists; one JSON line per sample.
SAMPLER = r"""
import json, os, sys, time
from pathlib import Path
from ifguard.network.drift import drift
from ifguard.config.model import build
from ifguard.network.readers import read_runtime
from ifguard.system.root import Root
from ifguard.config.source import load
stop = Path("/tmp/ifguard-sampler.stop")
config = build(load([Path("/etc/network/interfaces")], Root(Path("/"))).documents)
print("ready", flush=True)
while not stop.exists():
    rt = read_runtime()
    bond = rt.ovs.bonds.get("bond0")
    print(json.dumps({"t": time.time(), "ports": list(rt.ovs.bridges.get("vmbr0", ())),
                      "lacp": bond.lacp if bond else None,
                      "drift": sorted({f"{d.interface} {d.kind}" for d in drift(config, rt)})}),
          flush=True)
"""


def sample_during(lab: Any, action: Any) -> tuple[Any, list[dict[str, Any]]]:
    lab.host(["rm", "-f", "/tmp/ifguard-sampler.stop"])
    proc = subprocess.Popen(
        lab.h.argv([sys.executable, "-c", SAMPLER]), stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(0.2)
    result = action()
    time.sleep(2.0)  # LACP renegotiation and the re-created ports settle
    lab.host(["touch", "/tmp/ifguard-sampler.stop"])
    out, _ = proc.communicate(timeout=30)
    return result, [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def seconds_until_reachable(lab: Any, limit: float) -> float | None:
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if lab.admin_reaches_host():
            return time.monotonic() - start
    return None


def drift_json(lab: Any) -> list[dict[str, str]]:
    proc = ifguard(lab, "drift", "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    return list(json.loads(proc.stdout)["drift"])


def probe_json(lab: Any) -> dict[str, Any]:
    proc = ifguard(lab, "probe", "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


def test_seed_incident_end_to_end(lab: Any) -> None:
    report: dict[str, Any] = {}
    good = lab.read_interfaces()
    assert lab.admin_reaches_host()
    assert ifguard(lab, "lint").returncode == 0

    lab.write_interfaces(good + JUNK)
    lint = ifguard(lab, "lint")
    assert lint.returncode == 1 and "IFG101" in lint.stdout and ":43:1:" in lint.stdout
    # ifupdown2's own checks: exit 0, the line is an attribute `27:` of vmbr0
    query = lab.host(["ifquery", "-a"])
    assert query.returncode == 0 and "\t27: enx60a4b758ba5b:" in query.stdout
    report["ifquery"] = query.returncode

    # 1. Debian's default: ifreload_down_changed=0 -> nothing is torn down
    ports_before = lab.host(["ovs-vsctl", "list-ports", "vmbr0"]).stdout
    reload0, samples0 = sample_during(lab, lambda: lab.ifreload(down_changed=False))
    assert reload0.returncode == 0 and reload0.stderr == ""
    assert lab.host(["ovs-vsctl", "list-ports", "vmbr0"]).stdout == ports_before
    assert all("bond0" in s["ports"] for s in samples0) and samples0
    assert lab.admin_reaches_host()
    assert drift_json(lab) == [] and probe_json(lab)["healthy"]
    report["down_changed=0"] = {
        "rc": reload0.returncode,
        "samples": len(samples0),
        "bond0 always in vmbr0": True,
    }

    # 2. ifreload_down_changed=1 (from a clean saved state): vmbr0 counts as changed
    lab.write_interfaces(good)
    lab.ifreload(down_changed=False)
    lab.write_interfaces(good + JUNK)
    mac_before = lab.host(["cat", "/sys/class/net/vlan1/address"]).stdout.strip()
    lab.set_down_changed(True)
    verbose = ["ifreload", "-a", "-v"]
    reload1, samples1 = sample_during(lab, lambda: (time.time(), lab.host(verbose)))
    t_reload, done = reload1
    assert done.returncode == 0, done.stderr
    assert "del-br vmbr0" in done.stderr  # ifupdown2 logs its commands on stderr with -v
    gone = [s for s in samples1 if "bond0" not in s["ports"]]
    assert gone, "no sample saw the window in which bond0 is gone"
    window = (gone[0]["t"], gone[-1]["t"])
    seen = sorted({d for s in gone for d in s["drift"]})
    assert any(d in ("vmbr0 missing", "vmbr0 port-missing", "bond0 missing") for d in seen)
    lacp_states = [s["lacp"] for s in samples1]
    back = [s for s in samples1 if s["t"] > window[1]]
    negotiated = next((s["t"] for s in back if s["lacp"] == "negotiated"), None)
    report["lacp negotiated ms after bond0 is back"] = (
        None if negotiated is None else round(1000 * (negotiated - back[0]["t"]))
    )
    mac_after = lab.host(["cat", "/sys/class/net/vlan1/address"]).stdout.strip()
    neigh = lab.switch(["ip", "neigh", "show", lab.mgmt]).stdout.strip()
    assert mac_after != mac_before  # the re-created int-port has a new MAC
    outage = seconds_until_reachable(lab, 60)
    report["down_changed=1"] = {
        "rc": done.returncode,
        "bond0 gone for ms": round(1000 * (window[1] - window[0])),
        "samples": len(samples1),
        "samples without bond0": len(gone),
        "drift seen during the window": seen,
        "lacp states seen": sorted({str(x) for x in lacp_states}),
        "vlan1 MAC": f"{mac_before} -> {mac_after}",
        "gateway neighbour": neigh,
        "admin reaches the host again, s after the reload began": None
        if outage is None
        else round(time.time() - t_reload, 1),
    }
    assert mac_before in neigh  # the gateway still sends to the old MAC
    assert outage is None or outage > 5
    assert drift_json(lab) == [] and probe_json(lab)["healthy"]
    assert lab.admin_reaches_host()  # the probe's ARP exchange refreshed the gateway
    print("\n[incident seed] " + json.dumps(report, indent=1))


WRAPPED_FROM = "\tovs_options vlan_mode=native-untagged lacp=active bond_mode=balance-tcp tag=1\n"
WRAPPED_TO = "\tovs_options vlan_mode=native-untagged lacp=active\nbond_mode=balance-tcp tag=1\n"


def test_seed_wrapped_option_line_cuts_the_host_off_and_is_caught(lab: Any) -> None:
    """A long ``ovs_options`` line wrapped by a paste: the tail becomes an attribute named
    ``bond_mode=balance-tcp``, bond0 loses ``tag=1``, its native VLAN becomes 0 and the
    management VLAN no longer arrives. ifreload exits 0; the host is cut off."""
    good = lab.read_interfaces()
    assert WRAPPED_FROM in good
    lab.write_interfaces(good.replace(WRAPPED_FROM, WRAPPED_TO))
    lint = ifguard(lab, "lint")
    assert lint.returncode == 1 and "IFG108" in lint.stdout
    assert lab.ifreload().returncode == 0
    port = lab.host(["ovs-vsctl", "get", "port", "bond0", "tag"]).stdout.strip()
    assert port == "[]"
    assert not lab.wait_reachable(5)
    assert drift_json(lab) == []  # the running state matches the (broken) file
    probe = probe_json(lab)
    failed = {p["name"] for p in probe["probes"] if p["status"] == "fail"}
    assert not probe["healthy"] and failed == {"gateway 192.0.2.1 reachable"}
    print(
        f"\n[incident seed] wrapped ovs_options: ifreload rc 0, bond0 tag {port}, "
        f"admin cut off; lint IFG108; probe failed: {sorted(failed)}"
    )


def test_seed_junk_joined_to_the_last_line(lab: Any) -> None:
    """Appended to a file without a final newline, the `ip` line joins ``ovs_ports``:
    ifupdown2 ignores the bogus words (rc 0, nothing changes); lint reports the glued
    output once, drift names each bogus port."""
    good = lab.read_interfaces()
    lab.write_interfaces(good.rstrip("\n") + JUNK)
    lint = ifguard(lab, "lint")
    assert lint.returncode == 1 and "IFG101" in lint.stdout and "vlan100127:" in lint.stdout
    assert "IFG301" not in lint.stdout  # the glued output is reported once, not per word
    assert lab.ifreload().returncode == 0
    assert lab.admin_reaches_host()
    missing = {d["expected"] for d in drift_json(lab) if d["kind"] == "port-missing"}
    assert {"vlan100127:", "enx60a4b758ba5b:"} <= missing
