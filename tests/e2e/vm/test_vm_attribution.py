"""Who changed it (issue 25), on the booted Debian 12 host: Debian's auditd with the packaged
rules (/etc/audit/rules.d/ifguard.rules), the watcher reading the kernel's audit records.

The incident's own path typed at the serial console as root and run from an SSH session that
becomes root with ``sudo -i``; the usual writers (sed -i, cp, an editor's rename, the
Proxmox-style ``interfaces.new`` rename); the rules across an auditd restart; the watcher's
idle cost with attribution on and off. Each test leaves the file as it found it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.vm.conftest import Vm, not_yet_reliable
from tests.e2e.vm.report import figure

# written against the lab's guest, not yet run as a module (the lab was busy): opt-in until
# it has passed; the hand-run capture (docs/attribution.md, "Measured") is the evidence so far
pytestmark = [
    pytest.mark.vm,
    not_yet_reliable("issue 25: this module has not been run yet (attribution in the guest)"),
]

INCIDENT = "ip -o link >> /etc/network/interfaces"
ORIG = "/root/interfaces.attrib"
GUEST = "192.0.2.10"


def alerts_since(vm: Vm, n: int) -> list[dict[str, Any]]:
    return vm.net.alerts_received()[n:]


def message(a: dict[str, Any]) -> str:
    body = a["body"]
    return str(body.get("message", "")) if isinstance(body, dict) else ""


def wait_alert(vm: Vm, n: int, needle: str, timeout: float = 60) -> dict[str, Any] | None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for a in alerts_since(vm, n):
            if needle in message(a):
                return a
        time.sleep(0.1)
    return None


def save(vm: Vm) -> None:
    vm.ok(f"cp -p /etc/network/interfaces {ORIG}")


def restore(vm: Vm) -> None:
    """The file as before, and the watcher's 'resolved' delivered (the next test's alert is
    a new 'firing')."""
    vm.ok(f"cat {ORIG} > /etc/network/interfaces && rm -f {ORIG}")
    time.sleep(3)


def guest_now(vm: Vm) -> float:
    return float(vm.ok("date +%s.%N").strip())


def writers(vm: Vm, limit: int = 3) -> list[str]:
    """The newest versions' writer lines from ``ifguard history --format json``."""
    data = json.loads(vm.ok(f"ifguard history --format json -n {limit} --events 0"))
    return [str(v.get("writer") or "") for v in data["versions"]]


def wait_writer(vm: Vm, needle: str, since: float, timeout: float = 20) -> str:
    """The text of the first "written-by" event after guest time ``since`` holding
    ``needle``."""
    end = time.monotonic() + timeout
    seen: list[str] = []
    while time.monotonic() < end:
        data = json.loads(vm.ok("ifguard history --format json -n 0 --events 30 --kind written-by"))
        seen = [str(e["detail"]["text"]) for e in reversed(data["events"]) if e["time"] >= since]
        for text in seen:
            if needle in text:
                return text
        time.sleep(0.5)
    raise AssertionError(f"no writer with {needle!r} since {since}: {seen}")


def test_auditd_loads_the_rules_and_keeps_them_across_a_restart(vm: Vm) -> None:
    rules = vm.ok("auditctl -l")
    assert "-w /etc/network/interfaces -p wa -k ifguard" in rules, rules
    assert "-w /etc/ifguard -p wa -k ifguard" in rules, rules
    assert "execve" not in rules, rules  # no exec of any other process is recorded
    vm.ok("systemctl restart auditd")
    time.sleep(2)
    after = vm.ok("auditctl -l")
    assert "-w /etc/network/interfaces -p wa -k ifguard" in after, after
    log = vm.ok("journalctl -u ifguard-watch.service -b --no-pager -o cat")
    assert "unknown writer" not in log, log


