"""The next boot (issue 20, path 6): a change that cuts the management network, left for the
next boot, on a booted Debian 12 host with the package as shipped (no gates installed).

* (a) a lint-clean edit of /etc/network/interfaces, never reloaded: the management int-port
  vlan1 moved from VLAN 1 to VLAN 2, where the switch has no gateway;
* (b) the same change as Proxmox's pending /etc/network/interfaces.new (what the GUI writes),
  which the image's pvenetcommit.service (lab/vm/guest-setup.sh, as pve-manager ships it)
  moves over /etc/network/interfaces early at boot, before networking.

Then a real reboot (first round: `systemctl reboot` in the guest; qemu, started with
-no-reboot, exits and is started again on the same overlay, under TCG faster than a reset
and to the guest the same power cycle; later rounds: a power cut after `sync`, as a
watchdog reset). The host must come back on the last known-good version by itself
(ifguard-status.service: `ifguard rollback --after-boot`), the serial console's login screen
must say which file, which version was restored and the command to look at the change, and
`ifguard status` and `ifguard history` must say it too. Measured: power-on (qemu start) to
the admin's first reply, and where the boot's time went (systemd-analyze in the guest).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time

import pytest

from lab.vm.guest import GuestError
from tests.e2e.vm.conftest import Vm, not_yet_reliable
from tests.e2e.vm.report import figure
from tests.e2e.vm.test_vm_host import screen, titles, wait_alert

pytestmark = pytest.mark.vm

INTERFACES = "/etc/network/interfaces"
PENDING = "/etc/network/interfaces.new"
# vlan1's own `ovs_options tag=1` line (bond0's line has more options: untouched)
CUT = r"sed -i 's/^\(\s*ovs_options tag=\)1$/\12/' {path}"
ORIG = "/root/interfaces.before-boot-test"


def facts(vm: Vm) -> dict[str, object]:
    """The published summary's facts (the watcher keeps it current)."""
    r = vm.guest.run("cat /run/ifguard/summary.json")
    if r.rc != 0:
        return {}
    with contextlib.suppress(ValueError, KeyError, TypeError):
        found = json.loads(r.out)["summary"]["facts"]
        return found if isinstance(found, dict) else {}
    return {}


def wait_known_good_current(vm: Vm, timeout: float) -> int:
    """The known-good version id, once it is the version of the files on disk."""
    end = time.monotonic() + timeout
    f: dict[str, object] = {}
    while time.monotonic() < end:
        f = facts(vm)
        good = f.get("known_good")
        if isinstance(good, int) and good == f.get("version"):
            return good
        time.sleep(2)
    raise AssertionError(f"no known-good version for the files on disk: {f}")


def reboot(vm: Vm, clean: bool = True) -> tuple[int, int]:
    """`systemctl reboot` in the guest (``clean``) or a power cut after `sync` (a watchdog
    reset, a pulled plug), then qemu started again on the same overlay; returns the serial
    log's length and the count of alerts received before (what came after)."""
    g = vm.guest
    since = len(g.console_text()), len(vm.net.alerts_received())
    if not clean:
        vm.ok("sync")
        g.stop()  # QMP quit: the power is cut
        g.start()
        return since
    with contextlib.suppress(GuestError):  # the driver may go down before it answers
        g.run("sync && systemctl reboot", timeout=20)
    asked = time.monotonic()
    end = asked + 240
    while g.proc is not None and g.proc.poll() is None and time.monotonic() < end:
        time.sleep(0.5)
    assert g.proc is not None and g.proc.poll() is not None, "the guest did not shut down"
    figure("6 clean shutdown (systemctl reboot -> qemu exit)", f"{time.monotonic() - asked:.0f} s")
    g.stop()
    g.start()
    return since


def first_reply(vm: Vm, timeout: float) -> float:
    """Seconds from power-on (qemu start) to the admin's first reply."""
    if vm.net.wait_admin_reaches(timeout) is None:
        raise AssertionError("the admin never reached the host after the reboot")
    return time.monotonic() - vm.guest.started_at


