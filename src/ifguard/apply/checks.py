"""Health probes as a transaction runs them: ``ifguard.network.probe`` on a fresh runtime snapshot,
retried until green or until the probe timeout (links, LACP and ARP take a few seconds after
a reload), each attempt preceded by a gratuitous ARP for the management addresses.

What is checked follows the *management path* of the configuration on disk at probe time
(the candidate after a write, the snapshot after a rollback). The announcement matters: a
reload that re-creates an interface gives it a new MAC (OVS internal ports get a random
one), and the gateway keeps sending to the old MAC until its ARP entry expires - 40 s in
the lab, hours on some routers (docs/incident.md).
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable, Mapping, Sequence

from ifguard.apply.probes import Check, Prober, ProbeReport
from ifguard.config.model import Config
from ifguard.network import probe
from ifguard.network.netprobe import Net, arp_request
from ifguard.network.readers.types import Link, Runtime
from ifguard.network.state import ManagementPath, NetState, management_path, state_from_config
from ifguard.system.clock import Clock

Announce = Callable[[str, str, str], None]


def gratuitous_arp(ifname: str, mac: str, ip: str) -> None:
    """Broadcast an ARP request for our own address (RFC 5227 announcement) so neighbours
    (the gateway, the switch) update a cache entry that still holds the MAC of an interface
    the reload re-created."""
    frame = arp_request(bytes.fromhex(mac.replace(":", "")), ip, ip)  # asks for itself
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
        s.bind((ifname, 0))
        s.send(frame)


def announce_all(
    state: NetState, path: ManagementPath, links: Mapping[str, Link], announce: Announce
) -> None:
    for root in path.roots:
        port, link = state.ports.get(root), links.get(root)
        if port is None or link is None or not link.mac or not link.up:
            continue
        for address in port.addresses:
            ip = address.split("/")[0]
            if ":" not in ip:
                with contextlib.suppress(OSError, ValueError):
                    announce(root, link.mac, ip)


def as_report(report: probe.Report) -> ProbeReport:
    """A transaction's view: warnings (a degraded bond) do not fail the change."""
    return ProbeReport(
        tuple(
            Check(
                r.name,
                r.ok,
                r.detail
                if r.status in ("pass", "fail")
                else f"{r.status}: {r.detail}"
                if r.detail
                else r.status,
            )
            for r in report.results
        )
    )


def builtin_prober(
    load_config: Callable[[], Config],
    read_runtime: Callable[[], Runtime],
    net: Net,
    clock: Clock,
    *,
    targets: Sequence[str] = (),
    ssh: tuple[str, str] | None = None,
    timeout: float = 20.0,
    interval: float = 1.0,
    announce: Announce | None = gratuitous_arp,
) -> Prober:
    """A prober that re-reads the configuration and the running state on each attempt and
    retries until green; each attempt first announces the management addresses."""

    def run() -> ProbeReport:
        config = load_config()
        state = state_from_config(config)
        path = management_path(state, ssh)
        end = clock.now() + timeout
        while True:
            rt = read_runtime()
            if announce is not None:
                announce_all(state, path, rt.links, announce)
            report = probe.run_probes(
                config, rt, net, targets=targets, ssh=ssh, timeout=max(0.5, min(2.0, timeout / 4))
            )
            if report.healthy or clock.now() >= end:
                return as_report(report)
            clock.sleep(interval)

    return run
