"""The probe report's stored form: transaction records and history rows written before the
report types were merged still load, and a report stores exactly as it did."""

from __future__ import annotations

import json

from ifguard.network.probe_report import ProbeReport, ProbeResult, ProbeStatus

# as written by ifguard before the merge (apply/probes.py Check + apply/checks.py as_report)
OLD = {
    "ok": False,
    "checks": [
        {"name": "bond bond0 members", "ok": True, "detail": "warn: up: enp2s0; down: enp1s0"},
        {"name": "address 192.0.2.10/24 on vlan1", "ok": True, "detail": ""},
        {"name": "default route via 192.0.2.1", "ok": False, "detail": "absent"},
        {"name": "gateway 192.0.2.1 reachable", "ok": False, "detail": "error: no ping"},
        {"name": "management path", "ok": True, "detail": "skip"},
    ],
}


def test_an_old_record_loads_with_its_statuses_and_stores_identically() -> None:
    report = ProbeReport.from_record(json.loads(json.dumps(OLD)))
    assert [r.status for r in report.results] == ["warn", "pass", "fail", "error", "skip"]
    assert report.results[0].detail == "up: enp2s0; down: enp1s0"
    assert not report.healthy and [r.name for r in report.failed] == [
        "default route via 192.0.2.1",
        "gateway 192.0.2.1 reachable",
    ]
    assert report.to_record() == OLD


def test_a_detail_that_only_looks_like_a_status_round_trips() -> None:
    odd = {"ok": False, "checks": [{"name": "x", "ok": False, "detail": "warn: but failed"}]}
    report = ProbeReport.from_record(odd)
    assert report.results[0].status == ProbeStatus.FAIL and report.to_record() == odd


def test_summary_and_cli_json() -> None:
    report = ProbeReport(
        (
            ProbeResult("carrier enp1s0", ProbeStatus.PASS),
            ProbeResult("gateway", ProbeStatus.ERROR, "no ping", 0.5),
        )
    )
    assert report.summary() == "1/2 probes failed: gateway (error: no ping)"
    assert ProbeReport().summary() == "no probes"
    assert json.loads(json.dumps(report.to_dict())) == {
        "healthy": False,
        "probes": [
            {"name": "carrier enp1s0", "status": "pass", "detail": "", "seconds": 0.0},
            {"name": "gateway", "status": "error", "detail": "no ping", "seconds": 0.5},
        ],
    }
