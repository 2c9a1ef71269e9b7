"""One booted guest: qemu on a qcow2 overlay of the lab image, its consoles and QMP.

* ttyS0, the console a person reads: a unix socket (``serial.sock``) the test can type into,
  everything the guest prints logged to ``serial.log`` (agetty's login screen, /etc/issue.d).
* the driver: virtio serial port ``org.ifguard.driver`` (``driver.sock``), lab/vm/driver.py in
  the guest runs shell commands as root and answers in JSON.
* QMP (``qmp.sock``): quit.

Accelerator: KVM only when /dev/kvm is a hardware (VMX/SVM) KVM - the machines' paravirtual
kvm_pvm runs Debian's stock kernel far too slowly - else TCG. Restarting qemu on the same
overlay is the lab's reboot (faster than a reset under TCG); ``stop``/``start`` keep the disk.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from lab.vm.image import Image


class GuestError(RuntimeError):
    """The guest did not do what the harness needed (one line: what)."""


@dataclass(frozen=True)
class Result:
    rc: int
    out: str
    err: str
    t: float  # guest clock, when the command started


class Wiring(Protocol):
    """Where a guest's NICs go: its taps, and the namespace qemu runs in (lab/vm/net.py,
    lab/vm/cluster.py)."""

    @property
    def taps(self) -> tuple[str, ...]: ...

    def netns_argv(self, argv: list[str]) -> list[str]: ...


def accelerator() -> list[str]:
    """qemu's -accel/-cpu: KVM on a hardware KVM, TCG otherwise (named in ``describe``)."""
    flags = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    hw = Path("/sys/module/kvm_intel").exists() or Path("/sys/module/kvm_amd").exists()
    if hw and (" vmx" in flags or " svm" in flags) and os.access("/dev/kvm", os.R_OK | os.W_OK):
        return ["-accel", "kvm", "-cpu", "host"]
    return ["-accel", "tcg,thread=multi,tb-size=256", "-cpu", "max"]


def missing() -> str | None:
    """What this machine lacks to run guests (one line), or None."""
    for tool in ("qemu-system-x86_64", "qemu-img"):
        if shutil.which(tool) is None:
            return f"{tool} not installed (apt-get install qemu-system-x86 qemu-utils)"
    if not Path("/dev/net/tun").exists():
        return "/dev/net/tun missing (the guest's NICs are taps)"
    return None


