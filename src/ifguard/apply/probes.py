"""Health probes as a transaction runs them: the retry and settle policy, nothing else.

What a probe is, what it checks and how it runs is ``ifguard.network.probe``; this module
re-reads the configuration on disk and a fresh runtime snapshot on each attempt and retries
``run_probes`` until green or until the probe timeout (links, LACP and ARP take a few seconds
after a reload), each attempt preceded by a gratuitous ARP for the management addresses.

What is checked follows the *management path* of the configuration on disk at probe time
(the candidate after a write, the snapshot after a rollback). The announcement matters: a
reload that re-creates an interface gives it a new MAC (OVS internal ports get a random
one), and the gateway keeps sending to the old MAC until its ARP entry expires - 40 s in
the lab, hours on some routers (docs/incident.md).

The transaction only needs "is it green, and what was checked": a ``Prober`` returns a
``ProbeReport``; warnings (a degraded bond) do not fail the change.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence

from ifguard.config.cluster import Cluster
from ifguard.config.model import Config
from ifguard.network import corosync, probe
from ifguard.network.cluster import probe_peers
from ifguard.network.netprobe import Net, gratuitous_arp
from ifguard.network.probe_report import ProbeReport
from ifguard.network.readers.types import Link, Runtime
from ifguard.network.state import ManagementPath, NetState, management_path, state_from_config
from ifguard.store.record import APPLY_TIMEOUTS
from ifguard.system.clock import Clock

Announce = Callable[[str, str, str], None]
Prober = Callable[[], ProbeReport]


def no_probes() -> ProbeReport:
    return ProbeReport()


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


def builtin_prober(
    load_config: Callable[[], Config],
    read_runtime: Callable[[], Runtime],
    net: Net,
    clock: Clock,
    *,
    targets: Sequence[str] = (),
    ssh: tuple[str, str] | None = None,
    timeout: float = APPLY_TIMEOUTS.probe,
    interval: float = 1.0,
    announce: Announce | None = gratuitous_arp,
    cluster: Callable[[], Cluster] | None = None,
    view: Callable[[Cluster], corosync.CorosyncView] | None = None,
) -> Prober:
    """A prober that re-reads the configuration and the running state on each attempt and
    retries until green; each attempt first announces the management addresses. With
    ``cluster``, each corosync/Ceph peer must answer over the interface carrying its link;
    with ``view`` too, corosync's own view must keep this node in a quorate membership
    (compared with the view when the prober was made: before the change)."""
    before = view(cluster()) if cluster is not None and view is not None else None

    def run() -> ProbeReport:
        config = load_config()
        state = state_from_config(config)
        path = management_path(state, ssh)
        end = clock.now() + timeout
        while True:
            rt = read_runtime()
            if announce is not None:
                announce_all(state, path, rt.links, announce)
            each = max(0.5, min(2.0, timeout / 4))
            report = probe.run_probes(config, rt, net, targets=targets, ssh=ssh, timeout=each)
            if cluster is not None:
                known = cluster()
                peers = probe_peers(known, state, net, each)
                if view is not None:
                    peers += corosync.checks(known, view(known), before)
                report = ProbeReport(report.results + tuple(peers))
            if report.healthy or clock.now() >= end:
                return report
            clock.sleep(interval)

    return run