def boot_figures(vm: Vm, case: str) -> None:
    blame = vm.ok("systemd-analyze blame --no-pager")
    wanted = ("ifguard", "networking", "pvenetcommit", "openvswitch", "ovs-vswitchd")
    shown = [
        " ".join(line.split()) for line in blame.splitlines() if any(w in line for w in wanted)
    ]
    figure(f"6{case} systemd-analyze blame", "; ".join(shown[:8]))
    figure(f"6{case} systemd-analyze", vm.ok("systemd-analyze --no-pager").splitlines()[0])
    chain = vm.ok("systemd-analyze critical-chain --no-pager networking.service")
    figure(f"6{case} critical chain to networking", " <- ".join(chain.split("\n")[3:8]))
    # what ifguard-boot.service (before networking) cost on every boot when it always ran
    # Python: `ifguard rollback --if-pending --boot` imported the apply machinery to find
    # that nothing was pending; now the unit's condition skips it and the command exits early
    timed = (
        'python3 -c "import subprocess, sys, time; t = time.monotonic(); '
        "subprocess.run(sys.argv[1:], check=True); print(f'{time.monotonic() - t:.1f}')\" "
    )
    old = vm.ok(timed + "python3 -c 'import ifguard.apply.run'").strip()
    now = vm.ok(timed + "ifguard rollback --if-pending --boot").strip()
    unit = vm.ok("systemctl show -p ConditionResult -p ActiveState ifguard-boot.service")
    figure(
        f"6{case} ifguard-boot.service",
        f"{' '.join(unit.split())}; the old check's Python + imports {old} s, "
        f"the command now {now} s (guest, TCG)",
    )


def prepare(vm: Vm) -> tuple[int, str]:
    """The host healthy on a known-good version: its id and the file's text."""
    assert vm.net.admin_reaches_guest(), "the admin does not reach the host before the test"
    good_id = wait_known_good_current(vm, 240)
    vm.ok(f"cp -p {INTERFACES} {ORIG}")
    return good_id, vm.ok(f"cat {INTERFACES}")


def leave_as_found(vm: Vm) -> None:
    vm.guest.run(f"rm -f {PENDING}; cat {ORIG} > {INTERFACES} && rm -f {ORIG}")


def not_taken_as_known_good(vm: Vm, good_id: int, round_: int) -> None:
    """The watcher sees a healthy host (the old file runs) for longer than it takes to mark
    a version known-good (10 s): it must not take the cutting file for one (checked in the
    first round; the later ones reboot at once)."""
    if round_ > 1:
        return
    time.sleep(25)
    versions = json.loads(vm.ok("ifguard history --format json"))["versions"]
    marked = [v["id"] for v in versions if v["known_good"]]
    # the cut is the newest version: marked known-good, it would be the highest id marked
    assert max(marked) == good_id, vm.ok("ifguard history")


