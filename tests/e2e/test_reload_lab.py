"""Issue 15 in the lab (real ifupdown2 + Open vSwitch): every reload is a guarded transaction
(the ifreload wrapper of `ifguard install --divert-ifreload` -> `ifguard reload`), and the
cluster (corosync/Ceph over vlan1001 to the peer pve2) is understood by plan, probes and the
HA cap. Timings are printed (run with -s)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ifguard.install.files import render_wrapper
from ifguard.system.root import Root
from tests.e2e.test_apply_lab import (
    Watch,
    current,
    drive,
    drive_plan,
    ifguard,
    stanza_span,
    unrelated_vlan,
    wait_closed,
)

pytestmark = pytest.mark.e2e

GOAL_S = 15.0
IFGUARD = str(Path(sys.executable).with_name("ifguard"))

# A local HTTP receiver for apprise's json:// alerts, run inside the host's namespaces:
# writes its port to ARGV[1].port, appends every POSTed body (one JSON per line) to ARGV[1].
RECEIVER = r"""
import http.server, sys
out = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with open(out, "ab") as f:
            f.write(body.replace(b"\n", b" ") + b"\n")
        self.send_response(200); self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(out + ".port", "w").write(str(s.server_address[1]))
s.serve_forever()
"""

# What the watcher does once the running configuration has been healthy for a while.
MARK_KNOWN_GOOD = r"""
from pathlib import Path
from ifguard.config.ondisk import current_files
from ifguard.store.history import open_history
from ifguard.system.root import Root
h = open_history(Path("/var/lib/ifguard"))
files = current_files(Root(Path("/")))
h.mark_known_good(h.record_version(files, source="watch", errors=0, warnings=0))
"""


def drop_bond(text: str) -> str:
    """vmbr0 without bond0 (its uplink): lint-clean, and the host is cut off."""
    text = re.sub(  # wherever bond0 stands on the line (the lab's file lists it first)
        r"^(\s*ovs_ports\s+)(.*)$",
        lambda m: m.group(1) + " ".join(w for w in m.group(2).split() if w != "bond0"),
        text,
        flags=re.M,
    )
    a, b = stanza_span(text, "bond0")
    text = text[:a] + text[b:]
    return text.replace("auto bond0\n", "")


@pytest.fixture
def guarded(lab: Any, tmp_path: Path) -> Iterator[tuple[Any, Path]]:
    lab.divert_ifreload(render_wrapper(Root(Path("/")), IFGUARD))
    alerts = tmp_path / "alerts"
    alerts.touch()
    proc = subprocess.Popen(
        lab.h.argv([sys.executable, "-c", RECEIVER, str(alerts)]),
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    port_file = Path(f"{alerts}.port")
    for _ in range(100):
        if port_file.exists() and port_file.read_text():
            break
        time.sleep(0.05)
    port = port_file.read_text()
    (lab.h.root / "etc/ifguard/watch.env").write_text(
        f"IFGUARD_WATCH_ARGS='--notify json://127.0.0.1:{port}/'\n"
    )
    try:
        yield lab, alerts
    finally:
        proc.kill()
        proc.wait()


def mark_known_good(lab: Any) -> None:
    done = lab.host([sys.executable, "-c", MARK_KNOWN_GOOD])
    assert done.returncode == 0, done.stderr


@dataclass
class Reload:
    rc: int
    stderr: str
    start: float  # the ifreload command started
    reloaded: float | None  # the real reload finished (its "reload finished" line)
    took: float  # the whole ifreload command


def reload_via(lab: Any, text: str, path: str, **env: str) -> Reload:
    """Put ``text`` in place as ``path`` does (in-place edit, or the GUI's interfaces.new
    renamed over interfaces), then `ifreload -a` through the wrapper."""
    if path == "gui":
        (lab.h.root / "etc/network/interfaces.new").write_text(text)
        moved = lab.host(["mv", "/etc/network/interfaces.new", "/etc/network/interfaces"])
        assert moved.returncode == 0
    else:
        lab.write_interfaces(text)
    argv = ["env", *(f"{k}={v}" for k, v in env.items()), "ifreload", "-a"]
    start = time.time()
    proc = subprocess.Popen(
        lab.h.argv(argv),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    lines, reloaded = [], None
    for line in proc.stderr:
        lines.append(line)
        if reloaded is None and "reload finished" in line:
            reloaded = time.time()
    rc = proc.wait(timeout=300)
    return Reload(rc, "".join(lines), start, reloaded, time.time() - start)


@pytest.mark.parametrize("path", ["in-place", "gui"])
def test_breaking_reload_is_rolled_back_alerted_and_fails(
    guarded: tuple[Any, Path], path: str
) -> None:
    lab, alerts = guarded
    good = current(lab)
    mark_known_good(lab)
    watch = Watch(lab)
    try:
        done = reload_via(lab, drop_bond(good), path)
        watch.wait_reachable(60)
    finally:
        watch.stop()
    assert done.rc == 1, done.stderr
    assert "ROLLED BACK to known-good version" in done.stderr, done.stderr
    assert current(lab) == good and lab.admin_reaches_host()
    assert done.reloaded is not None, done.stderr
    lost, seconds = watch.restored_after(done.reloaded)
    assert lost, "dropping bond0 did not cut the host off in this lab"
    assert seconds is not None and seconds < GOAL_S, (seconds, done.stderr)
    got = [json.loads(line) for line in alerts.read_text().splitlines()]
    assert len(got) == 1 and "rolled back" in got[0]["title"], (got, done.stderr[-400:])
    assert "known-good version" in got[0]["message"]
    assert not json.loads(ifguard(lab, "status", "--format", "json").stdout)["pending"]
    print(
        f"\n[reload e2e] drop bond0, {path}: ifreload exit {done.rc} after {done.took:.1f} s;"
        f" admin reaches the host again {seconds:.1f} s after the reload "
        f"({seconds + done.reloaded - done.start:.1f} s after `ifreload -a` started); "
        "alert received"
    )


@pytest.mark.parametrize("path", ["in-place", "gui"])
def test_healthy_reload_is_kept_with_only_probe_time_added(
    guarded: tuple[Any, Path], path: str
) -> None:
    lab, alerts = guarded
    good = current(lab)
    mark_known_good(lab)
    cand = unrelated_vlan(good)
    done = reload_via(lab, cand, path)
    took = done.took
    assert done.rc == 0, done.stderr
    assert "probes green: kept" in done.stderr
    assert current(lab) == cand and lab.admin_reaches_host()
    assert alerts.read_text() == ""
    hist = json.loads(ifguard(lab, "history", "--format", "json").stdout)
    assert hist["versions"][0]["known_good"]  # the kept change is the new known-good
    # the same change the other way round, unguarded, for comparison
    back = reload_via(lab, good, "in-place", IFGUARD_FORCE="1")
    plain = back.took
    assert back.rc in (0, 1)
    print(
        f"\n[reload e2e] healthy, {path}: guarded ifreload {took:.1f} s, unguarded "
        f"{plain:.1f} s (added {took - plain:.1f} s: lint, guardian, probes)"
    )


def test_without_a_known_good_version_the_lint_gate_only(guarded: tuple[Any, Path]) -> None:
    lab, _alerts = guarded
    good = current(lab)
    done = reload_via(lab, unrelated_vlan(good), "in-place")
    assert done.rc == 0, done.stderr
    assert "no known-good configuration in the history" in done.stderr
    assert "lint gate only" in done.stderr


def test_guard_off_for_one_reload(guarded: tuple[Any, Path]) -> None:
    lab, _alerts = guarded
    good = current(lab)
    mark_known_good(lab)
    done = reload_via(lab, unrelated_vlan(good), "in-place", IFGUARD_NO_ROLLBACK="1")
    assert done.rc == 0 and "guarded reload" not in done.stderr, done.stderr
    assert not json.loads(ifguard(lab, "history", "--format", "json").stdout)["events"]


# --- the cluster ----------------------------------------------------------------------------


def move_corosync_vlan(text: str) -> str:
    """vlan1001's address (corosync link 0, Ceph) onto a new int-port in VLAN 1002."""
    a, b = stanza_span(text, "vlan1001")
    block = text[a:b]
    address = re.search(r"^\s*address\s+(\S+)\s*$", block, re.M)
    assert address
    text = text[:a] + block.replace(address.group(0) + "\n", "") + text[b:]
    text = text.replace("iface vlan1001 inet static", "iface vlan1001 inet manual")
    text = re.sub(r"^(\s*ovs_ports\s.*)$", r"\1 vlan1002", text, count=1, flags=re.M)
    return text + (
        f"\nauto vlan1002\niface vlan1002 inet static\n\taddress {address.group(1)}\n"
        "\tovs_type OVSIntPort\n\tovs_bridge vmbr0\n\tovs_options tag=1002\n"
    )


