"""A Proxmox-like cluster in VMs (issue 26): three booted Debian 12 guests running Debian's
corosync 3 (knet, secauth, votequorum, the default token) with the project's .deb, on the
cluster lab's switch (lab/vm/cluster.py: management VLAN 1, corosync VLAN 50, an OVS LACP
bond per node). One cluster for the module; each test leaves it quorate with three.

Figures (printed, and listed at the end of the run): time to a quorate three-node cluster;
per rollback path, how long node 1 was out of its peers' membership; the survivors' alert
for a node cut off, its delivery and its resolve.
"""

from __future__ import annotations

import fcntl
import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from lab.vm import image as vm_images
from lab.vm.cluster import ClusterLab, mgmt, qmp
from lab.vm.fleet import Fleet
from lab.vm.fleet import missing as fleet_missing
from lab.vm.guest import GuestError
from lab.vm.image import CLUSTER_EXTRA
from tests.e2e import debroot
from tests.e2e.vm.clusterlib import (
    NODE_LEFT,
    Membership,
    boot_analysis,
    cluster_alerts,
    dump,
    pages,
    say,
    title,
    wait_known_good,
    wait_titles,
)
from tests.e2e.vm.conftest import _prerequisites

pytestmark = [pytest.mark.vm]
if os.environ.get("IFGUARD_VM_ALL") != "1":
    pytestmark.append(
        pytest.mark.skip(
            reason="not yet reliable, opt in with IFGUARD_VM_ALL=1: 1 run (2026-12-02), tests 1-2 "
            "passed, 3a failed (cause not recorded), 3b/3c/4 not reached: booting the three "
            "TCG guests took 14.5 min (ifguard-status.service ~2 min per node), past ~15 min"
        )
    )

CUT = r"sed -i 's/^\(\s*ovs_options tag=\)50$/\151/' {path}"  # corosync VLAN 50 -> 51
# `ifguard apply` in the background, its CLI SIGKILLed once the change is written: the
# guardian decides alone
APPLY_KILLED = """
(setsid ifguard apply /root/cut.interfaces --timeout 60 </dev/null >/root/apply.log 2>&1 &)
w=never-written
for i in $(seq 1200); do
    grep -q 'tag=51' /etc/network/interfaces && w=written && break
    sleep 0.05
done
pkill -KILL -f 'ifguard appl[y] /root/cut'
echo $w
"""
LAST_TXN = """
cat /var/lib/ifguard/guardian.log 2>/dev/null
cat "/var/lib/ifguard/txn/$(ls -t /var/lib/ifguard/txn | head -1)/result.json"
"""


@pytest.fixture(scope="module")
def cluster_image() -> vm_images.Image:
    _prerequisites()
    try:
        img, took = vm_images.build(debroot.built_deb(), extra=CLUSTER_EXTRA)
    except vm_images.ImageError as exc:
        pytest.fail(f"cluster image: {exc}", pytrace=False)
    say("cluster image build", f"{took:.0f} s" if took else "cached (0 s)")
    return img


@pytest.fixture(scope="module")
def cluster(
    cluster_image: vm_images.Image, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ClusterLab]:
    with open("/run/ifguard-vm.lock", "a") as lock:  # one VM lab at a time on a machine
        fcntl.flock(lock, fcntl.LOCK_EX)
        lab = ClusterLab(cluster_image, tmp_path_factory.mktemp("cluster"))
        try:
            together = os.environ.get("IFGUARD_VM_CLUSTER_BOOT") == "together"
            t0 = time.monotonic()
            ran = lab.start(together=together)
            how = "together" if together else "one after the other"
            for n, took in ran.items():
                say(f"cluster ({how}): qemu start -> pve{n} running (systemd)", f"{took:.0f} s")
            running = time.monotonic() - t0
            lab.wait_quorate((1, 2, 3), {1, 2, 3}, timeout=300)
            say("cluster: qemu start -> all three running (systemd)", f"{running:.0f} s")
            say("cluster: qemu start -> quorate with three on every node",
                f"{time.monotonic() - t0:.0f} s")  # fmt: skip
            offsets = ", ".join(f"pve{n} {lab.clock_offset(n):+.2f} s" for n in (1, 2, 3))
            say("cluster: guest clock offsets", offsets)
            boot_analysis(lab)
            say("cluster: load average at quorum", Path("/proc/loadavg").read_text().strip())
        except GuestError as exc:
            where = dump(lab, "boot")
            lab.stop()
            pytest.fail(f"cluster lab: {exc} (diagnostics: {where})", pytrace=False)
        try:
            yield lab
        finally:
            lab.stop()


