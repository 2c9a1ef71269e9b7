"""The installed package on a booted Debian 12 host (issue 20, paths 1, 2, 7, 9): one guest
for the module, each test leaving it as it found it.

The guest: systemd as PID 1, the kernel's Open vSwitch datapath, the incident's topology (OVS
bond of ens18+ens19 with LACP into vmbr0, management on the VLAN int-port vlan1 192.0.2.10),
the project's .deb installed with apt, alerts to the receiver in the lab's admin namespace.
"""

from __future__ import annotations

import contextlib
import re
import time
from typing import Any

import pytest

from tests.e2e.vm import clock
from tests.e2e.vm.conftest import Vm
from tests.e2e.vm.report import figure

pytestmark = pytest.mark.vm

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")
INCIDENT = "ip -o link >> /etc/network/interfaces"
ORIG = "/root/interfaces.before-test"


def screen(console: str) -> str:
    """What the serial console shows now: the last login screen (issue text to prompt)."""
    text = ANSI.sub("", console)
    start = text.rfind("Debian GNU/Linux 12 pve1 ttyS0")
    return text[start:] if start >= 0 else text[-3000:]


def alerts_since(vm: Vm, n: int) -> list[dict[str, Any]]:
    return vm.net.alerts_received()[n:]


def titles(alerts: list[dict[str, Any]]) -> list[str]:
    return [str(a["body"].get("title", "")) if isinstance(a["body"], dict) else "" for a in alerts]


def wait_alert(vm: Vm, n: int, needle: str, timeout: float) -> dict[str, Any] | None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for a in alerts_since(vm, n):
            if needle in titles([a])[0]:
                return a
        time.sleep(0.1)
    return None


def break_file(vm: Vm) -> tuple[float, float, clock.Offset]:
    """The seed incident from a root shell: the host time just before the command was sent,
    the time of the write itself (the guest's clock, corrected to the host's) and the
    offset used (its error bound)."""
    vm.ok(f"cp -p /etc/network/interfaces {ORIG}")
    at = clock.offset(vm)
    sent = time.time()
    return sent, clock.run_dated(vm, INCIDENT, at), at


def watcher_timeline(vm: Vm, t_write: float, at: clock.Offset, t_alert: float) -> str:
    """The watcher's journal from the write to the alert, each line's time after the write
    (the guest's clock), then the receiver's (host clock, offset-corrected)."""
    since = t_write + at.guest_minus_host - 1
    out = vm.ok(f"journalctl -u ifguard-watch -o short-unix --no-pager --since @{since:.3f}")
    steps = []
    for line in out.splitlines():
        stamp, _, text = line.partition(" ")
        with contextlib.suppress(ValueError):
            after = float(stamp) - at.guest_minus_host - t_write
            steps.append(f"+{after:.2f} s {text.split(': ', 1)[-1][:70]}")
    steps.append(f"+{t_alert - t_write:.2f} s received")
    return "; ".join(steps)


def restore_file(vm: Vm) -> None:
    vm.ok(f"cat {ORIG} > /etc/network/interfaces && rm {ORIG}")


def watcher_pid(vm: Vm) -> int:
    return int(vm.ok("systemctl show -p MainPID --value ifguard-watch.service").strip() or 0)


