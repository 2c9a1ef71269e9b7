"""Health probes on recorded runtime snapshots with a scripted network (no root needed)."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from ifguard.network.netprobe import SystemNet, arp_request, is_arp_reply_from
from ifguard.network.probe import parse_target, run_probes
from ifguard.network.readers.types import OvsState
from ifguard.system.runner import Completed
from tests.fakes import FakeNet, FakeRunner

from .conftest import incident_config, recorded


def statuses(report: object) -> dict[str, str]:
    return {r.name: r.status for r in report.results}  # type: ignore[attr-defined]


def test_healthy_lab() -> None:
    net = FakeNet()
    report = run_probes(incident_config(), recorded("lab-healthy"), net)
    assert report.healthy
    assert statuses(report) == {
        "bond bond0 members": "pass",
        "address 192.0.2.10/24 on vlan1": "pass",
        "default route via 192.0.2.1": "pass",
        "gateway 192.0.2.1 reachable": "pass",
    }
    assert net.calls == [("arp", "vlan1", "192.0.2.1")]  # ARP answered: no ping needed


def test_one_member_down_is_a_warning_not_a_failure() -> None:
    report = run_probes(incident_config(), recorded("lab-member-down"), FakeNet())
    bond = next(r for r in report.results if r.name == "bond bond0 members")
    assert bond.status == "warn" and "down: enp1s0" in bond.detail and report.healthy


def test_lacp_not_negotiated_fails() -> None:
    rt = recorded("lab-healthy")
    bonds = {"bond0": replace(rt.ovs.bonds["bond0"], lacp="configured")}
    report = run_probes(incident_config(), replace(rt, ovs=replace(rt.ovs, bonds=bonds)), FakeNet())
    assert statuses(report)["bond bond0 members"] == "fail" and not report.healthy


@pytest.mark.slow
def test_lacp_not_negotiated_on_one_member_is_a_warning() -> None:
    """The bond negotiated LACP, one member did not (a patch into the wrong switch port):
    that member carries nothing, the redundancy is gone - the warning before the outage."""
    rt = recorded("lab-healthy")
    bond = rt.ovs.bonds["bond0"]
    members = tuple(
        replace(m, lacp="defaulted detached") if m.name == "enp1s0" else m for m in bond.members
    )
    bonds = {"bond0": replace(bond, members=members)}
    report = run_probes(incident_config(), replace(rt, ovs=replace(rt.ovs, bonds=bonds)), FakeNet())
    r = next(x for x in report.results if x.name == "bond bond0 members")
    assert r.status == "warn" and "LACP not negotiated on: enp1s0" in r.detail and report.healthy
    assert statuses(run_probes(incident_config(), rt, FakeNet()))["bond bond0 members"] == "pass"


def test_bond_gone_from_ovs_and_ovs_not_running() -> None:
    rt = recorded("lab-healthy")
    gone = replace(rt, ovs=replace(rt.ovs, bonds={}))
    assert statuses(run_probes(incident_config(), gone, FakeNet()))["bond bond0 members"] == "fail"
    stopped = replace(rt, ovs=OvsState("not running"))
    r = next(
        x
        for x in run_probes(incident_config(), stopped, FakeNet()).results
        if x.name == "bond bond0 members"
    )
    assert r.status == "error" and "not running" in r.detail


def test_a_bond_whose_state_could_not_be_read_is_an_error_not_a_failure() -> None:
    rt = recorded("lab-healthy")
    unread = replace(
        rt,
        ovs=replace(rt.ovs, bonds={}),
        errors=("/proc/net/bonding/bond0: Permission denied",),
    )
    r = next(
        x
        for x in run_probes(incident_config(), unread, FakeNet()).results
        if x.name == "bond bond0 members"
    )
    assert r.status == "error" and "Permission denied" in r.detail
    other = replace(unread, errors=("/proc/net/bonding/bond9: Permission denied",))
    assert statuses(run_probes(incident_config(), other, FakeNet()))["bond bond0 members"] == "fail"


def test_gateway_silent_fails_and_icmp_fallback_passes() -> None:
    rt = recorded("lab-healthy")
    silent = run_probes(incident_config(), rt, FakeNet(arp=False, ping=False))
    assert statuses(silent)["gateway 192.0.2.1 reachable"] == "fail" and not silent.healthy
    icmp = run_probes(incident_config(), rt, FakeNet(arp=False, ping=True))
    gw = next(r for r in icmp.results if r.name.startswith("gateway"))
    assert gw.status == "pass" and gw.detail == "answers ICMP echo, not ARP"


@pytest.mark.slow
def test_a_probe_that_cannot_run_says_so() -> None:
    report = run_probes(incident_config(), recorded("lab-healthy"), FakeNet(arp=None, ping=None))
    gw = next(r for r in report.results if r.name.startswith("gateway"))
    assert gw.status == "error" and not report.healthy


def test_arp_that_cannot_be_tried_falls_back_to_icmp() -> None:
    """A sandbox without AF_PACKET (the packaged unit's RestrictAddressFamilies): ARP says
    None, ping answers - healthy; ping silent too - a failure of what did run, said so."""
    rt = recorded("lab-healthy")
    net = FakeNet(arp=None, ping=True)
    report = run_probes(incident_config(), rt, net)
    gw = next(r for r in report.results if r.name.startswith("gateway"))
    assert (gw.status, gw.detail) == ("pass", "answers ICMP echo") and report.healthy
    assert net.calls == [("arp", "vlan1", "192.0.2.1"), ("ping", "192.0.2.1")]
    silent = run_probes(incident_config(), rt, FakeNet(arp=None, ping=False))
    gw = next(r for r in silent.results if r.name.startswith("gateway"))
    assert (gw.status, gw.detail) == ("fail", "no ICMP reply (ARP could not be tried)")


def test_a_tcp_target_that_cannot_be_tried_is_an_error_not_a_failure() -> None:
    net = FakeNet(tcp_untried="could not try a TCP connection: Address family not supported")
    report = run_probes(incident_config(), recorded("lab-healthy"), net, targets=["[::1]:22"])
    r = next(x for x in report.results if x.name == "target [::1]:22")
    assert r.status == "error" and "could not try" in r.detail
    refused = run_probes(
        incident_config(),
        recorded("lab-healthy"),
        FakeNet(tcp="Connection refused"),
        targets=["192.0.2.1:22"],
    )
    assert statuses(refused)["target 192.0.2.1:22"] == "fail"


@pytest.mark.parametrize(
    ("rc", "answer"),
    [(0, True), (1, False), (124, False), (2, None), (126, None), (127, None)],
)
def test_ping_exit_status(rc: int, answer: bool | None) -> None:
    """ping's own error (exit 2: no socket, unknown host) or no ping at all is "could not
    be tried", never "no reply"."""
    runner = FakeRunner({"ping": Completed(rc, "", "")})
    assert SystemNet(runner).ping("192.0.2.1", 1.0) is answer


def test_missing_address_route_and_nic() -> None:
    rt = recorded("lab-healthy")
    links = dict(rt.links)
    links["vlan1"] = replace(links["vlan1"], addresses=())
    rt = replace(rt, links=links, routes=())
    s = statuses(run_probes(incident_config(), rt, FakeNet()))
    assert s["address 192.0.2.10/24 on vlan1"] == "fail"
    assert s["default route via 192.0.2.1"] == "fail"


@pytest.mark.slow
def test_network_probes_run_concurrently() -> None:
    net = FakeNet(arp=False, ping=True, delay=0.3)
    start = time.monotonic()
    report = run_probes(
        incident_config(),
        recorded("lab-healthy"),
        net,
        targets=["192.0.2.50", "192.0.2.50:22", "[2001:db8::1]:8006"],
    )
    assert report.healthy and len(net.threads) > 1
    # 4 jobs of 0.3-0.6 s each, sequentially >= 1.5 s
    assert time.monotonic() - start < 1.4


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("192.0.2.5", ("ping", "192.0.2.5", None)),
        ("pve2:8006", ("tcp", "pve2", 8006)),
        ("[2001:db8::1]:22", ("tcp", "2001:db8::1", 22)),
        ("2001:db8::1", ("ping", "2001:db8::1", None)),
        ("tcp:10.0.0.1:22", ("tcp", "10.0.0.1", 22)),
        ("ping:10.0.0.1", ("ping", "10.0.0.1", None)),
    ],
)
def test_parse_target(text: str, parsed: tuple[str, str, int | None]) -> None:
    assert parse_target(text) == parsed


@pytest.mark.parametrize(
    "bad", ["", "host:0", "host:99999", "tcp:host", "host:x", "udp:h:1", "ping:", "h:"]
)
def test_parse_target_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_target(bad)


def test_arp_frames() -> None:
    mac = bytes.fromhex("020000000001")
    frame = arp_request(mac, "192.0.2.10", "192.0.2.1")
    assert len(frame) == 60 and frame[:6] == b"\xff" * 6 and frame[12:14] == b"\x08\x06"
    reply = bytearray(frame)
    reply[20:22] = b"\x00\x02"
    reply[28:32] = bytes([192, 0, 2, 1])
    assert is_arp_reply_from(bytes(reply), "192.0.2.1")
    assert not is_arp_reply_from(frame, "192.0.2.1")  # a request is no reply
