"""Admin reloads and the Proxmox GUI's Apply on a booted host with the gates on (issue 20,
paths 3 and 4): ``ifguard install --gates --divert-ifreload`` (the networking drop-in, the apt
hook and the ifreload wrapper that makes every reload a guarded transaction).

The cut: a lint-clean file that moves the management int-port vlan1 from VLAN 1 to VLAN 2,
where the switch has no gateway. Measured: time from the reload command to the admin's first
reply after the cut.

The cut reloaded 25 s after it was written is the case that failed 1 run in 2 when the reload
followed the write within seconds: the watcher recorded the written-but-not-reloaded file as
known-good once its probes (of the old running state) had been green for 10 s, and the guarded
reload then found "the known-good version" in place and reloaded it unguarded.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import pytest

from tests.e2e.vm.conftest import Vm, not_yet_reliable
from tests.e2e.vm.report import figure
from tests.e2e.vm.test_vm_host import ORIG, alerts_since, restore_file, titles, wait_alert

pytestmark = pytest.mark.vm

CUT = r"sed -i 's/^\(\s*ovs_options tag=\)1$/\12/' {path}"


UNPROVEN = (
    "the causes of the earlier failures are fixed (known-good without drift, the late "
    "guardian, the ifreload diversion on merged /usr); the whole module passed 1 run of the "
    "current code (2026-12-02, load 2-5: 7 of 7), not yet 3 in a row"
)


def net_state(vm: Vm) -> str:
    return vm.ok("ip -o addr; ip route; ovs-vsctl list-ports vmbr0; ovs-vsctl get port vlan1 tag")


def wait_known_good(vm: Vm, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if vm.guest.run("grep -q '\"known_good\": [0-9]' /run/ifguard/summary.json").rc == 0:
            return True
        time.sleep(2)
    return False


@pytest.fixture(scope="module")
def gated(vm: Vm) -> Iterator[Vm]:
    vm.ok("ifguard install --gates --divert-ifreload")
    assert "ifguard" in vm.ok("head -3 /usr/sbin/ifreload"), "the ifreload wrapper is missing"
    # the guarded reload's way back is the last known-good version the watcher recorded
    assert wait_known_good(vm, 180), vm.ok("ifguard status; ifguard history")
    yield vm


class AdminWatch:
    """The admin pings the host every 0.2 s from ``start()``; when did it answer again?"""

    def __init__(self, vm: Vm) -> None:
        self.vm, self.samples, self.stop = vm, list[tuple[float, bool]](), threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            self.samples.append((time.monotonic(), self.vm.net.admin_reaches_guest(timeout=1)))
            time.sleep(0.2)

    def start(self) -> float:
        t0 = time.monotonic()
        self.thread.start()
        return t0

    def outage(self, t0: float) -> tuple[float, float] | None:
        """(first lost ping, first reply after it), seconds from t0; None if none was lost."""
        lost = None
        for t, ok in list(self.samples):
            if t < t0:
                continue
            if not ok and lost is None:
                lost = t
            elif ok and lost is not None:
                return lost - t0, t - t0
        return None

    def first_reply_after_cut(self, t0: float, timeout: float) -> tuple[float | None, bool]:
        """(seconds from t0 to the first reply after a lost one, whether any was lost)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            lost = False
            for t, ok in list(self.samples):
                if t < t0:
                    continue
                if not ok:
                    lost = True
                elif lost:
                    self.stop.set()
                    return t - t0, True
            time.sleep(0.5)
        self.stop.set()
        return None, any(not ok for t, ok in self.samples if t >= t0)


STAMP = "date +%s.%N; "  # the guest's clock when the reload command starts (first line)


def timeline(vm: Vm, started: str, watch: AdminWatch, t0: float) -> str:
    """Where the time went: the admin's outage (host clock, from the command's start) and the
    last transaction's log (guest clock, from the command's start: the first line of its
    stdout, STAMP), e.g. "cut +9.1 s, back +38.2 s | guardian up +6.0 ..."."""
    seen = watch.outage(t0)
    head = "no outage" if seen is None else f"cut +{seen[0]:.1f} s, back +{seen[1]:.1f} s"
    start = float(started.split()[0])
    txn = vm.ok("ls /var/lib/ifguard/txn | tail -1").strip()
    raw = vm.ok(f"cat /var/lib/ifguard/txn/{txn}/result.json 2>/dev/null || true")
    steps = []
    for line in json.loads(raw).get("log", []) if raw.strip() else []:
        stamp, _, what = str(line).partition(" ")
        steps.append(f"{what.split(':')[0][:28]} +{float(stamp) - start:.1f}")
    return head + " | " + ", ".join(steps)