def test_root_shell_on_the_serial_console(vm: Vm) -> None:
    g = vm.guest
    save(vm)
    n = len(vm.net.alerts_received())
    since = len(g.console_text())
    g.console_type("\n")
    if g.wait_console("login:", since, 30) is not None:
        g.console_type("root\n")
        g.wait_console("Password:", since, 30)
        g.console_type("ifguard\n")
    mark = len(g.console_text())
    g.console_type("echo READY-$((6*7))\n")
    assert g.wait_console("READY-42", mark, 60) is not None, g.console_text()[-2000:]
    t_guest = guest_now(vm)
    try:
        t_write = time.time()
        g.console_type(INCIDENT + "\n")
        alert = wait_alert(vm, n, "written", timeout=60)
        assert alert is not None, [message(a) for a in alerts_since(vm, n)]
        text = message(alert)
        figure("attribution: console alert after the write", f"{alert['t'] - t_write:.2f} s")
        figure("attribution: console alert text", text.splitlines()[-1])
        line = next(x for x in text.splitlines() if x.startswith("written"))
        assert "/etc/network/interfaces appended to by" in line, line
        assert "`ip -o link`" in line, line
        assert "run by bash" in line and "<- bash <- login" in line, line
        assert "login root (uid 0)" in line, line
        assert re.search(r"session \d+", line), line
        assert "ttyS0" in line, line
        hist = wait_writer(vm, "ip -o link", t_guest)
        assert "login root (uid 0)" in hist and "ttyS0" in hist, hist
        shown = vm.ok("ifguard history -n 3 --events 0")
        assert "written: /etc/network/interfaces appended to by `ip -o link`" in shown, shown
        figure("attribution: console history writer", hist)
    finally:
        g.console_type("exit\n")
        restore(vm)


def _ssh_key(tmp: Path) -> Path:
    key = tmp / "id_ed25519"
    if not key.exists():
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)],
            check=True,
        )
    return key


def test_ssh_session_that_runs_sudo_i(vm: Vm, tmp_path: Path) -> None:
    key = _ssh_key(tmp_path)
    pub = key.with_suffix(".pub").read_text().strip()
    vm.ok(
        "id ops >/dev/null 2>&1 || useradd -m -s /bin/bash ops; "
        "install -d -m 0700 -o ops -g ops /home/ops/.ssh; "
        f"echo '{pub}' > /home/ops/.ssh/authorized_keys; "
        "chown ops:ops /home/ops/.ssh/authorized_keys; "
        "echo 'ops ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/ops; chmod 0440 /etc/sudoers.d/ops; "
        "systemctl start ssh"
    )
    uid = vm.ok("id -u ops").strip()
    save(vm)
    n = len(vm.net.alerts_received())
    argv = [
        "ssh",
        "-tt",
        "-i",
        str(key),
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "BatchMode=yes",
        f"ops@{GUEST}",
    ]
    script = f"sudo -i\n{INCIDENT}\nsleep 2\nexit\nexit\n"
    since = guest_now(vm)
    try:
        t_write = time.time()
        done = vm.net.a.run(argv, input=script, timeout=120)
        assert done.returncode == 0, (done.stdout or "")[-1500:] + (done.stderr or "")[-1500:]
        alert = wait_alert(vm, n, "written", timeout=60)
        assert alert is not None, [message(a) for a in alerts_since(vm, n)]
        text = message(alert)
        line = next(x for x in text.splitlines() if x.startswith("written"))
        figure("attribution: ssh alert after the session started", f"{alert['t'] - t_write:.2f} s")
        figure("attribution: ssh alert text", line)
        assert "`ip -o link`" in line, line
        assert f"login ops (uid {uid}) as root" in line, line
        assert "sshd" in line and "sudo" in line, line
        assert "from 203.0.113.50" in line, line
        assert re.search(r"session \d+, pts\d+", line), line
        hist = wait_writer(vm, "from 203.0.113.50", since)
        figure("attribution: ssh history writer", hist)
    finally:
        restore(vm)


