"""The network side effects of health probes: ARP, ICMP echo and TCP connect, each bounded
by a timeout. ``None`` means "could not be tried" (no permission, no such device, no ping
binary), which a probe reports as such instead of passing or failing.

"Could not be tried" is any error of the probe's own machinery: a socket the sandbox refuses
(a systemd unit's ``RestrictAddressFamilies=`` without ``AF_PACKET`` makes ``socket()`` fail
with EAFNOSUPPORT; no CAP_NET_RAW gives EPERM), a device that cannot be bound, ``ping``
missing or exiting 2 (its own error, not "no reply"). Only a probe that ran and heard
nothing is a failure.
"""

from __future__ import annotations

import contextlib
import errno
import select
import socket
import struct
import time
from typing import Protocol

from ifguard.system.runner import Runner, SubprocessRunner

ETH_P_ARP = 0x0806


# errors of creating or using a socket that say nothing about the network: the probe could
# not be tried (a sandbox, missing privileges, no resources)
UNTRIED = frozenset(
    {
        errno.EAFNOSUPPORT,
        errno.EPROTONOSUPPORT,
        errno.ESOCKTNOSUPPORT,
        errno.EPERM,
        errno.EACCES,
        errno.EMFILE,
        errno.ENFILE,
        errno.ENOBUFS,
        errno.ENOMEM,
    }
)


class CannotProbe(Exception):
    """A probe that could not be tried (not a failure): the reason is the message."""


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
        """True: the address answered ARP on ``dev``; False: silent for ``timeout``; None:
        no ARP could be sent or heard (any OSError of the packet socket; the caller falls
        back to ICMP)."""
        try:
            sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ARP))
        except (OSError, AttributeError):  # EAFNOSUPPORT in a sandbox, EPERM without root
            return None
        with sock:
            try:
                sock.bind((dev, ETH_P_ARP))
                mac = sock.getsockname()[4]
                sock.send(arp_request(mac, _source_ip(dev, ip), ip))
                end = time.monotonic() + timeout
                while (left := end - time.monotonic()) > 0:
                    ready, _, _ = select.select([sock], [], [], left)
                    if ready and is_arp_reply_from(sock.recv(2048), ip):
                        return True
            except OSError:
                return None
            return False

    def ping(self, host: str, timeout: float) -> bool | None:
        """True: an echo reply; False: none in time; None: ping could not run (missing,
        not executable, or its own error - exit 2: no socket, unknown host)."""
        wait = str(max(1, round(timeout)))
        argv = ["ping", "-6" if ":" in host else "-4", "-n", "-c", "1", "-W", wait, host]
        done = self.runner.run(argv, timeout=timeout + 2)
        if done.rc == 0:
            return True
        if done.rc in (1, 124):  # no reply; no reply before our own deadline
            return False
        return None

    def tcp(self, host: str, port: int, timeout: float) -> str | None:
        """None: connected; the error otherwise. Raises CannotProbe when no connection
        could be attempted (a socket the sandbox or the kernel refuses)."""
        try:
            with socket.create_connection((host, port), timeout=timeout):
                return None
        except OSError as exc:
            reason = exc.strerror or str(exc) or type(exc).__name__
            if exc.errno in UNTRIED:
                raise CannotProbe(f"could not try a TCP connection: {reason}") from None
            return reason
