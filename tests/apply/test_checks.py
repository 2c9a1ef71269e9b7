"""Built-in health probes on recorded `ip -j` output: what is checked on the management path."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest

from ifguard import plan
from ifguard.apply.checks import builtin_prober, checks_once, gratuitous_arp, parse_target
from ifguard.apply.effects import Completed
from ifguard.model import build
from ifguard.source import load_text
from tests.apply.cli_helpers import CLEAN
from tests.apply.fakes import FakeClock


class Net:
    def __init__(self) -> None:
        self.up = {"enp1s0", "enx60a4b758ba5b", "vlan1"}
        self.addr = {"vlan1": [("192.0.2.10", 24)]}
        self.gateway = "192.0.2.1"
        self.ping_ok = True
        self.calls: list[list[str]] = []

    def run(self, argv: Sequence[str], *, timeout: float | None = None) -> Completed:
        a = list(argv)
        self.calls.append(a)
        if a[:3] == ["ip", "-j", "link"]:
            return Completed(0, json.dumps([{"ifname": n, "flags": ["UP", "LOWER_UP"],
                                             "address": "02:00:00:00:00:01"}
                                            for n in self.up]), "")
        if a[:3] == ["ip", "-j", "addr"]:
            return Completed(0, json.dumps([
                {"ifname": n, "addr_info": [{"local": ip, "prefixlen": p} for ip, p in v]}
                for n, v in self.addr.items()]), "")
        if a[:4] == ["ip", "-j", "-4", "route"]:
            return Completed(0, json.dumps([{"dst": "default", "gateway": self.gateway}]), "")
        if a[0] == "ping":
            return Completed(0 if self.ping_ok else 1, "", "")
        return Completed(1, "", "")


STATE = plan.state_from_config(build(load_text(CLEAN.read_text()).documents))
PATH = plan.management_path(STATE)


def names(report: object) -> dict[str, bool]:
    return {c.name: c.ok for c in report.checks}  # type: ignore[attr-defined]


def test_all_green() -> None:
    r = checks_once(STATE, PATH, Net(), ["tcp:192.0.2.2:22"], lambda h, p: None)
    assert names(r) == {"bond bond0 has a live member": True,
                        "address 192.0.2.10/24 on vlan1": True,
                        "default route via 192.0.2.1": True,
                        "gateway 192.0.2.1 answers ping": True,
                        "tcp 192.0.2.2:22": True}
    assert r.ok


def test_degraded_bond_is_still_green_but_reported() -> None:
    net = Net()
    net.up.discard("enx60a4b758ba5b")
    r = checks_once(STATE, PATH, net, [], lambda h, p: None)
    assert r.ok and r.checks[0].detail == "down: enx60a4b758ba5b"


@pytest.mark.parametrize("breakage", ["bond", "addr", "route", "ping", "tcp"])
def test_each_breakage_turns_red(breakage: str) -> None:
    net = Net()
    if breakage == "bond":
        net.up = {"vlan1"}
    elif breakage == "addr":
        net.addr = {}
    elif breakage == "route":
        net.gateway = "192.0.2.254"
    elif breakage == "ping":
        net.ping_ok = False
    r = checks_once(STATE, PATH, net, ["tcp:192.0.2.2:22"],
                    lambda h, p: "refused" if breakage == "tcp" else None)
    assert not r.ok and len(r.failed) == 1


def test_prober_retries_until_green_within_its_timeout() -> None:
    net, clock = Net(), FakeClock()
    net.ping_ok = False
    clock.hooks.append(lambda c: setattr(net, "ping_ok", c.slept >= 3))
    probe = builtin_prober(lambda: STATE, net, clock, timeout=10, interval=1)
    assert probe().ok and clock.slept == 3
    net.ping_ok, clock.hooks = False, []
    clock.slept = 0
    assert not probe().ok and clock.slept >= 10


def test_targets() -> None:
    assert parse_target("tcp:10.0.0.2:22") == ("tcp", "10.0.0.2", 22)
    assert parse_target("tcp:[2001:db8::1]:443") == ("tcp", "2001:db8::1", 443)
    assert parse_target("ping:10.0.0.1") == ("ping", "10.0.0.1", None)
    for bad in ("tcp:host", "tcp:host:0", "udp:h:1", "ping:"):
        with pytest.raises(ValueError):
            parse_target(bad)


def test_management_addresses_are_announced_on_each_attempt() -> None:
    net, clock = Net(), FakeClock()
    sent: list[tuple[str, str, str]] = []
    net.ping_ok = False
    clock.hooks.append(lambda c: setattr(net, "ping_ok", c.slept >= 2))
    probe = builtin_prober(lambda: STATE, net, clock, timeout=10, interval=1,
                           announce=lambda i, m, a: sent.append((i, m, a)))
    assert probe().ok
    assert sent == [("vlan1", "02:00:00:00:00:01", "192.0.2.10")] * 3
    net.up.discard("vlan1")  # a down interface is not announced
    sent.clear()
    probe()
    assert sent == []


def test_gratuitous_arp_frame(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    frames: list[bytes] = []

    class Sock:
        def __init__(self, *a: object) -> None:
            pass

        def __enter__(self) -> Sock:
            return self

        def __exit__(self, *a: object) -> None:
            pass

        def bind(self, addr: object) -> None:
            assert addr == ("vlan1", 0)

        def send(self, data: bytes) -> None:
            frames.append(data)

    monkeypatch.setattr(socket, "socket", Sock)
    gratuitous_arp("vlan1", "02:00:00:00:00:01", "192.0.2.10")
    (f,) = frames
    mac, ip = bytes.fromhex("020000000001"), bytes([192, 0, 2, 10])
    assert len(f) == 60 and f[:6] == b"\xff" * 6 and f[6:12] == mac and f[12:14] == b"\x08\x06"
    assert f[20:22] == b"\x00\x01"                   # request
    assert f[22:28] == mac and f[28:32] == ip and f[38:42] == ip  # sender ip == target ip
