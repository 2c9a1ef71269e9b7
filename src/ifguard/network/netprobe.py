"""The network side effects of health probes: ARP, ICMP echo and TCP connect, each bounded
by a timeout. ``None`` means "could not be tried" (no permission, no such device, no ping
binary), which a probe reports as such instead of passing or failing.
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import time
from typing import Protocol

from ifguard.system.runner import Runner, SubprocessRunner

ETH_P_ARP = 0x0806


class Net(Protocol):
    def arp(self, dev: str, ip: str, timeout: float) -> bool | None: ...

    def ping(self, host: str, timeout: float) -> bool | None: ...

    def tcp(self, host: str, port: int, timeout: float) -> str | None: ...


def arp_request(src_mac: bytes, src_ip: str, target: str) -> bytes:
    arp = (
        struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1)
        + src_mac
        + socket.inet_aton(src_ip)
        + b"\x00" * 6
        + socket.inet_aton(target)
    )
    return (b"\xff" * 6 + src_mac + struct.pack("!H", ETH_P_ARP) + arp).ljust(60, b"\x00")


def is_arp_reply_from(frame: bytes, target: str) -> bool:
    if len(frame) < 42 or frame[12:14] != b"\x08\x06":
        return False
    op = struct.unpack("!H", frame[20:22])[0]
    return op == 2 and frame[28:32] == socket.inet_aton(target)


def gratuitous_arp(ifname: str, mac: str, ip: str) -> None:
    """Broadcast an ARP request for our own address (RFC 5227 announcement) so neighbours
    (the gateway, the switch) update a cache entry that still holds the MAC of an interface
    a reload re-created. Raises OSError when the frame cannot be sent."""
    frame = arp_request(bytes.fromhex(mac.replace(":", "")), ip, ip)  # asks for itself
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
        s.bind((ifname, 0))
        s.send(frame)


def _source_ip(dev: str, target: str) -> str:
    """The address the kernel would use towards ``target`` (0.0.0.0: an ARP probe)."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, dev.encode())
        s.connect((target, 9))
        return str(s.getsockname()[0])
    return "0.0.0.0"


class SystemNet:
    def __init__(self, runner: Runner | None = None) -> None:
        self.runner = runner or SubprocessRunner()

    def arp(self, dev: str, ip: str, timeout: float) -> bool | None:
        try:
            sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ARP))
        except (PermissionError, AttributeError):
            return None
        with sock:
            try:
                sock.bind((dev, ETH_P_ARP))
                mac = sock.getsockname()[4]
                sock.send(arp_request(mac, _source_ip(dev, ip), ip))
            except OSError:
                return None
            end = time.monotonic() + timeout
            while (left := end - time.monotonic()) > 0:
                ready, _, _ = select.select([sock], [], [], left)
                if ready and is_arp_reply_from(sock.recv(2048), ip):
                    return True
            return False

    def ping(self, host: str, timeout: float) -> bool | None:
        wait = str(max(1, round(timeout)))
        argv = ["ping", "-6" if ":" in host else "-4", "-n", "-c", "1", "-W", wait, host]
        done = self.runner.run(argv, timeout=timeout + 2)
        if done.rc in (126, 127):
            return None
        return done.ok

    def tcp(self, host: str, port: int, timeout: float) -> str | None:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                return None
        except OSError as exc:
            return exc.strerror or str(exc) or type(exc).__name__
