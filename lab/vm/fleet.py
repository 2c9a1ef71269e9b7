"""The cluster lab's fleet view: Debian's Prometheus and Alertmanager in the admin namespace,
as the operator's monitoring would run them.

Prometheus scrapes the three nodes' metrics endpoints (192.0.2.1N:9861, every 5 s) with the
project's rules (contrib/prometheus/ifguard.rules.yml) and sends its alerts to Alertmanager,
which runs the project's configuration unchanged (contrib/alertmanager/alertmanager.yml: its
webhooks are http://127.0.0.1:9095/..., served here by lab/vm/receiver.py in the same
namespace). What the on-call gets is what the receiver records (``notifications()``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from lab.ifguard_lab import Node

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
RULES = REPO / "contrib/prometheus/ifguard.rules.yml"
ROUTES = REPO / "contrib/alertmanager/alertmanager.yml"
PROMETHEUS, ALERTMANAGER = "127.0.0.1:19090", "127.0.0.1:19093"
TOOLS = ("prometheus", "prometheus-alertmanager", "amtool")


def missing() -> str | None:
    for tool in TOOLS:
        if shutil.which(tool) is None:
            return f"{tool} not installed (apt-get install prometheus prometheus-alertmanager)"
    return None


class Fleet:
    """Prometheus + Alertmanager + the webhook receiver in ``admin``'s namespace."""

    def __init__(self, admin: Node, base: Path, targets: list[str]) -> None:
        self.admin, self.base, self.targets = admin, base, targets
        self.hook = base / "notifications.jsonl"
        self.procs: list[subprocess.Popen[bytes]] = []

    def _start(self, argv: list[str], log: str) -> None:
        with open(self.base / log, "ab") as out:
            self.procs.append(
                subprocess.Popen(
                    self.admin.argv(argv),
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=out,
                    start_new_session=True,
                )
            )

    def up(self) -> None:
        self.base.mkdir(parents=True, exist_ok=True)
        self.hook.write_text("")
        config = {
            "global": {"scrape_interval": "5s", "evaluation_interval": "5s"},
            "rule_files": [str(RULES)],
            "alerting": {"alertmanagers": [{"static_configs": [{"targets": [ALERTMANAGER]}]}]},
            "scrape_configs": [
                {"job_name": "ifguard", "static_configs": [{"targets": self.targets}]}
            ],
        }
        (self.base / "prometheus.yml").write_text(json.dumps(config))  # YAML is JSON's superset
        receiver = [sys.executable, str(HERE / "receiver.py"), "127.0.0.1", "9095"]
        self._start([*receiver, str(self.hook)], "receiver.log")
        self._start(
            [
                "prometheus-alertmanager",
                f"--config.file={ROUTES}",
                f"--storage.path={self.base / 'am'}",
                f"--web.listen-address={ALERTMANAGER}",
                "--cluster.listen-address=",
            ],
            "alertmanager.log",
        )
        self._start(
            [
                "prometheus",
                f"--config.file={self.base / 'prometheus.yml'}",
                f"--storage.tsdb.path={self.base / 'tsdb'}",
                f"--web.listen-address={PROMETHEUS}",
            ],
            "prometheus.log",
        )

    def down(self) -> None:
        for p in self.procs:
            p.kill()
            p.wait()
        self.procs = []

    def query(self, expr: str) -> list[dict[str, Any]]:
        """Prometheus's instant query ``expr`` (its result list; [] if it cannot answer)."""
        code = (
            "import json, sys, urllib.parse, urllib.request;"
            f"u='http://{PROMETHEUS}/api/v1/query?query='+urllib.parse.quote(sys.argv[1]);"
            "print(urllib.request.urlopen(u, timeout=5).read().decode())"
        )
        done = self.admin.run([sys.executable, "-c", code, expr], timeout=30)
        if done.returncode != 0:
            return []
        result: list[dict[str, Any]] = json.loads(done.stdout)["data"]["result"]
        return result

    def wait_up(self, timeout: float) -> float:
        """Seconds until Prometheus scrapes all targets (``up == 1`` for each)."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            up = [r for r in self.query("up == 1") if r["metric"].get("job") == "ifguard"]
            if len(up) == len(self.targets):
                return time.monotonic() - start
            time.sleep(1)
        raise TimeoutError(f"Prometheus did not scrape {self.targets} in {timeout:.0f} s")

    def active(self, alertname: str) -> list[dict[str, Any]]:
        """Alertmanager's active alerts named ``alertname`` (amtool alert query)."""
        done = self.admin.run(
            [
                "amtool",
                f"--alertmanager.url=http://{ALERTMANAGER}",
                "-o",
                "json",
                "alert",
                "query",
                f"alertname={alertname}",
            ],
            timeout=30,
        )
        if done.returncode != 0:
            return []
        alerts: list[dict[str, Any]] = json.loads(done.stdout or "[]")
        return alerts

    def notifications(self) -> list[dict[str, Any]]:
        """Every webhook Alertmanager sent: ``{"t", "path", "body"}``."""
        text = self.hook.read_text() if self.hook.exists() else ""
        return [json.loads(x) for x in text.splitlines() if x.strip()]
