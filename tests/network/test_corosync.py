"""Corosync's own view (ifguard.network.corosync) on output captured from Debian's corosync
3.1.7 in the cluster lab (tests/fixtures/corosync/, lab/vm/cluster.py): three nodes quorate;
pve1's cables pulled (pve1 alone, pve2 with pve3); corosync stopped."""

from __future__ import annotations

from pathlib import Path

from ifguard.config.cluster import Cluster, Node
from ifguard.network.corosync import (
    CorosyncView,
    checks,
    parse_cfgtool,
    parse_quorumtool,
    read_view,
)
from ifguard.network.probe_report import ProbeStatus
from ifguard.system.runner import Completed
from tests.fakes import FakeRunner

CAPTURED = Path(__file__).resolve().parents[1] / "fixtures" / "corosync"
NODES = tuple(Node(f"pve{n}", str(n), ((0, f"10.50.0.{n}"),)) for n in (1, 2, 3))


def captured(name: str) -> str:
    return (CAPTURED / name).read_text()


def cluster(local: str = "pve1", path: str | None = "/etc/corosync/corosync.conf") -> Cluster:
    return Cluster(nodes=NODES, local=local, corosync_path=path)


def runner(quorum: str, cfg: str, rc: int = 0) -> FakeRunner:
    return FakeRunner(
        {
            "corosync-quorumtool": Completed(rc, quorum, ""),
            "corosync-cfgtool": Completed(0, cfg, ""),
        }
    )


def status(view: CorosyncView, name: str, c: Cluster | None = None) -> ProbeStatus:
    (found,) = [r for r in checks(c or cluster(), view) if r.name == name]
    return found.status


def test_quorate_three_as_captured() -> None:
    v = parse_quorumtool(captured("quorum-ok-1.txt"))
    assert v.node_id == 1 and v.quorate is True
    assert (v.expected_votes, v.total_votes) == (3, 3)
    assert v.member_ids() == {1, 2, 3}
    assert [m.local for m in v.members] == [True, False, False]


def test_cfgtool_links_as_captured() -> None:
    local, links = parse_cfgtool(captured("cfg-ok-1.txt"))
    assert local == 1
    assert {(x.link, x.nodeid): x.up for x in links} == {(0, 1): True, (0, 2): True, (0, 3): True}


def test_healthy_node_is_green() -> None:
    view = read_view(runner(captured("quorum-ok-1.txt"), captured("cfg-ok-1.txt")), cluster())
    results = checks(cluster(), view)
    assert [r.status for r in results] == [ProbeStatus.PASS] * 4
    assert results[0].detail == "pve1 (node 1) is a member: 3 nodes (pve1, pve2, pve3)"
    assert [r.name for r in results[2:]] == [
        "cluster: knet link 0 to pve2",
        "cluster: knet link 0 to pve3",
    ]


def test_cut_node_alone_without_quorum_is_red() -> None:
    text = captured("quorum-cut-1.txt")
    view = read_view(runner(text, captured("cfg-cut-1.txt"), rc=2), cluster())
    assert view.member_ids() == {1} and view.quorate is False
    assert status(view, "cluster: corosync membership") == ProbeStatus.FAIL
    assert status(view, "cluster: quorum") == ProbeStatus.FAIL
    assert status(view, "cluster: knet link 0 to pve2") == ProbeStatus.WARN


def test_survivor_sees_the_peer_gone_as_a_warning() -> None:
    c = cluster("pve2")
    view = read_view(runner(captured("quorum-cut-2.txt"), captured("cfg-cut-2.txt")), c)
    assert view.node_id == 2 and view.member_ids() == {2, 3} and view.quorate
    results = {r.name: r for r in checks(c, view)}
    assert results["cluster: corosync membership"].status == ProbeStatus.WARN
    assert "not in the membership: pve1" in results["cluster: corosync membership"].detail
    assert results["cluster: quorum"].status == ProbeStatus.PASS
    assert results["cluster: knet link 0 to pve1"].status == ProbeStatus.WARN


def test_what_was_already_wrong_before_a_change_is_not_held_against_it() -> None:
    cut = parse_quorumtool(captured("quorum-cut-1.txt"))
    ok = parse_quorumtool(captured("quorum-ok-1.txt"))
    assert {r.status for r in checks(cluster(), cut, before=cut)} == {ProbeStatus.WARN}
    assert ProbeStatus.FAIL in {r.status for r in checks(cluster(), cut, before=ok)}


def test_no_corosync_is_no_cluster_and_no_noise() -> None:
    missing = FakeRunner(
        {"corosync-quorumtool": Completed(127, "", "corosync-quorumtool: command not found")}
    )
    assert read_view(missing, cluster()).absent
    stopped = captured("stopped.txt")
    not_running = FakeRunner({"corosync-quorumtool": Completed(1, "", stopped)})
    assert read_view(not_running, cluster(path=None)).absent
    assert checks(Cluster(), read_view(missing, Cluster())) == []


def test_configured_but_corosync_stopped_is_red() -> None:
    stopped = captured("stopped.txt")
    view = read_view(FakeRunner({"corosync-quorumtool": Completed(1, "", stopped)}), cluster())
    (result,) = checks(cluster(), view)
    assert result.status == ProbeStatus.FAIL
    assert result.detail.startswith("corosync is not running")


def test_output_not_understood_is_an_error_never_a_pass() -> None:
    view = read_view(FakeRunner({"corosync-quorumtool": Completed(0, "hello\n", "")}), cluster())
    assert view.problem and status(view, "cluster: corosync membership") == ProbeStatus.FAIL
