"""Helpers of the attribution VM test (test_vm_attribution.py): the alerts the lab's receiver
got, the watcher's "written-by" events, the guest's clock against the host's, the watcher's
idle cost, and a capture of the kernel's audit records in the guest (the unit tests' fixtures,
tests/fixtures/audit/, come from it: IFGUARD_VM_CAPTURE=DIR saves them there)."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from tests.e2e.vm.conftest import Vm

ORIG = "/root/interfaces.attrib"


def message(a: dict[str, Any]) -> str:
    body = a["body"]
    return str(body.get("message", "")) if isinstance(body, dict) else ""


def wait_alert(vm: Vm, n: int, needle: str, timeout: float = 60) -> dict[str, Any] | None:
    """The first alert after the first ``n`` the receiver got whose text holds ``needle``."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for a in vm.net.alerts_received()[n:]:
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


def clock_offset(vm: Vm) -> tuple[float, float]:
    """(guest clock - host clock, uncertainty) in seconds, from one round trip to the guest."""
    t0 = time.time()
    g = guest_now(vm)
    t1 = time.time()
    return g - (t0 + t1) / 2, (t1 - t0) / 2


def wait_written(vm: Vm, needle: str, since: float, timeout: float = 20) -> dict[str, Any]:
    """The detail of the first "written-by" event after guest time ``since`` whose text holds
    ``needle`` (``text``: the history's line, ``writes``: each write's fields)."""
    end = time.monotonic() + timeout
    seen: list[str] = []
    while time.monotonic() < end:
        data = json.loads(vm.ok("ifguard history --format json -n 0 --events 30 --kind written-by"))
        events = [e for e in reversed(data["events"]) if e["time"] >= since]
        seen = [str(e["detail"]["text"]) for e in events]
        for e in events:
            if needle in str(e["detail"]["text"]):
                return dict(e["detail"])
        time.sleep(0.5)
    raise AssertionError(f"no writer with {needle!r} since {since}: {seen}")


def watcher_ready(vm: Vm, timeout: float = 180) -> float:
    """Seconds until the (re)started watcher watches the files: its inotify descriptor exists,
    which it opens after the audit socket and its first check (Python starts in ~30 s in the
    TCG guest: a write before that is no change it sees)."""
    start = time.monotonic()
    probe = (
        "pid=$(systemctl show -p MainPID --value ifguard-watch.service); "
        'test "$pid" != 0 && grep -l inotify /proc/$pid/fdinfo/* >/dev/null 2>&1'
    )
    while time.monotonic() - start < timeout:
        if vm.guest.run(probe).rc == 0:
            return time.monotonic() - start
        time.sleep(1)
    raise AssertionError(f"the watcher does not watch the files {timeout:.0f} s after its start")


def restart_watcher(vm: Vm) -> float:
    vm.ok("systemctl restart ifguard-watch.service")
    return watcher_ready(vm)


def ssh_session(vm: Vm, argv: list[str], steps: list[tuple[str, str]], timeout: float) -> str:
    """An interactive SSH session from the admin: each line typed once the output shows the
    previous step's marker (type-ahead is lost when ``sudo -i`` starts its own terminal).
    Returns everything it printed; raises when a marker does not come."""
    p = subprocess.Popen(
        vm.net.a.argv(argv), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    assert p.stdin is not None and p.stdout is not None
    out = bytearray()

    def pump() -> None:
        assert p.stdout is not None
        while chunk := os.read(p.stdout.fileno(), 4096):
            out.extend(chunk)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        for line, marker in steps:
            mark = len(out)
            p.stdin.write(line.encode() + b"\n")
            p.stdin.flush()
            end = time.monotonic() + timeout
            while marker.encode() not in out[mark:]:
                if p.poll() is not None:
                    reader.join(5)  # the session ended: its last output
                    if marker.encode() in out[mark:]:
                        break
                if time.monotonic() > end or p.poll() is not None:
                    raise AssertionError(f"no {marker!r} after {line!r}: {bytes(out)[-1500:]!r}")
                time.sleep(0.1)
        if p.poll() is None:
            p.stdin.close()
        p.wait(timeout)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        reader.join(5)
    return bytes(out).decode("utf-8", "replace")


def idle(vm: Vm, seconds: int) -> tuple[float, int]:
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


# the guest's recorder: every message of the audit multicast group as [type, text], split
# with struct here (not with ifguard's reader, which the records are meant to test)
RECORDER = """\
import json, socket, struct, sys
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 9)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
s.bind((0, 1))
with open(sys.argv[1], "a", buffering=1) as out:
    while True:
        data, off = s.recv(65536), 0
        while off + 16 <= len(data):
            n, kind = struct.unpack_from("=IH", data, off)
            if n < 16:
                break
            text = data[off + 16 : off + n].rstrip(b"\\0").decode("utf-8", "replace")
            out.write(json.dumps([kind, text]) + "\\n")
            off += (n + 3) & ~3
"""
CAPTURED = "/root/audit-capture.jsonl"


class Capture:
    """The kernel's audit records in the guest while the module runs, saved on the host under
    $IFGUARD_VM_CAPTURE (nothing runs when it is not set)."""

    def __init__(self, vm: Vm) -> None:
        self.vm = vm
        where = os.environ.get("IFGUARD_VM_CAPTURE")
        self.out = Path(where) if where else None

    def start(self) -> None:
        if self.out is None:
            return
        self.vm.ok(f"cat > /root/audit-recorder.py <<'EOF'\n{RECORDER}EOF")
        self.vm.ok(
            "systemd-run --unit=ifguard-audit-capture --collect "
            f"/usr/bin/python3 /root/audit-recorder.py {CAPTURED}"
        )

    def save(self, name: str) -> None:
        """What the guest recorded so far (netlink) and auditd's log of it (ausearch --raw)."""
        if self.out is None:
            return
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / f"{name}.netlink.jsonl").write_text(self.vm.ok(f"cat {CAPTURED}"))
        raw = self.vm.guest.run(
            "ausearch --raw -k ifguard; ausearch --raw -m USER_LOGIN,USER_START"
        )
        (self.out / f"{name}.ausearch.log").write_text(raw.out)

    def stop(self) -> None:
        if self.out is not None:
            self.vm.guest.run("systemctl stop ifguard-audit-capture")