WRITERS = [
    ("sed -i", "sed -i 's/^# ifguard-attrib$//' /etc/network/interfaces", "sed", "renamed over"),
    (
        "cp",
        f"cp {ORIG} /etc/network/interfaces.tmp-copy && cp /etc/network/interfaces.tmp-copy "
        "/etc/network/interfaces && rm /etc/network/interfaces.tmp-copy",
        "cp",
        "overwritten",
    ),
    (
        "editor rename",
        "python3 -c \"import os; d=open('/etc/network/interfaces').read();"
        " open('/etc/network/.interfaces.swp','w').write(d+'# saved\\n');"
        " os.rename('/etc/network/.interfaces.swp','/etc/network/interfaces')\"",
        "python3",
        "renamed over",
    ),
    (
        "interfaces.new rename",
        "cp /etc/network/interfaces /etc/network/interfaces.new && "
        "echo '# via the GUI' >> /etc/network/interfaces.new && "
        "mv /etc/network/interfaces.new /etc/network/interfaces",
        "mv",
        "renamed over",
    ),
]


@pytest.mark.parametrize(("name", "cmd", "program", "verb"), WRITERS, ids=[w[0] for w in WRITERS])
def test_usual_writers_are_attributed(vm: Vm, name: str, cmd: str, program: str, verb: str) -> None:
    save(vm)
    try:
        vm.ok("echo '# ifguard-attrib' >> /etc/network/interfaces")
        time.sleep(2)
        since = guest_now(vm)
        vm.ok(cmd)
        found = wait_writer(vm, f"{verb} by", since)
        assert program in found, found
        assert "no login (a service)" in found, found  # the test driver is a system service
        figure(f"attribution: {name}", found.splitlines()[-1])
    finally:
        restore(vm)


def _idle(vm: Vm, seconds: int) -> tuple[float, int]:
    """(CPU % of one core, RSS kB) of the watcher over ``seconds`` idle seconds."""
    pid = vm.ok("systemctl show -p MainPID --value ifguard-watch.service").strip()
    hz = int(vm.ok("getconf CLK_TCK").strip())

    def ticks() -> int:
        f = vm.ok(f"cat /proc/{pid}/stat").rsplit(")", 1)[1].split()
        return int(f[11]) + int(f[12])

    before, t0 = ticks(), time.monotonic()
    time.sleep(seconds)
    used, took = ticks() - before, time.monotonic() - t0
    rss = int(vm.ok(f"awk '/VmRSS/ {{print $2}}' /proc/{pid}/status").strip())
    return 100.0 * used / hz / took, rss


def test_idle_cost_with_attribution_on_and_off(vm: Vm) -> None:
    seconds = int(os.environ.get("IFGUARD_VM_IDLE_S", "60"))
    vm.ok("systemctl restart ifguard-watch.service && sleep 10")
    cpu_on, rss_on = _idle(vm, seconds)
    vm.ok(
        "cp -p /etc/ifguard/ifguard.toml /root/ifguard.toml.attrib && "
        "sed -i 's/^\\[watch\\]$/[watch]\\nattribution = false/' /etc/ifguard/ifguard.toml && "
        "systemctl restart ifguard-watch.service && sleep 10"
    )
    try:
        log = vm.ok("journalctl -u ifguard-watch.service -n 30 --no-pager -o cat")
        assert "attribution is turned off" in log, log
        cpu_off, rss_off = _idle(vm, seconds)
    finally:
        vm.ok(
            "cp -p /root/ifguard.toml.attrib /etc/ifguard/ifguard.toml && "
            "systemctl restart ifguard-watch.service"
        )
    figure(
        f"attribution: watcher idle {seconds} s, on",
        f"{cpu_on:.2f} % CPU, {rss_on / 1024:.1f} MB RSS",
    )
    figure(
        f"attribution: watcher idle {seconds} s, off",
        f"{cpu_off:.2f} % CPU, {rss_off / 1024:.1f} MB RSS",
    )
