"""Admin reloads and the Proxmox GUI's Apply on a booted host with the gates on (issue 20,
paths 3 and 4): ``ifguard install --gates --divert-ifreload`` (the networking drop-in, the apt
hook and the ifreload wrapper that makes every reload a guarded transaction).

The cut: a lint-clean file that moves the management int-port vlan1 from VLAN 1 to VLAN 2,
where the switch has no gateway. Measured: time from the reload command to the admin's first
reply after the cut.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from tests.e2e.vm.conftest import Vm, not_yet_reliable
from tests.e2e.vm.report import figure
from tests.e2e.vm.test_vm_host import ORIG, alerts_since, restore_file, titles, wait_alert

pytestmark = pytest.mark.vm

CUT = r"sed -i 's/^\(\s*ovs_options tag=\)1$/\12/' {path}"


UNRELIABLE = (
    "passed in 1 of 2 runs; in the other the cut was not rolled back and the admin never "
    "reached the host again (60 s), for both reload commands and the GUI Apply - cause not "
    "found yet (guarded reload or harness)"
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


def test_3a_reload_of_the_broken_file_refused(gated: Vm) -> None:
    vm = gated
    before = net_state(vm)
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


@not_yet_reliable(UNRELIABLE)
@pytest.mark.parametrize("reload", ["systemctl reload networking", "ifreload -a"])
def test_3b_cutting_change_rolled_back(gated: Vm, reload: str) -> None:
    vm = gated
    assert vm.net.admin_reaches_guest()
    good = vm.ok("cat /etc/network/interfaces")
    n = len(vm.net.alerts_received())
    vm.ok(CUT.format(path="/etc/network/interfaces"))
    assert "tag=2" in vm.ok("cat /etc/network/interfaces")
    assert vm.guest.run("ifguard lint -q").rc == 0, "the cut must be lint-clean"
    watch = AdminWatch(vm)
    t0 = watch.start()
    r = vm.guest.run(reload, timeout=400)
    elapsed = time.monotonic() - t0
    took, lost = watch.first_reply_after_cut(t0, timeout=120)
    assert vm.net.wait_admin_reaches(60) is not None, "the admin never reached the host again"
    figure(f"3 {reload}: admin's first reply after the cut", f"{took:.1f} s (from the reload)")
    figure(f"3 {reload}: command took", f"{elapsed:.0f} s, exit {r.rc}")
    assert lost, "the cut never cut the admin off: nothing was tested"
    if reload.startswith("ifreload"):
        assert r.rc != 0, f"{reload} exit 0 after a rollback: {r.err}"
    # `systemctl reload networking` exits 0 whatever happened: Debian's ExecReload,
    # /usr/share/ifupdown2/sbin/start-networking reload, runs `ifreload -a` and exits 0
    assert "ROLLED BACK" in (r.err + r.out + vm.ok("journalctl -n 80 --no-pager")), r.err
    assert vm.ok("cat /etc/network/interfaces") == good
    alert = wait_alert(vm, n, "rolled back", timeout=30)
    assert alert is not None, titles(alerts_since(vm, n))


@not_yet_reliable(UNRELIABLE)
def test_4_proxmox_gui_apply_rolled_back(gated: Vm) -> None:
    vm = gated
    good = vm.ok("cat /etc/network/interfaces")
    vm.ok("cp /etc/network/interfaces /etc/network/interfaces.new")
    vm.ok(CUT.format(path="/etc/network/interfaces.new"))
    watch = AdminWatch(vm)
    t0 = watch.start()
    # the GUI's Apply (PUT /nodes/{node}/network): move interfaces.new over interfaces, ifreload
    r = vm.guest.run(
        "mv /etc/network/interfaces.new /etc/network/interfaces && ifreload -a", timeout=400
    )
    took, lost = watch.first_reply_after_cut(t0, timeout=120)
    assert vm.net.wait_admin_reaches(60) is not None, "the admin never reached the host again"
    figure("4 GUI Apply: admin's first reply after the cut", f"{took:.1f} s (from the mv)")
    assert lost, "the cut never cut the admin off: nothing was tested"
    assert r.rc != 0, r.err
    assert vm.ok("cat /etc/network/interfaces") == good
    assert vm.guest.run("test -e /etc/network/interfaces.new").rc != 0