@pytest.fixture
def diag(cluster: ClusterLab, request: pytest.FixtureRequest) -> Iterator[ClusterLab]:
    """The cluster; the three nodes' diagnostics written when the test fails."""
    failed = request.session.testsfailed
    yield cluster
    if request.session.testsfailed > failed:
        print(f"\ncluster diagnostics: {dump(cluster, request.node.name)}")


def test_1_quorate_three_and_probes_read_corosync(cluster: ClusterLab) -> None:
    for n, g in cluster.each():
        out = g.run("ifguard probe", timeout=60).out
        assert re.search(
            rf"ok\s+cluster: corosync membership: pve{n} \(node {n}\) is a member: 3 nodes",
            out,
        ), out
        assert re.search(r"ok\s+cluster: quorum: quorate, 3 of 3 votes", out), out
        assert len(re.findall(r"ok\s+cluster: knet link 0 to pve\d: connected", out)) == 2, out


@pytest.fixture(scope="module")
def fleet(cluster: ClusterLab) -> Iterator[Fleet]:
    """Prometheus and Alertmanager (the project's rules and routes) in the admin's network,
    scraping the three nodes."""
    lacking = fleet_missing()
    if lacking:
        pytest.fail(f"fleet view: {lacking}", pytrace=False)
    view = Fleet(cluster.net.a, cluster.net.base / "fleet", [f"{mgmt(n)}:9861" for n in (1, 2, 3)])
    view.up()
    try:
        say("fleet: Prometheus scrapes the three nodes after", f"{view.wait_up(120):.0f} s")
        yield view
    finally:
        view.down()