def test_1_healthy_host_package_as_shipped(vm: Vm) -> None:
    g = vm.guest
    sandbox = vm.ok("systemctl show -p RestrictAddressFamilies -p ProtectSystem ifguard-watch")
    figure("1 watcher sandbox", " ".join(sandbox.split()))
    assert vm.ok("systemctl is-active ifguard-watch.service").strip() == "active"
    n = len(vm.net.alerts_received())
    start = time.monotonic()
    checks = 0
    while True:
        status = g.run("ifguard status")
        assert status.rc == 0, status.out + status.err
        assert "network OK" in status.out, status.out
        # the running watcher's summary, not a check of its own ("the watcher is not running"
        # beside the active unit: its argv is /usr/bin/python3 /usr/bin/ifguard watch)
        assert "published by ifguard watch" in status.out, status.out
        assert vm.net.admin_reaches_guest(), "the admin lost the healthy host"
        checks += 1
        if time.monotonic() - start >= 60:
            break
        time.sleep(10)
    motd = vm.ok("run-parts /etc/update-motd.d")
    assert "ifguard: network OK" in motd, motd
    assert "ifguard: network OK" in screen(g.console_text()), screen(g.console_text())
    assert alerts_since(vm, n) == [], titles(alerts_since(vm, n))
    figure("1 healthy host", f"{checks} status checks ok over {time.monotonic() - start:.0f} s")


def test_1_no_alert_while_the_healthy_host_boots(vm: Vm) -> None:
    assert vm.boot_alerts == [], titles(vm.boot_alerts)


def test_2_seed_incident_alert_and_console(vm: Vm) -> None:
    g = vm.guest
    n = len(vm.net.alerts_received())
    since = len(g.console_text())
    t_sent, t_write, at = break_file(vm)
    try:
        alert = wait_alert(vm, n, "network configuration has", timeout=30)
        assert alert is not None, titles(alerts_since(vm, n))
        figure(
            "2 alert at the receiver after the write",
            f"{alert['t'] - t_write:.2f} s (guest clock, +/-{at.error:.2f} s; "
            f"{alert['t'] - t_sent:.2f} s from sending the command to the guest)",
        )
        figure("2 where the time went", watcher_timeline(vm, t_write, at, alert["t"]))
        assert "IFG101" in alert["body"]["message"], alert
        # the person at the console: the login screen shows the line, the code, the fix
        took = g.wait_console("ifguard lint --fix", since, timeout=30)
        shown = screen(g.console_text())
        assert took is not None, shown
        figure("2 console login screen updated after the write", f"{time.time() - t_write:.1f} s")
        assert "NETWORK BROKEN" in shown, shown
        assert "IFG101" in shown, shown
        assert re.search(r"> \d+: lo: <LOOPBACK", shown), shown  # the pasted line itself
        assert "/etc/network/interfaces:" in shown, shown
        # one alert for the incident, not one per line or per event
        time.sleep(3)
        broken = [t for t in titles(alerts_since(vm, n)) if "network configuration has" in t]
        assert len(broken) == 1, titles(alerts_since(vm, n))
    finally:
        restore_file(vm)
    clean = wait_alert(vm, n, "network configuration is clean again", timeout=30)
    assert clean is not None, titles(alerts_since(vm, n))


def test_7_watcher_sigkill_restarted_no_alert_lost_or_repeated(vm: Vm) -> None:
    n = len(vm.net.alerts_received())
    # an incident the running watcher has alerted
    break_file(vm)
    try:
        assert wait_alert(vm, n, "network configuration has", timeout=30) is not None
        before = watcher_pid(vm)
        killed = time.time()
        vm.ok("systemctl kill -s KILL ifguard-watch.service")
        end = time.monotonic() + 60
        while time.monotonic() < end and watcher_pid(vm) in (0, before):
            time.sleep(0.5)
        assert watcher_pid(vm) not in (0, before), "systemd did not restart the watcher"
        figure("7 watcher restarted by systemd after SIGKILL", f"{time.time() - killed:.1f} s")
        assert vm.ok("systemctl show -p NRestarts --value ifguard-watch").strip() != "0"
        # the new watcher has linted and probed: 9-11 s after its start under TCG at load 8
        time.sleep(30)
        again = [t for t in titles(alerts_since(vm, n)) if "network configuration has" in t]
        assert len(again) == 1, f"alert repeated after the restart: {titles(alerts_since(vm, n))}"
        # fixed while no watcher runs: the restarted one must still say so
        pid = watcher_pid(vm)
        vm.ok("systemctl kill -s KILL ifguard-watch.service")
    finally:
        since = len(vm.guest.console_text())
        restore_file(vm)
    end = time.monotonic() + 60
    while time.monotonic() < end and watcher_pid(vm) in (0, pid):
        time.sleep(0.5)
    clean = wait_alert(vm, n, "network configuration is clean again", timeout=45)
    assert clean is not None, f"'clean again' lost across a restart: {titles(alerts_since(vm, n))}"
    # the console follows: the restarted watcher redraws the login screen (agetty --reload)
    redrawn = vm.guest.wait_console("ifguard: network OK", since, timeout=30)
    assert redrawn is not None, screen(vm.guest.console_text())
    figure("7 console OK again after the fix (watcher restarted)", f"{redrawn:.1f} s")
    assert "NETWORK BROKEN" not in screen(vm.guest.console_text())


