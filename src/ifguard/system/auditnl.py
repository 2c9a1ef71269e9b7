"""The live audit records: the kernel's audit netlink socket, read-only multicast group.

``AUDIT_NLGRP_READLOG`` (group 1) receives a copy of every record the kernel emits, whether
or not auditd runs, without taking auditd's place; it needs CAP_AUDIT_READ. Nothing is
written to the audit subsystem here (the rules come from /etc/audit/rules.d, loaded by
auditd's augenrules). ``AuditSource`` is the protocol the watcher reads; tests pass a fake.
"""

from __future__ import annotations

import select
import socket
import struct
from typing import Protocol

from ifguard.system.audit import Record, parse

NETLINK_AUDIT = 9
AUDIT_NLGRP_READLOG = 1
_NLMSG = struct.Struct("=IHHII")  # len, type, flags, seq, pid


class AuditSource(Protocol):
    def read(self, timeout: float | None) -> list[Record]:
        """The records that arrived (waiting up to ``timeout`` s; None: until one does)."""
        ...

    def close(self) -> None: ...


def split_messages(data: bytes) -> list[tuple[int, str]]:
    """(type, text) of each netlink message in one datagram."""
    out: list[tuple[int, str]] = []
    off = 0
    while off + _NLMSG.size <= len(data):
        length, kind, _flags, _seq, _pid = _NLMSG.unpack_from(data, off)
        if length < _NLMSG.size:
            break
        body = data[off + _NLMSG.size : off + length]
        out.append((kind, body.rstrip(b"\0").decode("utf-8", "replace")))
        off += (length + 3) & ~3
    return out


class NetlinkAudit:
    """The multicast reader. Raises OSError when the kernel or the sandbox refuses it
    (no audit in a container, no CAP_AUDIT_READ)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_AUDIT)
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
            self.sock.bind((0, 1 << (AUDIT_NLGRP_READLOG - 1)))
        except OSError:
            self.sock.close()
            raise

    def read(self, timeout: float | None) -> list[Record]:
        ready, _, _ = select.select([self.sock], [], [], timeout)
        if not ready:
            return []
        out: list[Record] = []
        while True:
            try:
                data = self.sock.recv(65536, socket.MSG_DONTWAIT)
            except BlockingIOError:
                return out
            except OSError:  # ENOBUFS: records were lost (a burst); keep reading
                continue
            for kind, text in split_messages(data):
                rec = parse(text, kind)
                if rec is not None:
                    out.append(rec)

    def close(self) -> None:
        self.sock.close()