def restored_by_itself(vm: Vm, case: str, good_id: int, good: str, since: tuple[int, int]) -> None:
    console_since, alerts_since = since
    took = first_reply(vm, 400)
    power_on = time.time() - (time.monotonic() - vm.guest.started_at)  # host clock
    figure(f"6{case} power-on -> admin's first reply", f"{took:.1f} s")
    # the owner is told: the boot check's own alert (besides the watcher's probe alerts)
    alert = wait_alert(vm, alerts_since, f"restored known-good version {good_id}", 60)
    assert alert is not None, titles(vm.net.alerts_received()[alerts_since:])
    told = alert["t"] - power_on
    figure(f"6{case} power-on -> alert 'restored' at the receiver", f"{told:.1f} s")
    vm.guest.wait_running(timeout=400)
    assert vm.ok(f"cat {INTERFACES}") == good, "the known-good file is not in place"
    assert vm.guest.run(f"test -e {PENDING}").rc != 0, "interfaces.new was not moved at boot"
    journal = vm.ok("journalctl -b -u ifguard-status.service --no-pager")
    # it was cut at boot (the test can fail): the boot check saw red probes first
    assert "leave the host cut off" in journal, journal
    assert f"restored the known-good version {good_id}" in journal, journal
    cut = re.search(r"files that booted \(version (\d+)", journal)
    assert cut is not None, journal
    cut_id = int(cut.group(1))
    # the person at the console: which file, which version, the command (the fix line is
    # drawn once the network is OK again)
    shown_in = vm.guest.wait_console(f"ifguard diff {good_id} {cut_id}", console_since, 120)
    text = screen(vm.guest.console_text()[console_since:])
    assert shown_in is not None, text
    figure(f"6{case} console says it, after the admin's first reply", f"{shown_in:.1f} s")
    flat = " ".join(text.split())
    moved = " (moved in from interfaces.new at boot)" if case.startswith("b") else ""
    assert f"{INTERFACES}{moved} (version {cut_id}) left the host cut off" in flat, text
    assert f"RESTORED the known-good version {good_id}" in flat, text
    status = vm.guest.run("ifguard status")
    assert status.rc == 0, status.out + status.err
    assert f"RESTORED the known-good version {good_id}" in " ".join(status.out.split())
    history = json.loads(vm.ok("ifguard history --format json"))
    (booted,) = [v for v in history["versions"] if v["id"] == cut_id]
    # a version keeps its first source: "watch" when the watcher saw the edit before the
    # reboot (both cases here: the sed, and interfaces.new, which it watches too), "boot"
    # only for files it never saw (changed offline)
    assert booted["source"] in ("watch", "boot"), booted
    outcome = str(booted["outcome"])
    assert f"cut at boot, v{good_id} restored" in outcome and "NOT kept" not in outcome, booted
    assert "boot-restored" in vm.ok("ifguard history"), history
    assert f"ifguard diff {good_id} {cut_id}" in alert["body"]["message"], alert
    boot_figures(vm, case)


# IFGUARD_VM_BOOT_ROUNDS=N: each case N times on the module's guest (each round a real
# reboot), to show a result repeats without booting a new guest per run
ROUNDS = range(1, int(os.environ.get("IFGUARD_VM_BOOT_ROUNDS", "1")) + 1)
NOT_RUN = (
    "1 run (2026-12-02, load 3): 6a and 6b restored by themselves, console, status and alert "
    "right, failed only on the test's own history check (fixed); opt in until it passes 3 of 3"
)


@not_yet_reliable(NOT_RUN)
@pytest.mark.parametrize("round_", ROUNDS)
def test_6a_cut_left_in_interfaces_restored_at_boot(vm: Vm, round_: int) -> None:
    good_id, good = prepare(vm)
    try:
        vm.ok(CUT.format(path=INTERFACES))
        assert "tag=2" in vm.ok(f"cat {INTERFACES}")
        assert vm.guest.run("ifguard lint -q").rc == 0, "the cut must be lint-clean"
        not_taken_as_known_good(vm, good_id, round_)
        since = reboot(vm, clean=round_ == 1)
        restored_by_itself(vm, f"a#{round_}", good_id, good, since)
    finally:
        leave_as_found(vm)


@not_yet_reliable(NOT_RUN)
@pytest.mark.parametrize("round_", ROUNDS)
def test_6b_pending_interfaces_new_moved_at_boot_restored(vm: Vm, round_: int) -> None:
    good_id, good = prepare(vm)
    try:
        vm.ok(f"cp {INTERFACES} {PENDING} && " + CUT.format(path=PENDING))
        assert "tag=2" in vm.ok(f"cat {PENDING}")
        assert vm.guest.run("ifguard lint -q").rc == 0, "the pending cut must be lint-clean"
        not_taken_as_known_good(vm, good_id, round_)
        since = reboot(vm, clean=round_ == 1)
        restored_by_itself(vm, f"b#{round_}", good_id, good, since)
    finally:
        leave_as_found(vm)
