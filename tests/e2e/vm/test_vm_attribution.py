"""Who changed it (issue 25), on the booted Debian 12 host: Debian's auditd with the packaged
rules (/etc/audit/rules.d/ifguard.rules), the watcher reading the kernel's audit records.

The incident's own path typed at the serial console as root and run from an SSH session that
becomes root with ``sudo -i``; the usual writers (sed -i, cp, an editor's rename, a package's
postinst run by apt, the Proxmox-style ``interfaces.new`` rename); the rules and the watcher
across an auditd restart; the status line, the JSON and the Prometheus counter; the watcher's
idle cost with attribution on and off. Each test leaves the file as it found it. The guest's
audit records are saved under $IFGUARD_VM_CAPTURE when set (tests/fixtures/audit/).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.vm.auditlab import (
    Capture,
    clock_offset,
    guest_now,
    idle,
    message,
    restart_watcher,
    restore,
    save,
    ssh_session,
    wait_alert,
    wait_written,
)
from tests.e2e.vm.conftest import Vm, not_yet_reliable
from tests.e2e.vm.report import figure

pytestmark = [
    pytest.mark.vm,
    not_yet_reliable(
        "issue 25: 2 module runs so far (6/10, then 8/10 with every attribution right; the 2 "
        "failures were the test's own, fixed, not re-run): not yet 3 passes in a row"
    ),
]

INCIDENT = "ip -o link >> /etc/network/interfaces"
GUEST = "192.0.2.10"
TEXTFILE = "/var/lib/prometheus/node-exporter"


@pytest.fixture(scope="module", autouse=True)
def capture(vm: Vm) -> Iterator[Capture]:
    """The audit records of the whole module (when asked for), and the node_exporter textfile
    directory the watcher writes its metrics to when it exists (the counter's test)."""
    vm.ok(f"mkdir -p {TEXTFILE}")
    figure("attribution: watcher restart to watching", f"{restart_watcher(vm):.0f} s")
    c = Capture(vm)
    c.start()
    yield c
    c.save("module")
    c.stop()


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
    save(vm)
    try:  # the watcher still attributes: its socket is the kernel's, not auditd's
        since = guest_now(vm)
        vm.ok("echo '# after the auditd restart' >> /etc/network/interfaces")
        found = wait_written(vm, "appended to by", since)
        assert "no login (a service)" in found["text"], found
        figure("attribution: after an auditd restart", found["text"])
    finally:
        restore(vm)


def _latency(vm: Vm, name: str, alert_t: float, detail: dict[str, object]) -> None:
    """The alert's arrival at the receiver after the audited write (host clock; the record's
    time is the guest's, corrected by the measured offset), and the record's delay to the
    watcher's reader (guest clock)."""
    writes = detail.get("writes")
    assert isinstance(writes, list) and writes, detail
    w = writes[-1]
    off, err = clock_offset(vm)
    took = alert_t - (float(w["time"]) - off)
    figure(f"attribution: {name} write to alert", f"{took:.2f} s (clock +-{err:.2f} s)")
    figure(f"attribution: {name} record read after", f"{float(w['seen']) - float(w['time']):.3f} s")


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
        g.console_type(INCIDENT + "\n")
        alert = wait_alert(vm, n, "written", timeout=60)
        assert alert is not None, [message(a) for a in vm.net.alerts_received()[n:]]
        line = next(x for x in message(alert).splitlines() if x.startswith("written"))
        figure("attribution: console alert text", line)
        assert "/etc/network/interfaces appended to by" in line, line
        assert "`ip -o link`" in line, line
        assert "run by bash" in line and "<- bash <- login" in line, line
        assert "login root (uid 0)" in line, line
        assert re.search(r"session \d+", line), line
        assert "ttyS0" in line, line
        detail = wait_written(vm, "ip -o link", t_guest)
        _latency(vm, "console", alert["t"], detail)
        assert "login root (uid 0)" in detail["text"] and "ttyS0" in detail["text"], detail
        shown = vm.ok("ifguard history -n 3 --events 0")
        assert "written: /etc/network/interfaces appended to by `ip -o link`" in shown, shown
        status = vm.ok("ifguard status || true")
        by = [x for x in status.splitlines() if "written by" in x]
        assert by and "ip by root" in by[0], status
        figure("attribution: ifguard status line", by[0].strip())
        data = json.loads(vm.ok("ifguard status --format json || true"))
        assert "ip by root" in json.dumps(data), data
    finally:
        g.console_type("exit\n")
        restore(vm)


def _ssh_key(tmp: Path) -> Path:
    key = tmp / "id_ed25519"
    if not key.exists():
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
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
    argv = ["ssh", "-tt", "-i", str(key), "-o", "StrictHostKeyChecking=no"]
    argv += ["-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", f"ops@{GUEST}"]
    steps = [
        ("echo OPS-$((6*7))", "OPS-42"),
        ("sudo -i", "root@"),
        ("echo ROOT-$((6*7))", "ROOT-42"),
        (f"{INCIDENT}; echo DONE-$((6*7))", "DONE-42"),
        ("exit", "ops@"),  # sudo gone and ops's prompt back (earlier, the line is lost)
        ("exit", "logout"),
    ]
    since = guest_now(vm)
    try:
        ssh_session(vm, argv, steps, timeout=90)
        alert = wait_alert(vm, n, "written", timeout=60)
        assert alert is not None, [message(a) for a in vm.net.alerts_received()[n:]]
        line = next(x for x in message(alert).splitlines() if x.startswith("written"))
        figure("attribution: ssh alert text", line)
        assert "`ip -o link`" in line, line
        assert f"login ops (uid {uid}) as root" in line, line
        assert "sshd" in line and "sudo" in line, line
        assert "from 203.0.113.50" in line, line
        assert re.search(r"session \d+, pts\d+", line), line
        detail = wait_written(vm, "from 203.0.113.50", since)
        _latency(vm, "ssh", alert["t"], detail)
    finally:
        restore(vm)


# a package whose postinst appends to the file, built in the guest and installed with apt
POSTINST_PKG = (
    "rm -rf /root/netfix && mkdir -p /root/netfix/DEBIAN && "
    "printf 'Package: netfix\\nVersion: 1.0\\nArchitecture: all\\nMaintainer: lab "
    "<lab@example.org>\\nDescription: writes the network configuration\\n' "
    "> /root/netfix/DEBIAN/control && "
    "printf '#!/bin/sh\\nset -e\\necho \"# from a postinst\" >> /etc/network/interfaces\\n' "
    "> /root/netfix/DEBIAN/postinst && chmod 0755 /root/netfix/DEBIAN/postinst && "
    "dpkg-deb -b /root/netfix /root/netfix_1.0_all.deb >/dev/null && "
    "DEBIAN_FRONTEND=noninteractive apt-get install -y /root/netfix_1.0_all.deb && "
    "dpkg -P netfix >/dev/null"
)
WRITERS = [
    ("sed -i", "sed -i 's/^# ifguard-attrib$//' /etc/network/interfaces", "sed", "renamed over"),
    (
        "cp",
        "cp /etc/network/interfaces /root/interfaces.copy && echo '# copied' >> "
        "/root/interfaces.copy && cp /root/interfaces.copy /etc/network/interfaces",
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
    ("apt postinst", POSTINST_PKG, "netfix.postinst", "appended to"),
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
        found = wait_written(vm, f"{verb} by", since)
        # one change may hold several writes (cp to interfaces.new, then mv): a line each
        text = next(x for x in found["text"].splitlines() if f"{verb} by" in x)
        assert program in text, found
        assert text.startswith("/etc/network/interfaces "), found  # the file, not a temp
        assert "no login (a service)" in text, found  # the test driver is a system service
        if name == "apt postinst":
            assert "<- dpkg <- apt-get" in text, found
        figure(f"attribution: {name}", text)
    finally:
        restore(vm)


def test_the_counter_and_the_json(vm: Vm) -> None:
    prom = vm.ok(f"cat {TEXTFILE}/ifguard.prom")
    counts = dict(re.findall(r'^ifguard_config_writes_total\{kind="(\w+)"\} (\S+)$', prom, re.M))
    assert float(counts.get("append", 0)) >= 1 and float(counts.get("rename", 0)) >= 1, prom
    series = [x for x in prom.splitlines() if x.startswith("ifguard_config_writes")]
    assert all(re.match(r'^ifguard_config_writes_\w+\{kind="\w+"\} ', x) for x in series), prom
    figure(
        "attribution: ifguard_config_writes_total", " ".join(f"{k}={v}" for k, v in counts.items())
    )
    data = json.loads(vm.ok("ifguard history --format json -n 20 --events 0"))
    writers = [v["writer"] for v in data["versions"] if v["writer"]]
    assert any("`ip -o link`" in w for w in writers), writers


def test_idle_cost_with_attribution_on_and_off(vm: Vm) -> None:
    seconds = int(os.environ.get("IFGUARD_VM_IDLE_S", "20"))
    restart_watcher(vm)
    time.sleep(20)  # the start's background work done (apprise's import)
    cpu_on, rss_on = idle(vm, seconds)
    vm.ok(
        "cp -p /etc/ifguard/ifguard.toml /root/ifguard.toml.attrib && "
        "sed -i 's/^\\[watch\\]$/[watch]\\nattribution = false/' /etc/ifguard/ifguard.toml"
    )
    restart_watcher(vm)
    time.sleep(20)
    try:
        log = vm.ok("journalctl -u ifguard-watch.service -n 30 --no-pager -o cat")
        assert "attribution is turned off" in log, log
        cpu_off, rss_off = idle(vm, seconds)
    finally:
        vm.ok("cp -p /root/ifguard.toml.attrib /etc/ifguard/ifguard.toml")
        restart_watcher(vm)
    on = f"{cpu_on:.2f} % CPU, {rss_on / 1024:.1f} MB RSS"
    figure(f"attribution: watcher idle {seconds} s, on", on)
    figure(
        f"attribution: watcher idle {seconds} s, off",
        f"{cpu_off:.2f} % CPU, {rss_off / 1024:.1f} MB RSS",
    )
