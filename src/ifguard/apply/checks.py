"""Built-in health probes, used until/unless ``ifguard.probe`` (runtime) provides them.

What is checked follows the *management path* of the configuration on disk at probe time
(the candidate after a write, the snapshot after a rollback): carrier of its physical NICs
(at least one member per bond), its addresses present, the default route, the gateway
answering ping, plus user targets (``tcp:HOST:PORT``, ``ping:HOST``). Everything goes through
a ``Runner`` (``ip -j``, ``ping``) and a ``Clock``; checks are retried until green or until
the probe timeout, because links, LACP and ARP take a few seconds after a reload. Before
each attempt the management IPv4 addresses are announced with a gratuitous ARP: a reload that
re-creates an interface gives it a new MAC, and neighbours would otherwise keep sending to the
old one until their cache entry expires.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
from collections.abc import Callable, Sequence
from typing import Any

from ifguard import plan
from ifguard.apply.effects import Clock, Runner
from ifguard.apply.probes import Check, Prober, ProbeReport


def parse_target(text: str) -> tuple[str, str, int | None]:
    """``tcp:HOST:PORT`` or ``ping:HOST`` (HOST may be ``[v6]``); raises ValueError."""
    kind, _, rest = text.partition(":")
    if kind == "ping" and rest:
        return kind, rest.strip("[]"), None
    if kind == "tcp":
        host, _, port = rest.rpartition(":")
        if host and port.isdigit() and 0 < int(port) < 65536:
            return kind, host.strip("[]"), int(port)
    raise ValueError(f"bad probe target {text!r} (expected tcp:HOST:PORT or ping:HOST)")


def _json(runner: Runner, argv: Sequence[str]) -> list[dict[str, Any]]:
    done = runner.run(argv, timeout=10)
    if not done.ok:
        return []
    try:
        data = json.loads(done.out or "[]")
    except ValueError:
        return []
    return [d for d in data if isinstance(d, dict)]


Announce = Callable[[str, str, str], None]


def gratuitous_arp(ifname: str, mac: str, ip: str) -> None:
    """Broadcast an ARP request for our own address (RFC 5227 announcement) so neighbours
    (the gateway, the switch) update a cache entry that still holds the MAC of an interface
    the reload re-created; without it the host may stay unreachable for 30 s or more."""
    frame = (b"\xff" * 6 + bytes.fromhex(mac.replace(":", "")) + b"\x08\x06"
             + struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + bytes.fromhex(mac.replace(":", ""))
             + socket.inet_aton(ip) + b"\x00" * 6 + socket.inet_aton(ip))
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
        s.bind((ifname, 0))
        s.send(frame.ljust(60, b"\x00"))


def announce_all(state: plan.NetState, path: plan.ManagementPath,
                 links: dict[Any, dict[str, Any]], announce: Announce) -> None:
    for root in path.roots:
        port, mac = state.ports.get(root), links.get(root, {}).get("address")
        if port is None or not mac or "UP" not in links.get(root, {}).get("flags", []):
            continue
        for address in port.addresses:
            ip = address.split("/")[0]
            if ":" not in ip:
                with contextlib.suppress(OSError, ValueError):
                    announce(root, str(mac), ip)


def checks_once(state: plan.NetState, path: plan.ManagementPath, runner: Runner,
                targets: Sequence[str], tcp: Callable[[str, int], str | None],
                announce: Announce | None = None) -> ProbeReport:
    links = {d.get("ifname"): d for d in _json(runner, ["ip", "-j", "link", "show"])}
    addrs = {d.get("ifname"): d for d in _json(runner, ["ip", "-j", "addr", "show"])}
    if announce is not None:
        announce_all(state, path, links, announce)
    out: list[Check] = []

    def carrier(name: str) -> bool:
        flags = links.get(name, {}).get("flags", [])
        return "LOWER_UP" in flags and "UP" in flags

    in_bond: set[str] = set()
    for name in path.interfaces:
        port = state.ports.get(name)
        if port and port.kind in ("bond", "ovs-bond") and port.members:
            in_bond.update(port.members)
            up = [m for m in port.members if carrier(m)]
            down = [m for m in port.members if m not in up]
            out.append(Check(f"bond {name} has a live member", bool(up),
                             f"down: {' '.join(down)}" if down else ""))
    for nic in path.nics:
        if nic not in in_bond:
            out.append(Check(f"carrier {nic}", carrier(nic),
                             "" if nic in links else "no such device"))
    for root in path.roots:
        port = state.ports.get(root)
        have = {f"{a.get('local')}/{a.get('prefixlen')}"
                for a in addrs.get(root, {}).get("addr_info", [])}
        for address in port.addresses if port else ():
            out.append(Check(f"address {address} on {root}", address in have))
        for gw in port.gateways if port else ():
            family = "-6" if ":" in gw else "-4"
            routes = _json(runner, ["ip", "-j", family, "route", "show", "default"])
            out.append(Check(f"default route via {gw}",
                             any(r.get("gateway") == gw for r in routes)))
            ping = runner.run(["ping", "-n", "-c", "1", "-W", "1", gw], timeout=5)
            out.append(Check(f"gateway {gw} answers ping", ping.ok))
    for text in targets:
        kind, host, port_no = parse_target(text)
        if kind == "ping":
            done = runner.run(["ping", "-n", "-c", "1", "-W", "1", host], timeout=5)
            out.append(Check(f"ping {host}", done.ok))
        else:
            assert port_no is not None
            error = tcp(host, port_no)
            out.append(Check(f"tcp {host}:{port_no}", error is None, error or ""))
    return ProbeReport(tuple(out))


def tcp_connect(host: str, port: int) -> str | None:
    try:
        with socket.create_connection((host, port), timeout=2):
            return None
    except OSError as exc:
        return exc.strerror or str(exc)


def builtin_prober(load_state: Callable[[], plan.NetState], runner: Runner, clock: Clock, *,
                   targets: Sequence[str] = (), ssh: tuple[str, str] | None = None,
                   timeout: float = 20.0, interval: float = 1.0,
                   tcp: Callable[[str, int], str | None] = tcp_connect,
                   announce: Announce | None = gratuitous_arp) -> Prober:
    """A prober that re-reads the configuration each time and retries until green; each
    attempt first announces the management addresses (gratuitous ARP)."""

    def probe() -> ProbeReport:
        state = load_state()
        path = plan.management_path(state, ssh)
        end = clock.now() + timeout
        while True:
            report = checks_once(state, path, runner, targets, tcp, announce)
            if report.ok or clock.now() >= end:
                return report
            clock.sleep(interval)

    return probe