class Guest:
    """qemu for ``image`` in ``net``'s switch namespace, its files under ``work``. ``ident``
    makes the NICs' MACs unique among several guests; ``append`` goes on the kernel command
    line (a cluster node's identity)."""

    def __init__(
        self,
        image: Image,
        net: Wiring,
        work: Path,
        memory: int = 1024,
        *,
        ident: int = 0,
        append: str = "",
        cpus: int = 2,
    ) -> None:
        self.image, self.net, self.work, self.memory = image, net, work, memory
        self.ident, self.append, self.cpus = ident, append, cpus
        self.overlay = work / "overlay.qcow2"
        self.serial_log = work / "serial.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self._drv: socket.socket | None = None
        self._drv_buf = b""
        self._next_id = 0
        self.started_at = 0.0

    # --- life cycle -------------------------------------------------------------------
    def create_overlay(self) -> None:
        self.work.mkdir(parents=True, exist_ok=True)
        self.overlay.unlink(missing_ok=True)
        subprocess.run(
            [
                "qemu-img",
                "create",
                "-q",
                "-f",
                "qcow2",
                "-b",
                str(self.image.disk),
                "-F",
                "raw",
                str(self.overlay),
            ],
            check=True,
            capture_output=True,
        )

    def argv(self) -> list[str]:
        w = self.work
        nics: list[str] = []
        mac = f"52:54:00:12:{0x34 + self.ident:02x}"
        append = f"root=/dev/vda rw console=ttyS0,115200 net.ifnames=1 panic=-1 {self.append}"
        for i, tap in enumerate(self.net.taps):
            nics += [
                "-netdev",
                f"tap,id=n{i},ifname={tap},script=no,downscript=no,vhost=off",
                # slots 0x12, 0x13: ens18, ens19 as on a Proxmox guest; csum=off: the
                # userspace switch never completes a partial checksum
                "-device",
                f"virtio-net-pci,netdev=n{i},mac={mac}:{0x56 + i:02x},addr=0x{0x12 + i:x},csum=off",
            ]
        return [
            "qemu-system-x86_64", "-name", "ifguard-vmlab", "-machine", "pc",
            *accelerator(), "-smp", str(self.cpus), "-m", str(self.memory),
            "-nodefaults", "-display", "none", "-no-user-config",
            "-kernel", str(self.image.kernel), "-initrd", str(self.image.initrd),
            "-append", append.strip(),
            "-drive", f"file={self.overlay},if=none,id=d0,format=qcow2,cache=unsafe",
            "-device", "virtio-blk-pci,drive=d0",
            "-chardev", f"socket,id=ser0,path={w}/serial.sock,server=on,wait=off,"
            f"logfile={self.serial_log},logappend=on",
            "-serial", "chardev:ser0",
            "-device", "virtio-serial-pci",
            "-chardev", f"socket,id=drv,path={w}/driver.sock,server=on,wait=off",
            "-device", "virtserialport,chardev=drv,name=org.ifguard.driver",
            "-qmp", f"unix:{w}/qmp.sock,server=on,wait=off",
            "-no-reboot", "-pidfile", f"{w}/qemu.pid",
            *nics,
        ]  # fmt: skip

    def attach(self) -> None:
        """Connect the driver of a qemu another process started."""
        self._drv = self._connect("driver.sock", timeout=5)

    def start(self) -> None:
        """Start qemu (the overlay must exist) and connect the driver."""
        if not self.overlay.exists():
            self.create_overlay()
        for name in ("serial.sock", "driver.sock", "qmp.sock"):
            (self.work / name).unlink(missing_ok=True)
        self.started_at = time.monotonic()
        with open(self.work / "qemu.log", "ab") as log:
            self.proc = subprocess.Popen(
                self.net.netns_argv(self.argv()),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        self._drv = self._connect("driver.sock")

    def _connect(self, name: str, timeout: float = 30) -> socket.socket:
        path = self.work / name
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc is not None and self.proc.poll() is not None:
                log = (self.work / "qemu.log").read_text(errors="replace").strip()
                raise GuestError(f"qemu exited ({self.proc.returncode}): {log[-500:]}")
            with contextlib.suppress(OSError):
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(str(path))
                return s
            time.sleep(0.1)
        raise GuestError(f"qemu's {name} did not appear in {timeout} s")

    def stop(self, timeout: float = 20) -> None:
        """Power off now (QMP quit, then SIGKILL to the qemu this guest started)."""
        if self._drv is not None:
            self._drv.close()
            self._drv, self._drv_buf = None, b""
        if self.proc is None:  # started by another process (python3 -m lab.vm up)
            pidfile = self.work / "qemu.pid"
            with contextlib.suppress(OSError, ValueError, ProcessLookupError):
                os.kill(int(pidfile.read_text()), signal.SIGKILL)
            pidfile.unlink(missing_ok=True)
            return
        if self.proc.poll() is not None:
            self.proc = None
            return
        with contextlib.suppress(OSError, GuestError):
            q = self._connect("qmp.sock", timeout=2)
            q.settimeout(5)
            q.recv(4096)  # the greeting: QMP reads no command before it has sent it
            q.sendall(b'{"execute":"qmp_capabilities"}\n')
            q.recv(4096)
            q.sendall(b'{"execute":"quit"}\n')
            q.recv(4096)
            q.close()
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.proc = None

    def restart(self) -> None:
        """The lab's reboot: qemu again on the same overlay."""
        self.stop()
        self.start()

    # --- the driver -------------------------------------------------------------------
    def run(self, cmd: str, timeout: float = 60) -> Result:
        """``sh -c CMD`` as root in the guest."""
        if self._drv is None:
            raise GuestError("the guest is not running")
        self._next_id += 1
        req = {"id": self._next_id, "cmd": cmd, "timeout": timeout}
        self._drv.sendall(json.dumps(req).encode() + b"\n")
        end = time.monotonic() + timeout + 30
        while True:
            while b"\n" in self._drv_buf:
                line, self._drv_buf = self._drv_buf.split(b"\n", 1)
                with contextlib.suppress(ValueError):
                    ans = json.loads(line)
                    if ans.get("id") == self._next_id:
                        return Result(int(ans["rc"]), ans["out"], ans["err"], float(ans["t"]))
            left = end - time.monotonic()
            if left <= 0:
                raise GuestError(
                    f"no answer from the guest's driver in {timeout + 30:.0f} s: {cmd}"
                )
            self._drv.settimeout(left)
            try:
                chunk = self._drv.recv(65536)
            except TimeoutError:
                continue
            if not chunk:
                raise GuestError(f"the driver's socket closed (qemu gone?) during: {cmd}")
            self._drv_buf += chunk

    def ok(self, cmd: str, timeout: float = 60) -> str:
        r = self.run(cmd, timeout)
        if r.rc != 0:
            raise GuestError(f"`{cmd}` exit {r.rc}: {(r.err or r.out).strip()[-800:]}")
        return r.out

    def wait_driver(self, timeout: float = 240) -> float:
        """Seconds from qemu's start until the driver answers (systemd reached sysinit)."""
        if self._drv is None:
            raise GuestError("the guest is not running")
        end = time.monotonic() + timeout
        # the request sent before the guest listens is lost: resend until one is answered
        while time.monotonic() < end:
            self._drv.settimeout(3)
            # until the guest opens its port qemu stops reading the socket: a slow boot (a
            # loaded machine: 330 s) filled it and a blocking send timed out; send only
            # while it takes more (a line cut short is skipped by the driver)
            if select.select([], [self._drv], [], 0)[1]:
                self._next_id += 1
                with contextlib.suppress(TimeoutError):
                    req = {"id": self._next_id, "cmd": "true"}
                    self._drv.sendall(json.dumps(req).encode() + b"\n")
            t_end = time.monotonic() + 3
            while time.monotonic() < t_end:
                try:
                    chunk = self._drv.recv(65536)
                except TimeoutError:
                    break
                if not chunk:
                    raise GuestError("the driver's socket closed while booting (qemu gone?)")
                self._drv_buf += chunk
                if b"\n" in self._drv_buf:  # any answer: the driver listens; sync on a new id
                    self._drv_buf = b""
                    # the requests resent while it booted are answered first (a slow boot: minutes)
                    self.run("true", timeout=max(120.0, end - time.monotonic()))
                    return time.monotonic() - self.started_at
            if self.proc is not None and self.proc.poll() is not None:
                raise GuestError(f"qemu exited while booting ({self.proc.returncode})")
        raise GuestError(f"the guest's driver did not answer within {timeout:.0f} s of start")

    def wait_running(self, timeout: float = 300) -> float:
        """Seconds from qemu's start until ``systemctl is-system-running --wait`` returns."""
        self.wait_driver(timeout)
        r = self.run("systemctl is-system-running --wait", timeout=timeout)
        if r.out.strip() not in ("running", "degraded"):
            raise GuestError(f"the guest's systemd is {r.out.strip()!r}")
        if r.out.strip() == "degraded":
            failed = self.run("systemctl --failed --no-legend --plain").out.strip()
            raise GuestError(f"the guest booted degraded: {failed}")
        return time.monotonic() - self.started_at

    # --- the serial console -------------------------------------------------------------
    def console_text(self) -> str:
        """Everything ttyS0 printed since the first start (escape sequences included)."""
        if not self.serial_log.exists():
            return ""
        return self.serial_log.read_text(errors="replace")

    def console_type(self, text: str) -> None:
        """Type on ttyS0, as the person at the console."""
        s = self._connect("serial.sock", timeout=5)
        try:
            s.sendall(text.encode())
            time.sleep(0.2)
        finally:
            s.close()

    def wait_console(self, needle: str, since: int, timeout: float) -> float | None:
        """Seconds until ``needle`` appears on ttyS0 after offset ``since``, None if not."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if needle in self.console_text()[since:]:
                return time.monotonic() - start
            time.sleep(0.2)
        return None