def test_3a_reload_of_the_broken_file_refused(gated: Vm) -> None:
    vm = gated
    before = net_state(vm)
    n = len(vm.net.alerts_received())
    vm.ok(f"cp -p /etc/network/interfaces {ORIG} && ip -o link >> /etc/network/interfaces")
    try:
        r = vm.guest.run("systemctl reload networking", timeout=300)
        assert r.rc != 0, f"reload of the broken file not refused: {r.out}{r.err}"
        assert net_state(vm) == before
        assert vm.net.admin_reaches_guest()
        journal = vm.ok("journalctl -u networking -n 30 --no-pager")
        assert "IFG101" in journal, journal
    finally:
        restore_file(vm)
    # the watcher announces the fix; waited for here, or it lands in the next test's count
    # (it did: 3b's "only the outcome" saw this test's 'clean again')
    assert wait_alert(vm, n, "clean again", timeout=60) is not None, titles(alerts_since(vm, n))


@not_yet_reliable(UNPROVEN)
@pytest.mark.parametrize(
    ("reload", "later"),
    [("systemctl reload networking", 0), ("ifreload -a", 0), ("ifreload -a", 25)],
    ids=["systemctl-reload", "ifreload", "ifreload-25s-after-the-write"],
)
def test_3b_cutting_change_rolled_back(gated: Vm, reload: str, later: int) -> None:
    vm = gated
    assert vm.net.admin_reaches_guest()
    good = vm.ok("cat /etc/network/interfaces")
    n = len(vm.net.alerts_received())
    vm.ok(CUT.format(path="/etc/network/interfaces"))
    written = time.monotonic()
    assert "tag=2" in vm.ok("cat /etc/network/interfaces")
    assert vm.guest.run("ifguard lint -q").rc == 0, "the cut must be lint-clean"
    time.sleep(max(0.0, written + later - time.monotonic()))
    since = vm.ok("date '+%F %T'").strip()
    watch = AdminWatch(vm)
    t0 = watch.start()
    r = vm.guest.run(STAMP + reload, timeout=400)
    elapsed = time.monotonic() - t0
    took, lost = watch.first_reply_after_cut(t0, timeout=120)
    assert vm.net.wait_admin_reaches(60) is not None, "the admin never reached the host again"
    what = f"3 {reload}" + (f" {later} s after the write" if later else "")
    figure(f"{what}: admin's first reply after the cut", f"{took:.1f} s (from the reload)")
    figure(f"{what}: command took", f"{elapsed:.0f} s, exit {r.rc}")
    figure(f"{what}: timeline", timeline(vm, r.out, watch, t0))
    assert lost, "the cut never cut the admin off: nothing was tested"
    # Debian's start-networking exits 0 whatever ifreload returned: the drop-in's last
    # ExecReload (`ifguard reload --verdict`) makes the rolled-back reload fail
    assert r.rc != 0, f"{reload} exit 0 after a rollback: {r.out}{r.err}"
    journal = vm.ok(f"journalctl --since '{since}' --no-pager")
    assert "ROLLED BACK" in r.err + journal, r.err
    if reload.startswith("systemctl"):
        assert "this reload was not kept" in journal, journal[-3000:]
    assert vm.ok("cat /etc/network/interfaces") == good
    alert = wait_alert(vm, n, "rolled back", timeout=30)
    assert alert is not None, titles(alerts_since(vm, n))
    assert_only_the_outcome(vm, n)


def assert_only_the_outcome(vm: Vm, n: int) -> None:
    """One alert for the guarded reload's outcome: the watcher holds its probe alerts while
    the transaction is open (the cut and the rollback are the transaction's business)."""
    time.sleep(8)  # what the watcher would send after the transaction ends
    noise = [
        t
        for t in titles(alerts_since(vm, n))
        if "rolled back" not in t and "drift" not in t and "differs from the configuration" not in t
    ]
    figure("3/4 alerts besides the outcome (and file drift before the reload)", str(len(noise)))
    assert noise == [], noise


@not_yet_reliable(UNPROVEN)
def test_4_proxmox_gui_apply_rolled_back(gated: Vm) -> None:
    vm = gated
    good = vm.ok("cat /etc/network/interfaces")
    n = len(vm.net.alerts_received())
    vm.ok("cp /etc/network/interfaces /etc/network/interfaces.new")
    vm.ok(CUT.format(path="/etc/network/interfaces.new"))
    watch = AdminWatch(vm)
    t0 = watch.start()
    # the GUI's Apply (PUT /nodes/{node}/network): move interfaces.new over interfaces, ifreload
    r = vm.guest.run(
        STAMP + "mv /etc/network/interfaces.new /etc/network/interfaces && ifreload -a",
        timeout=400,
    )
    took, lost = watch.first_reply_after_cut(t0, timeout=120)
    assert vm.net.wait_admin_reaches(60) is not None, "the admin never reached the host again"
    figure("4 GUI Apply: admin's first reply after the cut", f"{took:.1f} s (from the mv)")
    figure("4 GUI Apply: timeline", timeline(vm, r.out, watch, t0))
    assert lost, "the cut never cut the admin off: nothing was tested"
    assert r.rc != 0, r.err
    assert vm.ok("cat /etc/network/interfaces") == good
    assert vm.guest.run("test -e /etc/network/interfaces.new").rc != 0
    assert wait_alert(vm, n, "rolled back", timeout=30) is not None, titles(alerts_since(vm, n))
    assert_only_the_outcome(vm, n)


