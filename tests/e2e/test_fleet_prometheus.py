"""The fleet view against the real thing: Debian's Prometheus scrapes two real `ifguard watch`
processes in the lab, evaluates contrib/prometheus/ifguard.rules.yml, and every panel query of
contrib/grafana/ifguard.json returns data.

Two hosts: two watchers in the lab host's namespaces - "pve1" watches the lab host's own
/etc/network (root /), "pve2" a copy of it under another --root with --runtime (both see
the lab's real OVS bond) - each with its own state dir and metrics port. A junk line appended
to pve2's file makes IfguardConfigInvalid fire for pve2 only (Prometheus' alerts API), and
the fix resolves it. Prometheus, the watchers and their ports live in the lab host's private
network namespace (nothing else listens there, so fixed ports cannot collide); queries run in
that namespace too.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, require_tool

pytestmark = pytest.mark.e2e
JUNK = (
    "27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast"
    " master ovs-system state UP group default qlen 1000\n"
)
PROM = "127.0.0.1:19090"
PVE1, PVE2 = "127.0.0.1:19861", "127.0.0.1:19862"
QUERY = """
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=10) as r:
    sys.stdout.write(r.read().decode())
"""


class Fleet:
    def __init__(self, lab: Any, tmp: Path) -> None:
        self.lab, self.tmp = lab, tmp
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, argv: list[str]) -> None:
        log = (self.tmp / f"{name}.log").open("wb")
        self.procs.append(
            subprocess.Popen(self.lab.h.argv(argv), stdout=log, stderr=subprocess.STDOUT)
        )

    def api(self, path: str, **params: str) -> Any:
        url = f"http://{PROM}/api/v1/{path}?{urllib.parse.urlencode(params)}"
        done = self.lab.host([sys.executable, "-c", QUERY, url])
        assert done.returncode == 0, done.stderr
        body = json.loads(done.stdout)
        assert body["status"] == "success", body
        return body["data"]

    def query(self, expr: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.api("query", query=expr)["result"]
        return result

    def firing(self, alert: str) -> set[str]:
        return {
            a["labels"]["instance"]
            for a in self.api("alerts")["alerts"]
            if a["labels"]["alertname"] == alert and a["state"] == "firing"
        }

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-2000:]}"
            for p in sorted(self.tmp.glob("*.log"))
        )

    def wait(self, pred: Callable[[], bool], limit: float, what: str) -> float:
        start = time.monotonic()
        while True:
            try:
                if pred():
                    return time.monotonic() - start
            except AssertionError:
                pass  # Prometheus not answering yet
            assert time.monotonic() - start < limit, f"timed out: {what}\n{self.logs()}"
            time.sleep(0.5)

    def stop(self) -> None:
        for p in self.procs:
            p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


@pytest.fixture
def fleet(lab: Any, tmp_path: Path) -> Iterator[Fleet]:
    prometheus = require_tool("prometheus", "prometheus")
    f = Fleet(lab, tmp_path)
    pve2 = tmp_path / "pve2"
    (pve2 / "etc/network").mkdir(parents=True)
    (pve2 / "etc/network/interfaces").write_text(lab.read_interfaces())
    watch = [sys.executable, "-m", "ifguard", "watch", "-v", "--metrics-port"]
    f.start("pve1", [*watch, PVE1.split(":")[1]])
    f.start(
        "pve2",
        [
            *watch,
            PVE2.split(":")[1],
            "--root",
            str(pve2),
            "--state-dir",
            str(tmp_path / "s2"),
            "--runtime",
        ],
    )
    config = tmp_path / "prometheus.yml"
    config.write_text(
        json.dumps(  # JSON is YAML
            {
                "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
                "rule_files": [str(REPO / "contrib/prometheus/ifguard.rules.yml")],
                "scrape_configs": [
                    {
                        "job_name": "ifguard",
                        "static_configs": [
                            {"targets": [PVE1], "labels": {"host": "pve1"}},
                            {"targets": [PVE2], "labels": {"host": "pve2"}},
                        ],
                    }
                ],
            }
        )
    )
    f.start(
        "prometheus",
        [
            prometheus,
            f"--config.file={config}",
            f"--storage.tsdb.path={tmp_path / 'tsdb'}",
            f"--web.listen-address={PROM}",
            "--log.level=warn",
        ],
    )
    try:
        yield f
    finally:
        f.stop()


def panel_queries() -> list[tuple[str, str]]:
    dash = json.loads((REPO / "contrib/grafana/ifguard.json").read_text())
    return [(p["title"], t["expr"]) for p in dash["panels"] for t in p["targets"]]


def test_prometheus_scrapes_two_watchers_dashboards_and_alert_rules(fleet: Fleet) -> None:
    f = fleet
    f.wait(
        lambda: (
            {r["metric"]["instance"] for r in f.query('up{job="ifguard"} == 1')} == {PVE1, PVE2}
        ),
        60,
        "both watchers scraped",
    )
    # the runtime metrics of both (pve2 runs them by --runtime) and pve1's known-good mark
    f.wait(
        lambda: len(f.query('ifguard_bond_member_up{kind="ovs"} == 1')) == 4,
        60,
        "OVS bond members of both hosts",
    )
    f.wait(lambda: bool(f.query("ifguard_known_good_timestamp_seconds")), 60, "known-good")
    assert f.firing("IfguardConfigInvalid") == set()

    junked = f.tmp / "pve2/etc/network/interfaces"
    with junked.open("a") as fh:
        fh.write(JUNK)
    took = f.wait(lambda: f.firing("IfguardConfigInvalid") == {PVE2}, 30, "alert for pve2")
    assert f.firing("IfguardConfigInvalid") == {PVE2}  # that host only
    (alert,) = [
        a for a in f.api("alerts")["alerts"] if a["labels"]["alertname"] == "IfguardConfigInvalid"
    ]
    assert alert["labels"]["host"] == "pve2" and alert["labels"]["severity"] == "critical"

    # every panel of the dashboard, for all hosts ($instance = All = .*), returns data
    instances = f.api("label/instance/values", **{"match[]": "ifguard_config_valid"})
    assert set(instances) == {PVE1, PVE2}  # the dashboard's host variable
    empty = []
    for title, expr in panel_queries():
        result = f.query(expr.replace("$instance", ".*"))
        if not result:
            empty.append(f"{title}: {expr}")
    assert not empty, "panels without data:\n" + "\n".join(empty)
    errors = f.query(
        next(e for t, e in panel_queries() if t == "Lint errors by code").replace("$instance", PVE2)
    )
    assert [(r["metric"]["code"], r["value"][1]) for r in errors] == [("IFG101", "1")]

    junked.write_text(junked.read_text().replace(JUNK, ""))
    fixed = f.wait(lambda: f.firing("IfguardConfigInvalid") == set(), 30, "resolved")
    print(
        f"\n[fleet e2e] IfguardConfigInvalid firing for {PVE2} only {took:.1f} s after the "
        f"junk line; resolved {fixed:.1f} s after the fix; {len(panel_queries())} panel "
        "queries returned data"
    )
