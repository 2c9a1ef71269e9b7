"""Prometheus metrics: a snapshot of the watcher's state, served and/or written as a textfile.

prometheus_client is imported lazily (only by ``ifguard watch``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Snapshot:
    config_valid: bool = True
    diagnostics: Mapping[tuple[str, str], int] = field(default_factory=dict)
    last_change: float = 0.0
    links: Mapping[str, bool] = field(default_factory=dict)
    bond_members: Mapping[tuple[str, str, str], bool] = field(default_factory=dict)
    drift: int = 0
    rollbacks: int = 0
    queue_depth: int = 0
    heartbeat: float = 0.0
    known_good: float | None = None  # when the last known-good version was marked
    cluster_members: Mapping[str, bool] = field(default_factory=dict)  # peer -> member
    cluster_quorate: bool | None = None  # None: not a cluster
    writes: Mapping[str, int] = field(default_factory=dict)  # changes by kind (attribution)


class Collector:
    """A prometheus_client collector reading the current ``Snapshot``."""

    def __init__(self) -> None:
        self.snapshot = Snapshot()
        self.served = False  # an HTTP endpoint reads it

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        s = self.snapshot
        yield GaugeMetricFamily(
            "ifguard_config_valid",
            "1 if the network configuration lints without errors.",
            value=int(s.config_valid),
        )
        diag = GaugeMetricFamily(
            "ifguard_lint_diagnostics",
            "Lint diagnostics by severity/code.",
            labels=["severity", "code"],
        )
        for (severity, code), n in sorted(s.diagnostics.items()):
            diag.add_metric([severity, code], n)
        yield diag
        yield GaugeMetricFamily(
            "ifguard_config_last_change_timestamp_seconds",
            "When a watched configuration file last changed.",
            value=s.last_change,
        )
        link = GaugeMetricFamily(
            "ifguard_link_up", "1 if the interface has carrier.", labels=["interface"]
        )
        for name, up in sorted(s.links.items()):
            link.add_metric([name], int(up))
        yield link
        member = GaugeMetricFamily(
            "ifguard_bond_member_up",
            "1 if the bond member is up (linux bonding or OVS bond).",
            labels=["bond", "member", "kind"],
        )
        for (bond, name, kind), up in sorted(s.bond_members.items()):
            member.add_metric([bond, name, kind], int(up))
        yield member
        yield GaugeMetricFamily(
            "ifguard_drift",
            "Differences between the configuration and the running state.",
            value=s.drift,
        )
        yield CounterMetricFamily(
            "ifguard_apply_rollbacks", "Rolled-back network changes.", value=s.rollbacks
        )
        if s.writes:
            writes = CounterMetricFamily(
                "ifguard_config_writes",
                "Changes to the guarded files by kind (append, overwrite, rename, truncate, "
                "delete, write, unknown: no audit record); never by user.",
                labels=["kind"],
            )
            for kind, n in sorted(s.writes.items()):
                writes.add_metric([kind], n)
            yield writes
        yield GaugeMetricFamily(
            "ifguard_alert_queue_depth",
            "Alerts waiting for delivery (the notification target is unreachable).",
            value=s.queue_depth,
        )
        yield GaugeMetricFamily(
            "ifguard_watch_heartbeat_timestamp_seconds",
            "Refreshed by the running watcher at least every minute: its age says whether "
            "ifguard watch is alive, also through node_exporter's textfile collector.",
            value=s.heartbeat,
        )
        if s.cluster_quorate is not None:
            yield GaugeMetricFamily(
                "ifguard_cluster_quorate",
                "1 if corosync, as seen from this node, has quorum.",
                value=int(s.cluster_quorate),
            )
        peer = GaugeMetricFamily(
            "ifguard_cluster_member",
            "1 if the corosync peer is in this node's membership (one series per peer).",
            labels=["node"],
        )
        for name, in_it in sorted(s.cluster_members.items()):
            peer.add_metric([name], int(in_it))
        yield peer
        if s.known_good is not None:
            yield GaugeMetricFamily(
                "ifguard_known_good_timestamp_seconds",
                "When the configuration now known-good was marked so (lint-clean, healthy).",
                value=s.known_good,
            )


def write_textfile(collector: Collector, directory: Path) -> None:
    """Write ``ifguard.prom`` for node_exporter's textfile collector (atomic rename)."""
    from prometheus_client import CollectorRegistry, write_to_textfile

    registry = CollectorRegistry()
    registry.register(collector)
    write_to_textfile(str(directory / "ifguard.prom"), registry)


def serve(collector: Collector, port: int, addr: str = "0.0.0.0") -> None:
    from prometheus_client import CollectorRegistry, start_http_server

    registry = CollectorRegistry()
    registry.register(collector)
    start_http_server(port, addr=addr, registry=registry)
