"""The watcher's cluster view: corosync's membership as seen from this node, and its peers.

A node cut off from the cluster cannot send its own alert; its peers can. Each check reads
corosync's view (``ifguard.network.corosync``). When a peer that was a member is no longer
one, and this node is in a quorate partition (a node that is itself cut off does not blame
its peers), one alert fires for that peer, "pve1 left the cluster at 10:02:11; its last
report: ...", and resolves when the peer is back. The peer's last report is what this node
last read from the peer's metrics endpoint (``[watch] metrics-port`` on an address its peers
reach), refreshed while the peer is a member; without one, the alert says so.

Every surviving node sends its own alert for the same departure (no node can know whether
another survivor's alert got out); Alertmanager's grouping merges them
(contrib/alertmanager/alertmanager.yml, docs/cluster.md).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ifguard.config.cluster import Cluster, Node
from ifguard.network.corosync import CorosyncView, checks, names
from ifguard.network.probe_report import ProbeResult
from ifguard.system.clock import Clock
from ifguard.system.root import Root
from ifguard.watch.alerts import FIRING, RESOLVED, Alert

PEER = "peer:"
POLL = 5.0  # seconds between checks while this node is in a cluster (a peer sends no event)
# this node's own cluster failures (alone, no quorum, corosync not answering) alert once it
# has been a quorate member since the watcher started, or after this long: a cluster booting
# together takes a minute to form, and corosync starts after the watcher
FORMING = 300.0
REPORT_EVERY = 30.0  # seconds between reads of a member peer's last report

FetchReport = Callable[[Node], str | None]


@dataclass
class ClusterVerdict:
    results: list[ProbeResult] = field(default_factory=list)
    members: dict[str, bool] = field(default_factory=dict)  # node name -> in membership
    quorate: bool | None = None
    active: bool = False  # a cluster node: check every POLL seconds
    alerting: bool = False  # the results' failures may alert (the cluster has formed)


def hhmmss(t: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(t))


class PeerMonitor:
    def __init__(
        self,
        cluster: Callable[[], Cluster],
        view: Callable[[Cluster], CorosyncView],
        clock: Clock,
        fetch_report: FetchReport | None = None,
        wall: Callable[[float], str] = hhmmss,
    ) -> None:
        self.cluster, self.view, self.clock = cluster, view, clock
        self.fetch_report, self.wall = fetch_report, wall
        self.seen: set[str] = set()  # peers seen as members since the watcher started
        self.left: dict[str, float] = {}  # peer -> when it was first seen gone (alert firing)
        self.reports: dict[str, tuple[float, str]] = {}  # peer -> (read at, report)
        self.started = clock.now()
        self.joined = False  # a quorate member with a peer since the watcher started

    def resume(self, firing: list[str]) -> None:
        """After a restart: the peers whose departure the receiver was last told of."""
        now = self.clock.now()
        for key in firing:
            if key.startswith(PEER):
                self.left.setdefault(key[len(PEER) :], now)

    def check(self) -> tuple[ClusterVerdict, list[Alert]]:
        cluster = self.cluster()
        if not cluster.nodes:
            return ClusterVerdict(), []
        view = self.view(cluster)
        now = self.clock.now()
        verdict = ClusterVerdict(checks(cluster, view), quorate=view.quorate, active=True)
        ids = view.member_ids()
        if view.quorate and ids - {view.node_id}:
            self.joined = True
        verdict.alerting = self.joined or now - self.started >= FORMING
        if view.absent or view.problem:
            verdict.active = not view.absent
            return verdict, []
        named = names(cluster, view)
        me = named.get(view.node_id) if view.node_id is not None else cluster.local
        alerts: list[Alert] = []
        for node in cluster.nodes:
            if node.name == me:
                continue
            member = any(named.get(i) == node.name for i in ids)
            verdict.members[node.name] = member
            if member:
                self.seen.add(node.name)
                self._refresh(node, now)
                if node.name in self.left:
                    gone = self.left.pop(node.name)
                    alerts.append(
                        Alert(
                            PEER + node.name,
                            RESOLVED,
                            f"resolved: {node.name} is back in the cluster",
                            f"{node.name} left the membership at {self.wall(gone)} and is a "
                            f"member again at {self.wall(now)}.",
                        )
                    )
            elif view.quorate and node.name in self.seen and node.name not in self.left:
                self.left[node.name] = now
                alerts.append(self._left(node.name, now, view))
        return verdict, alerts

    def _left(self, name: str, now: float, view: CorosyncView) -> Alert:
        report = self.reports.get(name)
        last = (
            f"its last report: {report[1]} (read at {self.wall(report[0])})"
            if report
            else "its last report: none read (set [watch] metrics-port and metrics-addr "
            "to an address the peers reach)"
        )
        body = (
            f"{name} left the corosync membership at {self.wall(now)}; {last}.\n"
            f"This node still sees a quorate cluster ({view.total_votes} of "
            f"{view.expected_votes} votes). A node cut off from the cluster cannot send its "
            "own alert; on an HA cluster it is fenced about 60 s after losing quorum."
        )
        return Alert(PEER + name, FIRING, f"{name} left the cluster at {self.wall(now)}", body)

    def _refresh(self, node: Node, now: float) -> None:
        if self.fetch_report is None:
            return
        last = self.reports.get(node.name)
        if last is not None and now - last[0] < REPORT_EVERY:
            return
        report = self.fetch_report(node)
        if report is not None:
            self.reports[node.name] = (now, report)


_METRIC = re.compile(r"^(ifguard_[a-z_]+)(?:\{([^}]*)\})?\s+(\S+)\s*$")


def summarize_metrics(text: str, wall: Callable[[float], str] = hhmmss) -> str | None:
    """One line from a peer's ifguard metrics: lint errors by code, its configuration's last
    change and its heartbeat. None: not an ifguard endpoint."""
    values: dict[str, float] = {}
    errors: list[str] = []
    for line in text.splitlines():
        m = _METRIC.match(line)
        if not m:
            continue
        name, labels, raw = m.groups()
        try:
            value = float(raw)
        except ValueError:
            continue
        if name == "ifguard_lint_diagnostics" and labels and 'severity="error"' in labels:
            code = re.search(r'code="([^"]*)"', labels)
            if code and value > 0:
                errors.append(f"{code.group(1)} x{value:g}")
        elif not labels:
            values[name] = value
    if "ifguard_watch_heartbeat_timestamp_seconds" not in values:
        return None
    valid = values.get("ifguard_config_valid", 1.0) >= 1
    head = (
        "configuration lint-clean"
        if valid and not errors
        else "lint errors " + ", ".join(errors or ["(count unknown)"])
    )
    parts = [head]
    changed = values.get("ifguard_config_last_change_timestamp_seconds", 0.0)
    if changed > 0:
        parts.append(f"last change {wall(changed)}")
    parts.append(f"watcher alive at {wall(values['ifguard_watch_heartbeat_timestamp_seconds'])}")
    return ", ".join(parts)


def http_report(port: int, timeout: float = 1.0) -> FetchReport:
    """Read a peer's last report from its metrics endpoint on its ring0 address."""
    import urllib.request

    def fetch(node: Node) -> str | None:
        address = dict(node.links).get(0)
        if not address:
            return None
        host = f"[{address}]" if ":" in address else address
        try:
            with urllib.request.urlopen(f"http://{host}:{port}/metrics", timeout=timeout) as r:
                return summarize_metrics(r.read(1 << 20).decode("utf-8", "replace"))
        except (OSError, ValueError):
            return None

    return fetch


def peer_monitor(
    root: Root, metrics_port: int | None = None, metrics_addr: str = ""
) -> PeerMonitor:
    """The watcher's monitor on this host: corosync asked through the system runner; peers'
    reports read from their metrics endpoints when this node serves one beyond loopback
    (the same port on every node is assumed)."""
    from ifguard.network.cluster import cluster_of
    from ifguard.network.corosync import read_view
    from ifguard.system.clock import SystemClock
    from ifguard.system.runner import SubprocessRunner

    runner = SubprocessRunner()
    shared = metrics_port and metrics_addr and not metrics_addr.startswith("127.")
    return PeerMonitor(
        lambda: cluster_of(root),
        lambda cluster: read_view(runner, cluster),
        SystemClock(),
        http_report(metrics_port) if metrics_port and shared else None,
    )