@not_yet_reliable(UNPROVEN)
def test_5_package_upgrade_with_a_cutting_change_in_place(gated: Vm) -> None:
    """`apt-get install --reinstall ifupdown2` with a cut written and not reloaded. Debian's
    ifupdown2 maintainer scripts never reload the network (Proxmox's run `ifreload -a`, which
    is the wrapper of path 3 as long as the diversion survives the upgrade): measured here."""
    vm = gated
    good = vm.ok("cat /etc/network/interfaces")
    n = len(vm.net.alerts_received())
    vm.ok(CUT.format(path="/etc/network/interfaces"))
    deb = vm.ok("ls /var/lib/ifguard-vm/ifupdown2_*.deb").split()[0]
    try:
        watch = AdminWatch(vm)
        t0 = watch.start()
        r = vm.guest.run(f"apt-get install -y --reinstall {deb}", timeout=600)
        took = time.monotonic() - t0
        watch.stop.set()
        samples = [ok for t, ok in list(watch.samples) if t >= t0]
        assert r.rc == 0, r.out[-2000:] + r.err[-2000:]
        reloaded = "guarded reload" in r.out + r.err
        figure(
            "5 apt-get install --reinstall ifupdown2 (Debian's)",
            f"{took:.0f} s, exit {r.rc}, network reloaded: {'yes' if reloaded else 'no'}, "
            f"admin pings lost {samples.count(False)} of {len(samples)}",
        )
        assert not reloaded and samples and all(samples), (r.out[-2000:], samples)
        assert vm.ok("ovs-vsctl get port vlan1 tag").strip() == "1"  # still the running one
        # the upgrade kept the wrapper: a Proxmox postinst's `ifreload -a` is guarded (path 3)
        assert "ifguard" in vm.ok("head -3 /usr/sbin/ifreload")
        assert "ifguard" in vm.ok("dpkg-divert --list /usr/sbin/ifreload")
        # the cut is still on disk, not running: the watcher says so (drift), once
        drift = wait_alert(vm, n, "differs from the configuration", timeout=60)
        assert drift is not None, titles(alerts_since(vm, n))
    finally:
        vm.ok(f"cat > /etc/network/interfaces <<'EOF_IFG'\n{good}EOF_IFG")
    assert wait_alert(vm, n, "resolved: drift", timeout=60) is not None


@not_yet_reliable(UNPROVEN)
def test_8_self_heal_under_the_packaged_unit(gated: Vm) -> None:
    """[watch] self-heal = true in /etc/ifguard/ifguard.toml, the packaged unit (its sandbox
    unchanged); a foreign reload (the real ifreload, around the wrapper) cuts the host: the
    watcher restores the known-good version through a transient unit (systemd-run)."""
    vm = gated
    settings = "/etc/ifguard/ifguard.toml"
    sandbox = vm.ok("systemctl show -p ProtectSystem -p PrivateTmp ifguard-watch").split()
    assert sorted(sandbox) == ["PrivateTmp=yes", "ProtectSystem=full"], sandbox  # any order
    good = vm.ok("cat /etc/network/interfaces")
    vm.ok(f"cp -p {settings} /root/ifguard.toml.before")
    # the [watch] table is the file's last one (the lab's receiver): the keys go into it
    vm.ok(f"printf 'self-heal = true\\nheal-after = 5\\n' >> {settings}")
    vm.ok("systemctl restart ifguard-watch")
    try:
        assert wait_known_good(vm, 120), vm.ok("ifguard status; ifguard history")
        n = len(vm.net.alerts_received())
        vm.ok(CUT.format(path="/etc/network/interfaces"))
        watch = AdminWatch(vm)
        t0 = watch.start()
        r = vm.guest.run(STAMP + "/usr/sbin/ifguard-orig-ifreload -a", timeout=300)
        took, lost = watch.first_reply_after_cut(t0, timeout=240)
        figure(
            "8 self-heal: admin's first reply after the foreign reload",
            "never" if took is None else f"{took:.1f} s",
        )
        assert r.rc == 0, r.err
        assert lost, "the foreign reload never cut the admin off: nothing was tested"
        assert took is not None, "the admin never reached the host again"
        healed = wait_alert(vm, n, "self-heal: restored", timeout=60)
        assert healed is not None, titles(alerts_since(vm, n))
        assert "restored and kept" in titles([healed])[0]
        figure("8 self-heal: timeline (the heal's transaction)", timeline(vm, r.out, watch, t0))
        assert vm.ok("cat /etc/network/interfaces") == good
        assert vm.ok("ovs-vsctl get port vlan1 tag").strip() == "1"
        assert "ifguard-heal-" in vm.ok("journalctl -b --no-pager -o cat | grep ifguard-heal-")
    finally:
        vm.ok(f"cat /root/ifguard.toml.before > {settings} && rm /root/ifguard.toml.before")
        if vm.ok("cat /etc/network/interfaces") != good:
            vm.ok(f"cat > /etc/network/interfaces <<'EOF_IFG'\n{good}EOF_IFG")
            vm.ok("/usr/sbin/ifguard-orig-ifreload -a")
        vm.ok("systemctl restart ifguard-watch")
