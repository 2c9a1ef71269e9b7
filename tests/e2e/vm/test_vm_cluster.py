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
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from lab.vm import image as vm_images
from lab.vm.cluster import ClusterLab, members, qmp
from lab.vm.guest import GuestError
from lab.vm.image import CLUSTER_EXTRA
from tests.e2e import debroot
from tests.e2e.vm.conftest import _prerequisites
from tests.e2e.vm.report import figure

pytestmark = [pytest.mark.vm]
if os.environ.get("IFGUARD_VM_ALL") != "1":
    pytestmark.append(
        pytest.mark.skip(
            reason="not yet reliable, opt in with IFGUARD_VM_ALL=1: not run to completion yet "
            "(on the loaded 2-core machine the three TCG guests took over 10 min to boot, the "
            "driver timed out; pve2's node-identity unit failed once, cause not found)"
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


def say(name: str, value: str) -> None:
    print(f"\nFIGURE {name}: {value}")
    figure(name, value)


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
            t0 = lab.start()
            for _, g in lab.each():
                g.wait_running(timeout=1200)
            running = time.monotonic() - t0
            lab.wait_quorate((1, 2, 3), {1, 2, 3}, timeout=300)
            say("cluster: qemu start -> all three running (systemd)", f"{running:.0f} s")
            say("cluster: qemu start -> quorate with three on every node",
                f"{time.monotonic() - t0:.0f} s")  # fmt: skip
            offsets = ", ".join(f"pve{n} {lab.clock_offset(n):+.2f} s" for n in (1, 2, 3))
            say("cluster: guest clock offsets", offsets)
            yield lab
        except GuestError as exc:
            pytest.fail(f"cluster lab: {exc}", pytrace=False)
        finally:
            lab.stop()


class Membership:
    """Node 2 asks its corosync every ~0.5 s: is node 1 a member?"""

    def __init__(self, lab: ClusterLab, observer: int = 2, node: int = 1) -> None:
        self.lab, self.observer, self.node = lab, observer, node
        self.samples: list[tuple[float, bool]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            r = self.lab.guests[self.observer].run("corosync-quorumtool -s", timeout=20)
            self.samples.append((time.monotonic(), self.node in members(r.out)))
            time.sleep(0.5)

    def start(self) -> None:
        self.thread.start()

    def settle(self, timeout: float) -> None:
        """Until node 1 has been a member for 10 s (or ``timeout``); then stop asking."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            recent = [ok for t, ok in self.samples if t > time.monotonic() - 10]
            if len(recent) >= 3 and all(recent):
                break
            time.sleep(0.5)
        self.stop.set()
        self.thread.join(30)

    def out_seconds(self) -> float:
        """The longest stretch node 1 was out of the membership (0: never seen out)."""
        longest, left = 0.0, None
        for t, member in self.samples:
            if not member and left is None:
                left = t
            elif member and left is not None:
                longest, left = max(longest, t - left), None
        if left is not None:
            longest = max(longest, self.samples[-1][0] - left)
        return longest


def cluster_alerts(lab: ClusterLab, n: int) -> list[dict[str, Any]]:
    return lab.net.alerts_received()[n:]


def title(a: dict[str, Any]) -> str:
    return str(a["body"].get("title", "")) if isinstance(a["body"], dict) else ""


def wait_titles(
    lab: ClusterLab, n: int, pattern: str, count: int, timeout: float
) -> list[dict[str, Any]]:
    end = time.monotonic() + timeout
    found: list[dict[str, Any]] = []
    while time.monotonic() < end:
        found = [a for a in cluster_alerts(lab, n) if re.search(pattern, title(a))]
        if len(found) >= count:
            return found
        time.sleep(0.2)
    return found


def test_1_quorate_three_and_probes_read_corosync(cluster: ClusterLab) -> None:
    for n, g in cluster.each():
        out = g.run("ifguard probe", timeout=60).out
        assert re.search(
            rf"ok\s+cluster: corosync membership: pve{n} \(node {n}\) is a member: 3 nodes",
            out,
        ), out
        assert re.search(r"ok\s+cluster: quorum: quorate, 3 of 3 votes", out), out
        assert len(re.findall(r"ok\s+cluster: knet link 0 to pve\d: connected", out)) == 2, out


def test_2_peer_cut_off_reported_once_by_each_survivor(cluster: ClusterLab) -> None:
    lab = cluster
    time.sleep(35)  # the survivors' watchers read pve1's last report (every 30 s)
    n = len(lab.net.alerts_received())
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
        time.sleep(15)  # nothing repeated while pve1 stays away
        again = [a for a in cluster_alerts(lab, n) if "pve1 left the cluster" in title(a)]
        assert len(again) == 2, [title(a) for a in again]
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


def test_3_apply_cli_killed_rolled_back_before_fencing(cluster: ClusterLab) -> None:
    lab, g = cluster, cluster.guests[1]
    good = g.ok("cat /etc/network/interfaces")
    g.ok(
        "cp /etc/network/interfaces /root/cut.interfaces && "
        + CUT.format(path="/root/cut.interfaces")
    )
    assert "tag=51" in g.ok("cat /root/cut.interfaces")
    assert g.run("ifguard lint -q /root/cut.interfaces").rc == 0, "the cut must be lint-clean"
    watch = Membership(lab)
    watch.start()
    time.sleep(1)
    t0 = time.monotonic()
    # the CLI in the background, SIGKILLed once the change is written: the guardian decides
    assert g.ok(APPLY_KILLED, timeout=120).strip() == "written", g.ok("cat /root/apply.log")
    written = time.monotonic() - t0
    end = time.monotonic() + 120
    while time.monotonic() < end and g.ok("cat /etc/network/interfaces") != good:
        time.sleep(0.5)
    restored = time.monotonic() - t0
    watch.settle(90)
    lab.wait_quorate((1, 2, 3), {1, 2, 3}, timeout=60)
    out = watch.out_seconds()
    say("rollback (apply, CLI killed): change written after", f"{written:.1f} s")
    say("rollback (apply, CLI killed): file restored after", f"{restored:.1f} s (from the apply)")
    say("rollback (apply, CLI killed): pve1 out of pve2's membership", f"{out:.1f} s (goal < 15 s)")
    assert g.ok("cat /etc/network/interfaces") == good
    log = g.ok(LAST_TXN)
    assert "rolled-back" in log, log[-3000:]
    assert "cluster:" in log, "the red probes did not name the cluster link: " + log[-3000:]
    assert out < 15, f"pve1 out of the membership {out:.1f} s"
    assert g.run("ip -o addr show vlan50 | grep -q 10.50.0.1/24").rc == 0


def test_4_membership_stable_while_idle(cluster: ClusterLab) -> None:
    """No membership change while nothing happens: 60 s by default, the issue's 10 minutes
    with IFGUARD_VM_CLUSTER_IDLE=600 (corosync logs "Members[N]" at every change)."""
    idle = float(os.environ.get("IFGUARD_VM_CLUSTER_IDLE", "60"))
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