def test_2_peer_cut_off_reported_once_by_each_survivor(diag: ClusterLab, fleet: Fleet) -> None:
    lab = diag
    time.sleep(35)  # the survivors' watchers read pve1's last report (every 30 s)
    n = len(lab.net.alerts_received())
    paged = len(fleet.notifications())
    cut = time.time()
    for nic in ("n0", "n1"):  # both cables of pve1's bond: no way back
        assert "error" not in qmp(lab.guests[1], "set_link", name=nic, up=False)
    try:
        lab.wait_quorate((2, 3), {2, 3}, timeout=60)
        say("peer alert: cut -> survivors quorate with two", f"{time.time() - cut:.1f} s")
        left = wait_titles(lab, n, r"^\[pve[23]\] pve1 left the cluster at \d\d:\d\d:\d\d$", 2, 60)
        assert sorted(title(a)[:6] for a in left) == ["[pve2]", "[pve3]"], [
            title(a) for a in cluster_alerts(lab, n)
        ]
        for a in left:
            say(f"peer alert: {title(a)[:6]} delivered after the cut", f"{a['t'] - cut:.1f} s")
            body = str(a["body"].get("message", a["body"].get("body", "")))
            assert "its last report: " in body and "none read" not in body, body
        print("\nALERT", title(left[0]), "|", str(left[0]["body"].get("message", ""))[:300])
        # the fleet view: two survivors' alerts, one page (Alertmanager's grouping by node)
        end = time.monotonic() + 90
        while time.monotonic() < end and not pages(fleet, paged, "firing"):
            time.sleep(1)
        time.sleep(15)  # nothing repeated while pve1 stays away (and group_wait is 10 s)
        again = [a for a in cluster_alerts(lab, n) if "pve1 left the cluster" in title(a)]
        assert len(again) == 2, [title(a) for a in again]
        firing = pages(fleet, paged, "firing")
        observers = sorted(a["labels"]["instance"] for a in fleet.active(NODE_LEFT))
        all_pages = [p["body"].get("groupLabels") for p in fleet.notifications()[paged:]]
        assert len(firing) == 1, all_pages
        say("fleet: pve1 left -> the on-call's page (Prometheus + Alertmanager) after the cut",
            f"{firing[0]['t'] - cut:.1f} s, {len(firing)} page for {len(observers)} alerts "
            f"({', '.join(observers)}); pages in all: {len(all_pages)}")  # fmt: skip
        assert observers == [f"{mgmt(2)}:9861", f"{mgmt(3)}:9861"], observers
    finally:
        back = time.time()
        for nic in ("n0", "n1"):
            qmp(lab.guests[1], "set_link", name=nic, up=True)
    lab.wait_quorate((1, 2, 3), {1, 2, 3}, timeout=90)
    say("peer alert: links back -> quorate with three", f"{time.time() - back:.1f} s")
    resolved = wait_titles(lab, n, r"^\[pve[23]\] resolved: pve1 is back in the cluster$", 2, 60)
    assert sorted(title(a)[:6] for a in resolved) == ["[pve2]", "[pve3]"], [
        title(a) for a in cluster_alerts(lab, n)
    ]
    for a in resolved:
        say(
            f"peer alert: {title(a)[:6]} resolve delivered after the links returned",
            f"{a['t'] - back:.1f} s",
        )
    time.sleep(5)
    peer = [a for a in cluster_alerts(lab, n) if re.search(r"pve1 (left|is back)", title(a))]
    assert len(peer) == 4, [title(a) for a in peer]  # one firing and one resolve per survivor
    # the fleet view resolves too (Alertmanager's resolved page waits for group_interval, 5 min)
    end = time.monotonic() + 90
    while time.monotonic() < end and fleet.active(NODE_LEFT):
        time.sleep(1)
    assert fleet.active(NODE_LEFT) == [], fleet.active(NODE_LEFT)
    say("fleet: links back -> no IfguardClusterNodeLeft active in Alertmanager",
        f"{time.time() - back:.1f} s")  # fmt: skip


def rolled_back_before_fencing(lab: ClusterLab, path: str, change: Callable[[], str]) -> None:
    """``change()`` makes pve1's cut (corosync VLAN 50 -> 51) by one path and returns what it
    said; the guarded change must be rolled back and pve1 back in pve2's membership, out of
    it < 15 s (the HA fencing window is 60 s)."""
    g = lab.guests[1]
    good = g.ok("cat /etc/network/interfaces")
    watch = Membership(lab)
    watch.start()
    time.sleep(1)
    t0 = time.monotonic()
    said = change()
    took = time.monotonic() - t0
    end = time.monotonic() + 120
    while time.monotonic() < end and g.ok("cat /etc/network/interfaces") != good:
        time.sleep(0.5)
    restored = time.monotonic() - t0
    watch.settle(90)
    lab.wait_quorate((1, 2, 3), {1, 2, 3}, timeout=60)
    out = watch.out_seconds()
    say(f"rollback ({path}): command returned after", f"{took:.1f} s: {said}")
    say(f"rollback ({path}): file restored after", f"{restored:.1f} s")
    say(f"rollback ({path}): pve1 out of pve2's membership",
        f"{out:.1f} s (sampled every {watch.period():.1f} s; goal < 15 s)")  # fmt: skip
    assert g.ok("cat /etc/network/interfaces") == good
    log = g.ok(LAST_TXN)
    assert "rolled-back" in log, log[-3000:]
    assert "cluster:" in log, "the red probes did not name the cluster link: " + log[-3000:]
    assert out < 15, f"pve1 out of the membership {out:.1f} s"
    assert g.run("ip -o addr show vlan50 | grep -q 10.50.0.1/24").rc == 0


