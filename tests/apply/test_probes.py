"""The transaction's prober: ``ifguard.network.probe`` on runtime snapshots recorded in the lab,
retried on a fake clock, with announcements."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from ifguard.apply.probes import builtin_prober
from ifguard.config.model import build
from ifguard.config.source import load_text
from ifguard.network.netprobe import gratuitous_arp
from ifguard.network.probe import parse_target
from ifguard.network.readers.types import Runtime
from tests.apply.cli_helpers import CLEAN
from tests.fakes import FakeClock, FakeNet
from tests.network.conftest import recorded

CONFIG = build(load_text(CLEAN.read_text()).documents)


def names(report: object) -> dict[str, bool]:
    return {c.name: c.ok for c in report.results}  # type: ignore[attr-defined]


def prober(rt: Runtime, net: FakeNet, clock: FakeClock, **kw: Any) -> Any:
    return builtin_prober(
        lambda: CONFIG, lambda: rt, net, clock, timeout=10, interval=1, announce=None, **kw
    )


@pytest.mark.slow
def test_all_green_on_the_lab_snapshot() -> None:
    r = prober(recorded("lab-healthy"), FakeNet(), FakeClock(), targets=["tcp:192.0.2.2:22"])()
    assert names(r) == {
        "bond bond0 members": True,
        "address 192.0.2.10/24 on vlan1": True,
        "default route via 192.0.2.1": True,
        "gateway 192.0.2.1 reachable": True,
        "target tcp:192.0.2.2:22": True,
    }
    assert r.healthy


@pytest.mark.slow
def test_degraded_bond_is_still_green_but_reported() -> None:
    r = prober(recorded("lab-member-down"), FakeNet(), FakeClock())()
    assert r.healthy and r.results[0].note.startswith("warn: up: enx60a4b758ba5b; down: enp1s0")


@pytest.mark.slow
def test_a_cut_off_turns_red_and_is_retried_until_the_timeout() -> None:
    net, clock = FakeNet(), FakeClock()
    net.gateway_ok = False
    r = prober(recorded("lab-healthy"), net, clock)()
    assert not r.healthy and [c.name for c in r.failed] == ["gateway 192.0.2.1 reachable"]
    assert clock.slept >= 10


@pytest.mark.slow
def test_prober_retries_until_green_within_its_timeout() -> None:
    net, clock = FakeNet(), FakeClock()
    net.gateway_ok = False
    clock.hooks.append(lambda c: setattr(net, "gateway_ok", c.slept >= 3))
    assert prober(recorded("lab-healthy"), net, clock)().healthy and clock.slept == 3


def test_targets_accept_the_apply_spelling() -> None:
    assert parse_target("tcp:10.0.0.2:22") == ("tcp", "10.0.0.2", 22)
    assert parse_target("tcp:[2001:db8::1]:443") == ("tcp", "2001:db8::1", 443)
    assert parse_target("ping:10.0.0.1") == ("ping", "10.0.0.1", None)
    for bad in ("tcp:host", "tcp:host:0", "udp:h:1", "ping:"):
        with pytest.raises(ValueError):
            parse_target(bad)


def test_management_addresses_are_announced_on_each_attempt() -> None:
    net, clock = FakeNet(), FakeClock()
    sent: list[tuple[str, str, str]] = []
    net.gateway_ok = False
    clock.hooks.append(lambda c: setattr(net, "gateway_ok", c.slept >= 2))
    rt = recorded("lab-healthy")
    probe = builtin_prober(
        lambda: CONFIG,
        lambda: rt,
        net,
        clock,
        timeout=10,
        interval=1,
        announce=lambda i, m, a: sent.append((i, m, a)),
    )
    assert probe().healthy
    mac = rt.links["vlan1"].mac
    assert sent == [("vlan1", mac, "192.0.2.10")] * 3
    links = {**rt.links, "vlan1": replace(rt.links["vlan1"], up=False)}
    down = replace(rt, links=links)  # a down interface is not announced
    sent.clear()
    builtin_prober(
        lambda: CONFIG,
        lambda: down,
        net,
        clock,
        timeout=1,
        interval=1,
        announce=lambda i, m, a: sent.append((i, m, a)),
    )()
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
    assert f[20:22] == b"\x00\x01"  # request
    assert f[22:28] == mac and f[28:32] == ip and f[38:42] == ip  # sender ip == target ip