def test_lab_peer_answers_over_the_corosync_vlan(lab: Any) -> None:
    assert lab.peer_reaches_host()
    out = ifguard(lab, "probe").stdout
    assert "cluster" not in out or "fail" not in out


def test_moving_the_corosync_vlan_is_named_and_rolled_back(lab: Any) -> None:
    good = current(lab)
    cand = move_corosync_vlan(good)
    plan = drive_plan(lab, cand)
    assert "corosync link 0 to pve2 goes over vlan1001: this change moves it to vlan1002" in (
        plan
    ), plan
    assert "can cut you off" in plan
    watch = Watch(lab)
    try:
        res = drive(lab, cand, "wait", "--timeout", "60", "--probe-timeout", "5")
    finally:
        watch.stop()
    final = wait_closed(lab)
    assert final["transaction"]["state"] == "rolled-back", res["output"]
    assert "cluster: corosync link 0 to pve2" in final["transaction"]["outcome"]
    assert current(lab) == good
    assert all(ok for _t, ok in watch.samples), "SSH/the admin path must stay up throughout"
    assert lab.peer_reaches_host()
    print(
        f"\n[reload e2e] corosync VLAN moved: rolled back by the cluster probe in "
        f"{time.time() - res['t_start']:.1f} s; admin never lost"
    )


def test_ha_resources_cap_the_deadline(lab: Any) -> None:
    lab.set_ha_resources("vm: 100\n\tstate started\n")
    good = current(lab)
    res = drive(lab, unrelated_vlan(good), "wait", "--timeout", "120", "--no-wait")
    assert (
        "HA resources configured (1 in /etc/pve/ha/resources.cfg): --timeout 120 capped to"
        " 30 s" in res["output"]
    ), res["output"]
    status = json.loads(ifguard(lab, "status", "--format", "json").stdout)
    txn = status["transaction"]
    assert txn["timeout"] == 30
    ifguard(lab, "rollback")