def _state(vm: Vm) -> str:
    return vm.ok(
        "ip -o link | sed 's/ qlen [0-9]*//'; ip -o addr; ip route; ip -6 route; "
        "ovs-vsctl show; ovs-appctl bond/show bond0 | grep -E '^(member|lacp_status)'"
    )


def test_9_purge_leaves_the_system_as_before_network_untouched(vm: Vm) -> None:
    net_before = _state(vm)
    files = vm.ok("dpkg -L ifguard")
    assert "/usr/bin/ifguard" in files
    started = time.monotonic()
    # the admin pings all along: the purge must not touch the network
    vm.guest.run("rm -f /root/purge.log")
    purge = vm.guest.run("apt-get purge -y -q ifguard > /root/purge.log 2>&1", timeout=600)
    took = time.monotonic() - started
    lost = not vm.net.admin_reaches_guest()
    try:
        assert purge.rc == 0, vm.guest.run("tail -20 /root/purge.log").out
        figure("9 apt purge ifguard", f"{took:.0f} s")
        assert not lost, "the admin lost the host during the purge"
        assert _state(vm) == net_before
        after = vm.ok(
            "find / -xdev \\( -path /proc -o -path /sys -o -path /dev -o -path /run -o -path /tmp"
            " -o -path /var/lib/ifguard-vm \\) -prune -o -print | sort"
        )
        before = vm.ok("cat /var/lib/ifguard-vm/before.files")
        # package bookkeeping, and what booting the guest made (the reference list was taken
        # in the image, before its first boot): ifupdown2's /etc/network/run link, Open
        # vSwitch's database and system-id, dbus's machine-id, mke2fs's lost+found, the lab's
        # own script
        volatile = re.compile(
            r"^/(var/(lib/(dpkg|apt|systemd|ucf|openvswitch)|cache|log|tmp)|root|lost\+found"
            r"|etc/(ld\.so\.cache|network/run|openvswitch/system-id\.conf)"
            r"|var/lib/dbus/machine-id|usr/local/lib/ifguard-vm)(/|$)"
        )
        added = sorted(set(after.split()) - set(before.split()))
        added = [p for p in added if not volatile.match(p)]
        gone = sorted(set(before.split()) - set(after.split()))
        gone = [p for p in gone if not volatile.match(p)]
        assert added == [] and gone == [], f"left behind: {added[:30]}; removed: {gone[:30]}"
        assert vm.guest.run("test -e /run/ifguard").rc != 0, "/run/ifguard left behind"
        units = vm.ok("systemctl list-units --all --plain --no-legend 'ifguard-*'")
        units = "\n".join(u for u in units.splitlines() if "ifguard-vm-driver" not in u)
        assert units.strip() == "", f"units still loaded after the purge: {units}"
    finally:
        # the package back, as the image has it, for the module's other tests
        vm.guest.run(
            "apt-get install -y -q --no-install-recommends /var/lib/ifguard-vm/ifguard.deb"
            " > /root/reinstall.log 2>&1 && /usr/local/lib/ifguard-vm/configure-ifguard"
            " && systemctl restart ifguard-watch.service",
            timeout=600,
        )
