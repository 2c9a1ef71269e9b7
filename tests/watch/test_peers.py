"""The watcher's peers (ifguard.watch.peers): a peer leaving the membership is reported once
by each survivor, with its last report, and resolved once when it is back; a node that is
itself cut off blames nobody; a restarted watcher repeats nothing."""

from __future__ import annotations

from ifguard.config.cluster import Cluster, Node
from ifguard.network.corosync import ABSENT, CorosyncView, Member
from ifguard.network.probe_report import ProbeStatus
from ifguard.watch.alerts import FIRING, RESOLVED
from ifguard.watch.peers import PeerMonitor, summarize_metrics
from ifguard.watch.runtime import RuntimeMonitor
from tests.fakes import FakeClock, FakeNet
from tests.network.conftest import incident_config, recorded

NODES = tuple(Node(f"pve{n}", str(n), ((0, f"10.50.0.{n}"),)) for n in (1, 2, 3))
CLUSTER = Cluster(nodes=NODES, local="pve2", corosync_path="/etc/corosync/corosync.conf")


def view(ids: set[int], me: int = 2, quorate: bool | None = None) -> CorosyncView:
    quorate = len(ids) >= 2 if quorate is None else quorate
    return CorosyncView(
        node_id=me,
        quorate=quorate,
        expected_votes=3,
        total_votes=len(ids),
        members=tuple(Member(i, 1, f"10.50.0.{i}", i == me) for i in sorted(ids)),
    )


class Scripted:
    def __init__(self, *views: CorosyncView) -> None:
        self.views = list(views)

    def __call__(self, _cluster: Cluster) -> CorosyncView:
        return self.views.pop(0) if len(self.views) > 1 else self.views[0]


def monitor(*views: CorosyncView, report: str | None = "configuration lint-clean") -> PeerMonitor:
    clock = FakeClock(t=36_000.0)
    return PeerMonitor(
        lambda: CLUSTER,
        Scripted(*views),
        clock,
        (lambda _node: report) if report is not None else None,
        wall=lambda t: f"T{t:.0f}",
    )


def test_peer_left_once_then_back_once() -> None:
    m = monitor(view({1, 2, 3}), view({2, 3}), view({2, 3}), view({1, 2, 3}), view({1, 2, 3}))
    verdict, alerts = m.check()
    assert alerts == [] and verdict.members == {"pve1": True, "pve3": True}
    _, alerts = m.check()
    (left,) = alerts
    assert (left.key, left.state, left.title) == (
        "peer:pve1",
        FIRING,
        "pve1 left the cluster at T36000",
    )
    assert "its last report: configuration lint-clean (read at T36000)" in left.body
    assert m.check()[1] == []  # still away: nothing repeated
    _, alerts = m.check()
    assert [(a.key, a.state, a.title) for a in alerts] == [
        ("peer:pve1", RESOLVED, "resolved: pve1 is back in the cluster")
    ]
    assert m.check()[1] == []


def test_a_node_cut_off_itself_blames_no_peer() -> None:
    m = monitor(view({1, 2, 3}), view({2}, quorate=False))
    m.check()
    verdict, alerts = m.check()
    assert alerts == []
    assert verdict.members == {"pve1": False, "pve3": False}
    failed = {r.name for r in verdict.results if r.status == ProbeStatus.FAIL}
    assert failed == {"cluster: corosync membership", "cluster: quorum"}


def test_a_peer_never_seen_is_not_reported_as_leaving() -> None:
    m = monitor(view({2, 3}))  # pve1 was down before the watcher started
    assert m.check()[1] == []


def test_no_report_read_says_how_to_get_one() -> None:
    m = monitor(view({1, 2, 3}), view({2, 3}), report=None)
    m.check()
    (left,) = m.check()[1]
    assert "its last report: none read" in left.body


def test_restarted_watcher_resolves_but_does_not_repeat() -> None:
    m = monitor(view({1, 2, 3}))
    m.resume(["peer:pve1", "probe:gateway"])
    _, alerts = m.check()
    assert [(a.key, a.state) for a in alerts] == [("peer:pve1", RESOLVED)]


def test_not_a_cluster_is_silent() -> None:
    m = PeerMonitor(lambda: Cluster(), lambda _c: ABSENT, FakeClock())
    verdict, alerts = m.check()
    assert alerts == [] and verdict.results == [] and verdict.quorate is None


def test_runtime_monitor_polls_and_alerts_without_touching_host_health() -> None:
    peers = monitor(view({1, 2, 3}), view({2}, quorate=False))
    config, runtime = incident_config(), recorded("lab-healthy")
    rt = RuntimeMonitor(
        lambda: config, lambda: runtime, FakeNet(), FakeClock(), grace=0.0, peers=peers
    )
    verdict, alerts = rt.check()
    assert verdict.recheck_in == 5.0 and alerts == []
    verdict, alerts = rt.check()
    assert verdict.healthy  # the host's own network is fine: no self-heal for this
    assert {a.title for a in alerts} == {
        "probe failed: cluster: corosync membership",
        "probe failed: cluster: quorum",
    }
    assert {r.name for r in verdict.shown.results} >= {"cluster: quorum"}


METRICS = """\
# HELP ifguard_config_valid 1 if the network configuration lints without errors.
# TYPE ifguard_config_valid gauge
ifguard_config_valid 0.0
ifguard_lint_diagnostics{code="IFG101",severity="error"} 1.0
ifguard_lint_diagnostics{code="IFG305",severity="warning"} 2.0
ifguard_config_last_change_timestamp_seconds 36000.0
ifguard_watch_heartbeat_timestamp_seconds 36010.0
"""


def test_summary_of_a_peers_metrics() -> None:
    line = summarize_metrics(METRICS, wall=lambda t: f"T{t:.0f}")
    assert line == "lint errors IFG101 x1, last change T36000, watcher alive at T36010"
    assert summarize_metrics("node_load1 0.5\n") is None


def test_a_forming_cluster_at_boot_is_not_alerted_until_it_had_time() -> None:
    clock = FakeClock(1000.0)
    alone = view({2}, quorate=False)
    peers = PeerMonitor(lambda: CLUSTER, lambda _c: alone, clock)
    config, runtime = incident_config(), recorded("lab-healthy")
    rt = RuntimeMonitor(lambda: config, lambda: runtime, FakeNet(), clock, grace=0.0, peers=peers)
    assert rt.check()[1] == []
    clock.t += 299.0
    assert rt.check()[1] == []
    clock.t += 2.0
    assert {a.title for a in rt.check()[1]} == {
        "probe failed: cluster: corosync membership",
        "probe failed: cluster: quorum",
    }