def test_3a_apply_cli_killed_rolled_back_before_fencing(diag: ClusterLab) -> None:
    g = diag.guests[1]
    g.ok(
        "cp /etc/network/interfaces /root/cut.interfaces && "
        + CUT.format(path="/root/cut.interfaces")
    )
    assert "tag=51" in g.ok("cat /root/cut.interfaces")
    assert g.run("ifguard lint -q /root/cut.interfaces").rc == 0, "the cut must be lint-clean"

    def change() -> str:
        # the CLI in the background, SIGKILLed once the change is written: the guardian decides
        w = g.ok(APPLY_KILLED, timeout=120).strip()
        assert w == "written", g.ok("cat /root/apply.log")
        return "CLI killed once the change was written"

    rolled_back_before_fencing(diag, "ifguard apply, CLI killed", change)


@pytest.fixture(scope="module")
def gated(cluster: ClusterLab) -> ClusterLab:
    """pve1 with the gates on (the networking drop-in, the ifreload wrapper): every reload
    is a guarded transaction whose way back is the watcher's last known-good version."""
    g = cluster.guests[1]
    g.ok("ifguard install --gates --divert-ifreload", timeout=300)
    assert "ifguard" in g.ok("head -3 /usr/sbin/ifreload"), "the ifreload wrapper is missing"
    assert wait_known_good(cluster, 1, 180), g.ok("ifguard status; ifguard history")
    return cluster


def test_3b_admin_reload_rolled_back_before_fencing(gated: ClusterLab, diag: ClusterLab) -> None:
    g = gated.guests[1]
    g.ok(CUT.format(path="/etc/network/interfaces"))
    assert g.run("ifguard lint -q").rc == 0, "the cut must be lint-clean"

    def change() -> str:
        r = g.run("systemctl reload networking", timeout=400)
        assert r.rc != 0, f"reload exit 0 after a rollback: {r.out}{r.err}"
        return f"systemctl reload networking exit {r.rc}"

    rolled_back_before_fencing(gated, "admin reload", change)


def test_3c_gui_apply_rolled_back_before_fencing(gated: ClusterLab, diag: ClusterLab) -> None:
    g = gated.guests[1]
    g.ok("cp /etc/network/interfaces /etc/network/interfaces.new")
    g.ok(CUT.format(path="/etc/network/interfaces.new"))
    assert g.run("ifguard lint -q /etc/network/interfaces.new").rc == 0

    def change() -> str:
        # the GUI's Apply (PUT /nodes/{node}/network): interfaces.new over interfaces, ifreload
        r = g.run("mv /etc/network/interfaces.new /etc/network/interfaces && ifreload -a", 400)
        assert r.rc != 0, f"ifreload exit 0 after a rollback: {r.out}{r.err}"
        return f"mv + ifreload -a exit {r.rc}"

    rolled_back_before_fencing(gated, "GUI Apply", change)
    assert g.run("test -e /etc/network/interfaces.new").rc != 0


def test_4_membership_stable_while_idle(diag: ClusterLab) -> None:
    """No membership change while nothing happens: 60 s by default, the issue's 10 minutes
    with IFGUARD_VM_CLUSTER_IDLE=600 (corosync logs "Members[N]" at every change)."""
    idle = float(os.environ.get("IFGUARD_VM_CLUSTER_IDLE", "60"))
    cluster = diag
    since = {n: g.ok("date +%s").strip() for n, g in cluster.each()}
    time.sleep(idle)
    flaps = {
        n: len(
            re.findall(r"Members\[\d\]", g.ok(f"journalctl -u corosync --since @{since[n]} -o cat"))
        )
        for n, g in cluster.each()
    }
    say(f"cluster: membership changes in {idle:.0f} s idle", str(flaps))
    assert flaps == {1: 0, 2: 0, 3: 0}
    assert all(cluster.view(n) == (True, {1, 2, 3}) for n in (1, 2, 3))
