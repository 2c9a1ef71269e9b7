"""The survivors' duplicate "node left the cluster" alerts are one notification: Debian's real
Alertmanager with contrib/alertmanager/alertmanager.yml, alerts posted by ``amtool alert add``
as Prometheus posts them (one per surviving node, contrib/prometheus/ifguard.rules.yml), and a
webhook receiver counting what Alertmanager sends.

Everything runs in a private network namespace (``unshare --net``: its own loopback, nothing
on this machine's network): the receiver on 127.0.0.1:9095 (the config's webhook URLs),
Alertmanager on 127.0.0.1:19093.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, require_tool

pytestmark = pytest.mark.e2e
CONFIG = REPO / "contrib" / "alertmanager" / "alertmanager.yml"

SCENARIO = r"""
import http.server, json, subprocess, sys, threading, time, urllib.request
amtool, alertmanager, config, storage = sys.argv[1:5]
subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
posts = []
class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        posts.append({"t": time.time(), "path": self.path, "body": json.loads(body)})
        self.send_response(200); self.end_headers()
    def log_message(self, *a): pass
server = http.server.HTTPServer(("127.0.0.1", 9095), Hook)
threading.Thread(target=server.serve_forever, daemon=True).start()
am = subprocess.Popen([alertmanager, "--config.file=" + config, "--storage.path=" + storage,
    "--web.listen-address=127.0.0.1:19093", "--cluster.listen-address="],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    url = "http://127.0.0.1:19093"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/-/ready", timeout=1); break
        except OSError:
            time.sleep(0.2)
    def add(node, instance):
        subprocess.run([amtool, "--alertmanager.url=" + url, "alert", "add",
            "alertname=IfguardClusterNodeLeft", "node=" + node, "instance=" + instance,
            "job=ifguard", "severity=critical",
            "--annotation=summary=" + node + " left the corosync cluster"], check=True)
    t0 = time.time()
    add("pve1", "pve2:9861")   # the two survivors of pve1's departure
    add("pve1", "pve3:9861")
    time.sleep(14)             # group_wait 10 s
    first = list(posts)
    add("pve2", "pve3:9861")   # another node leaving: its own notification
    time.sleep(14)
    q = subprocess.run([amtool, "--alertmanager.url=" + url, "-o", "json", "alert", "query",
        "alertname=IfguardClusterNodeLeft"], capture_output=True, text=True, check=True)
    print(json.dumps({"t0": t0, "first": first, "all": posts, "query": json.loads(q.stdout)}))
finally:
    am.terminate(); am.wait()
"""


def run_scenario(tmp_path: Path) -> dict[str, Any]:
    amtool = require_tool("amtool", "prometheus-alertmanager")
    alertmanager = require_tool("prometheus-alertmanager", "prometheus-alertmanager")
    if os.geteuid() != 0:
        pytest.fail("needs root (unshare --net)", pytrace=False)
    done = subprocess.run(
        [
            "unshare",
            "--net",
            sys.executable,
            "-c",
            SCENARIO,
            amtool,
            alertmanager,
            str(CONFIG),
            str(tmp_path / "am"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_survivors_duplicate_alerts_are_one_notification(tmp_path: Path) -> None:
    r = run_scenario(tmp_path)
    first = r["first"]
    assert len(first) == 1, [p["body"].get("groupLabels") for p in first]
    note = first[0]["body"]
    assert first[0]["path"] == "/ifguard-oncall"
    assert note["groupLabels"] == {"alertname": "IfguardClusterNodeLeft", "node": "pve1"}
    observers = sorted(a["labels"]["instance"] for a in note["alerts"])
    assert observers == ["pve2:9861", "pve3:9861"]
    print(
        f"\nAlertmanager: 2 survivors' alerts -> {len(first)} notification "
        f"{first[0]['t'] - r['t0']:.1f} s after the first (group_wait 10 s)"
    )
    # another node's departure is not merged into the first one's
    later = r["all"][len(first) :]
    assert [p["body"]["groupLabels"].get("node") for p in later] == ["pve2"]
    # Alertmanager keeps every observer's alert (who saw it): three alerts, two groups
    assert len(r["query"]) == 3
