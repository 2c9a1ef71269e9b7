"""What /proc says about a writer and its ancestors, and who holds a terminal (utmp).

Read only for the pid an audit record named and its ancestors: the writing process's own
program and command line, the ancestors' names only (never another process's command line).
``Procs`` is the protocol; ``ProcFs`` reads the host's /proc; tests pass a fake.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Proc:
    pid: int
    comm: str
    ppid: int
    start: int  # clock ticks since boot: with the pid, names a process without pid reuse


class Procs(Protocol):
    def stat(self, pid: int) -> Proc | None: ...
    def exe(self, pid: int) -> str | None: ...
    def cmdline(self, pid: int) -> str | None: ...


def parse_stat(pid: int, data: bytes) -> Proc | None:
    """/proc/PID/stat: the name is in parentheses and may contain spaces and parentheses."""
    head, _, rest = data.rpartition(b")")
    fields = rest.split()
    try:
        comm = head[head.index(b"(") + 1 :].decode("utf-8", "replace")
        if fields[0] in (b"Z", b"X"):  # gone: what it ran is no longer there to read
            return None
        return Proc(pid, comm, int(fields[1]), int(fields[19]))
    except (ValueError, IndexError):
        return None


class ProcFs:
    def __init__(self, base: str = "/proc") -> None:
        self.base = base

    def stat(self, pid: int) -> Proc | None:
        try:
            with open(f"{self.base}/{pid}/stat", "rb") as fh:
                return parse_stat(pid, fh.read())
        except OSError:
            return None

    def exe(self, pid: int) -> str | None:
        try:
            return os.readlink(f"{self.base}/{pid}/exe")
        except OSError:
            return None

    def cmdline(self, pid: int) -> str | None:
        try:
            with open(f"{self.base}/{pid}/cmdline", "rb") as fh:
                raw = fh.read(4096)
        except OSError:
            return None
        return raw.rstrip(b"\0").replace(b"\0", b" ").decode("utf-8", "replace") or None


def chain(procs: Procs, ppid: int, limit: int = 8) -> tuple[str, ...]:
    """The names of the ancestors from ``ppid`` up to the login (sshd, login, agetty, a
    systemd unit's main process) or pid 1, nearest first."""
    names: list[str] = []
    pid = ppid
    while pid > 1 and len(names) < limit:
        p = procs.stat(pid)
        if p is None:
            break
        names.append(p.comm)
        if p.comm in STOPS or p.comm.startswith(("sshd", "pvedaemon", "pveproxy")):
            break
        pid = p.ppid
    return tuple(names)


STOPS = frozenset({"sshd", "login", "agetty", "systemd", "cron", "apt", "apt-get"})

# struct utmp (glibc, x86-64): type, pid, line[32], id[4], user[32], host[256], ...
_UTMP = struct.Struct("<hi32s4s32s256s")
UTMP_SIZE = 384
USER_PROCESS = 7


def utmp_hosts(data: bytes) -> Mapping[str, str]:
    """Terminal (``pts/0``) -> the remote host of its login, from utmp bytes."""
    hosts: dict[str, str] = {}
    for off in range(0, len(data) - UTMP_SIZE + 1, UTMP_SIZE):
        kind, _pid, line, _id, _user, host = _UTMP.unpack_from(data, off)
        if kind != USER_PROCESS:
            continue
        name = line.split(b"\0", 1)[0].decode("utf-8", "replace")
        where = host.split(b"\0", 1)[0].decode("utf-8", "replace")
        if name and where:
            hosts[name] = where
    return hosts


def read_utmp(path: str = "/run/utmp") -> Mapping[str, str]:
    try:
        with open(path, "rb") as fh:
            return utmp_hosts(fh.read(UTMP_SIZE * 512))
    except OSError:
        return {}
