"""Metrics: the textfile holds every documented metric."""

from __future__ import annotations

from pathlib import Path

from ifguard.watch.metrics import Collector, Snapshot, write_textfile


def test_textfile_has_all_metrics(tmp_path: Path) -> None:
    c = Collector()
    c.snapshot = Snapshot(
        config_valid=False,
        diagnostics={("error", "IFG101"): 1},
        last_change=1700000000.0,
        links={"enp1s0": True},
        bond_members={("bond0", "enx60a4b758ba5b", "ovs"): False},
        drift=2,
        rollbacks=1,
    )
    write_textfile(c, tmp_path)
    text = (tmp_path / "ifguard.prom").read_text()
    assert "ifguard_config_valid 0.0" in text
    assert 'ifguard_lint_diagnostics{code="IFG101",severity="error"} 1.0' in text
    assert "ifguard_config_last_change_timestamp_seconds 1.7e+09" in text
    assert 'ifguard_link_up{interface="enp1s0"} 1.0' in text
    assert 'ifguard_bond_member_up{bond="bond0",kind="ovs",member="enx60a4b758ba5b"} 0.0' in text
    assert "ifguard_drift 2.0" in text
    assert "ifguard_apply_rollbacks_total 1.0" in text
    assert [p.name for p in tmp_path.iterdir()] == ["ifguard.prom"]


def test_cluster_metrics_only_on_a_cluster_node(tmp_path: Path) -> None:
    c = Collector()
    write_textfile(c, tmp_path)
    text = (tmp_path / "ifguard.prom").read_text()
    assert "ifguard_cluster_quorate" not in text and "ifguard_cluster_member{" not in text
    c.snapshot = Snapshot(cluster_members={"pve1": False, "pve3": True}, cluster_quorate=True)
    write_textfile(c, tmp_path)
    text = (tmp_path / "ifguard.prom").read_text()
    assert "ifguard_cluster_quorate 1.0" in text
    assert 'ifguard_cluster_member{node="pve1"} 0.0' in text
    assert 'ifguard_cluster_member{node="pve3"} 1.0' in text
