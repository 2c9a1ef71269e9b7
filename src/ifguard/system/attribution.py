"""Who wrote a guarded file: an audit ``Write`` with what /proc and the login records add,
as one line of text and as JSON. Pure (the reading is done by the caller)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ifguard.system.audit import Login, Write

UNKNOWN = "unknown writer"
API = ("pveproxy", "pvedaemon", "pvedaemon worke", "pveproxy worker")


@dataclass(frozen=True)
class Attribution:
    write: Write
    program: str | None  # what the writing pid ran when it was read (e.g. ``ip -o link``)
    program_exe: str | None
    chain: tuple[str, ...]  # the ancestors' names, nearest first (``bash``, ``sshd``)
    login: str | None  # the login user's name (from the audit login uid)
    user: str | None  # the user the process ran as, when it differs from the login user
    addr: str | None  # the SSH client address of the session
    seen: float = 0.0  # when the reader had the record (unix time; its delay, measured)

    @property
    def via_api(self) -> bool:
        names = (self.write.comm, *self.chain)
        return any(n.startswith(("pveproxy", "pvedaemon")) for n in names)

    def text(self, path: str | None = None) -> str:
        w = self.write
        where = path or w.target or "a guarded file"
        if w.source and not path:
            where += f" (from {w.source})"
        if self.program and self.program_exe and self.program_exe != w.exe:
            who = f"`{self.program}` (pid {w.pid}, run by {w.comm})"
        elif self.program:
            who = f"`{self.program}` (pid {w.pid})"
        else:
            who = f"{w.comm} (pid {w.pid}, {w.exe})"
        parts = [f"{where} {w.verb} by {who}"]
        if self.chain:
            parts[0] += " <- " + " <- ".join(self.chain)
        if self.via_api:
            parts.append("via the Proxmox API")
        if w.auid is not None:
            login = f"login {self.login or '?'} (uid {w.auid})"
            if self.user:
                login += f" as {self.user}"
            parts.append(login)
        else:
            parts.append("no login (a service)")
        if w.ses is not None:
            parts.append(f"session {w.ses}")
        if w.tty:
            parts.append(w.tty)
        if self.addr:
            parts.append(f"from {self.addr}")
        if not w.success:
            parts.append("(the call failed)")
        return ", ".join(parts)

    def short(self) -> str:
        """One line for the console (80 columns): program, login, address."""
        w = self.write
        prog = (self.program or w.comm).split(" ")[0]
        who = self.login or ("service" if w.auid is None else f"uid {w.auid}")
        out = f"{prog} by {who}"
        if self.via_api:
            out += " via the Proxmox API"
        if self.addr:
            out += f" from {self.addr}"
        return out

    def as_json(self) -> dict[str, Any]:
        w = self.write
        return {
            "time": w.time,
            "paths": list(w.paths),
            "target": w.target,
            "source": w.source,
            "action": w.verb,
            "syscall": w.syscall,
            "pid": w.pid,
            "comm": w.comm,
            "exe": w.exe,
            "program": self.program,
            "chain": list(self.chain),
            "login": self.login,
            "auid": w.auid,
            "uid": w.uid,
            "session": w.ses,
            "tty": w.tty,
            "addr": self.addr,
            "via_proxmox_api": self.via_api,
            "text": self.text(),
            "seen": self.seen,
        }


def attribute(
    write: Write,
    *,
    program: str | None,
    program_exe: str | None,
    chain: tuple[str, ...],
    names: Mapping[int, str],
    logins: Mapping[int, Login],
    tty_hosts: Mapping[str, str],
    seen: float = 0.0,
) -> Attribution:
    """Join a write with what was read about it: the program its pid ran, its ancestors, the
    login user's name (``names``: uid -> name), the session's client address (the login
    record of its session, else utmp's host of its terminal)."""
    login = names.get(write.auid) if write.auid is not None else None
    user = names.get(write.uid, f"uid {write.uid}") if write.uid != write.auid else None
    addr = None
    if write.ses is not None and write.ses in logins:
        addr = logins[write.ses].addr
    if addr is None and write.tty and write.tty.startswith("pts"):
        addr = tty_hosts.get("pts/" + write.tty[3:])
    return Attribution(write, program, program_exe, chain, login, user, addr, seen)


def who_line(items: list[Attribution], available: bool) -> str:
    """The alert's and the history's line: each distinct writer once."""
    if not items:
        return UNKNOWN + ("" if available else " (Linux audit unavailable here)")
    seen: list[str] = []
    for a in items:
        t = a.text()
        if t not in seen:
            seen.append(t)
    return "\n".join(seen)
