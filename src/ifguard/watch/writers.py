"""Who wrote the guarded files: the watcher's reader of the kernel's audit records.

A thread reads the audit netlink multicast group (``system.auditnl``), keeps the login
records' client addresses by session, and turns each event of the ``ifguard`` key (the
rules in /etc/audit/rules.d/ifguard.rules) into an ``Attribution``: the record itself, then at
once what /proc still shows of the writing pid (for ``cmd >> file`` the shell opens the file
in its forked child, which then runs ``cmd``: the pid is followed until it runs another
program or is gone) and the names of its ancestors. The daemon takes them on its next check.

Where audit is unavailable (a container, no CAP_AUDIT_READ, attribution turned off) every
change is "unknown writer", and the watcher says why once in its log.
"""

from __future__ import annotations

import collections
import logging
import pwd
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ifguard.system.attribution import UNKNOWN, Attribution, attribute, who_line
from ifguard.system.audit import Assembler, Event, Login, login_of, remember, write_of
from ifguard.system.auditnl import AuditSource
from ifguard.system.procview import Procs, chain, read_utmp

log = logging.getLogger("ifguard.watch")
FOLLOW = 0.3  # seconds: how long the writing pid is followed for the program it runs
STEP = 0.002
KEEP = 64  # attributions kept until the daemon takes them
SESSIONS = 256  # login records kept (session -> address)


def user_name(uid: int) -> str | None:
    try:
        return pwd.getpwuid(uid).pw_name
    except (KeyError, OverflowError):
        return None


def follow(procs: Procs, pid: int, exe: str, until: float) -> tuple[str | None, str | None, bool]:
    """(command line, executable, gone) of ``pid`` after the audited syscall: the first other
    program it runs before ``until``, else what it still runs; gone: exited before it
    could be read at all."""
    first = procs.stat(pid)
    if first is None:
        return None, None, True
    while True:
        now = procs.stat(pid)
        if now is None or now.start != first.start:
            return None, None, False
        current = procs.exe(pid)
        if current is not None and current != exe:
            return procs.cmdline(pid), current, False
        if time.monotonic() >= until:
            return procs.cmdline(pid), current, False
        time.sleep(STEP)


class Writers:
    def __init__(
        self,
        source: Callable[[], AuditSource] | None,
        procs: Procs,
        names: Callable[[int], str | None] = user_name,
        utmp: Callable[[], dict[str, str]] | None = None,
        follow_s: float = FOLLOW,
    ) -> None:
        self.opener, self.procs, self.names = source, procs, names
        self.utmp = utmp or (lambda: dict(read_utmp()))
        self.follow_s = follow_s
        self.available = False
        self.why = "attribution is turned off ([watch] attribution = false)"
        self.source: AuditSource | None = None
        self.logins: collections.OrderedDict[int, Login] = collections.OrderedDict()
        self.recent: collections.deque[Attribution] = collections.deque(maxlen=KEEP)
        self.cond = threading.Condition()
        self.busy = False
        self.stopped = threading.Event()
        self.counts: collections.Counter[str] = collections.Counter()
        self.armed = False  # a record of the rules' key was seen: they are loaded
        self.last: Attribution | None = None  # the newest writer a change was given

    def open(self) -> bool:
        if self.opener is None:
            log.warning("attribution: %s: changes are reported as 'unknown writer'", self.why)
            return False
        try:
            self.source = self.opener()
        except OSError as exc:
            self.why = f"Linux audit unavailable ({exc.strerror or exc})"
            log.warning("attribution: %s: changes are reported as 'unknown writer'", self.why)
            return False
        self.available = True
        return True

    def start(self) -> None:
        if self.open():
            threading.Thread(target=self.run, name="ifguard-audit", daemon=True).start()

    def run(self) -> None:
        assert self.source is not None
        assembler = Assembler()
        while not self.stopped.is_set():
            try:
                records = self.source.read(1.0)
            except OSError as exc:
                log.error("attribution: reading the audit records failed: %s", exc)
                self.stopped.wait(5)
                continue
            for record in records:
                for event in assembler.add(record):
                    self.handle(event)
            if not records:  # a second without records: what is open is whole (no EOE came)
                for event in assembler.flush():
                    self.handle(event)

    def handle(self, event: Event) -> None:
        login = login_of(event)
        if login is not None:
            remember(self.logins, login)
            while len(self.logins) > SESSIONS:
                self.logins.popitem(last=False)
            return
        write = write_of(event)
        if write is None:
            return
        with self.cond:
            self.busy = True
        try:
            cmdline, exe, _gone = follow(
                self.procs, write.pid, write.exe, time.monotonic() + self.follow_s
            )
            names = {
                uid: n
                for uid in {write.auid, write.uid}
                if uid is not None and (n := self.names(uid))
            }
            hosts = self.utmp() if write.tty and write.tty.startswith("pts") else {}
            item = attribute(
                write,
                program=cmdline,
                program_exe=exe,
                chain=chain(self.procs, write.ppid),
                names=names,
                logins=self.logins,
                tty_hosts=hosts,
                seen=time.time(),
            )
        finally:
            with self.cond:
                self.busy = False
                self.cond.notify_all()
        with self.cond:
            self.recent.append(item)
            self.counts[kind_of(item)] += 1
            self.armed = True
            self.cond.notify_all()
        log.info("written: %s", item.text())

    def take(self, wait: float | None = None) -> list[Attribution]:
        """The attributions not taken yet; waits up to ``wait`` s (None: WAIT, or WAIT_ARMED
        once the rules are known to be loaded) for one to arrive (a change seen by inotify
        an instant before its audit record) and while one is being read."""
        if not self.available:
            return []
        if wait is None:
            wait = WAIT_ARMED if self.armed else WAIT
        deadline = time.monotonic() + wait
        with self.cond:
            while (not self.recent or self.busy) and time.monotonic() < deadline:
                self.cond.wait(max(0.0, deadline - time.monotonic()))
            out = list(self.recent)
            self.recent.clear()
            return out

    def stop(self) -> None:
        self.stopped.set()
        if self.source is not None:
            self.source.close()


def kind_of(item: Attribution) -> str:
    """The metric's label: what kind of change (never who)."""
    return {
        "appended to": "append",
        "overwritten": "overwrite",
        "renamed over": "rename",
        "truncated": "truncate",
        "deleted": "delete",
    }.get(item.write.verb, "write")


# seconds a change waits for its writer's record: the alert's added latency. The record is
# sent at the syscall's exit, before inotify's event; the wait covers the FOLLOW of a
# redirect's program. Where the audit socket opens but no rule sends records (the namespace
# lab, a host whose auditd is stopped) every change pays it in full: 1.0 s took the console
# lab's alert to 1.21 s, past the 1 s promise. Once a record of the rules was seen they are
# loaded and a change without one is rare (a file the rules do not cover): the wait is longer
# there, for a slow host's reader (the loaded TCG guest: its delay is the VM test's figure
# "record read after"), and ends as soon as the record is in.
WAIT = FOLLOW + 0.1
WAIT_ARMED = FOLLOW + 1.2
CONTINUED = 10.0  # seconds: a change without a record of its own after an open for writing


@dataclass(frozen=True)
class Written:
    """Who made one change the watcher saw: for the alert, the history and the status."""

    items: tuple[Attribution, ...]
    line: str  # "written: ..." (the alert's last lines)
    short: str  # one line for the console summary
    detail: Mapping[str, Any]  # the history event
    counts: Mapping[str, int]  # changes so far by kind (the metric; never by user)
    fresh: bool = True  # False: no record of this change (unknown, or the same opening)


def who_of(writers: Writers | None, changed: bool) -> Written | None:
    """The writers of a change inotify reported (None: attribution not asked for, or the
    check was not caused by a change). A change without a record of its own, a few seconds
    after a writer opened the file, is that writer still writing (audit records the open,
    not each write: a slow writer's output comes as several changes): said as such."""
    if writers is None or not changed:
        return None
    items = tuple(writers.take())
    if items:
        writers.last = items[-1]
        last = items[-1]
        detail: dict[str, Any] = {"writer": last.short(), "text": who_line(list(items), True)}
        detail["writes"] = [a.as_json() for a in items]
        lines = "\n".join("written: " + t for t in who_line(list(items), True).splitlines())
        return Written(items, lines, last.short(), detail, dict(writers.counts))
    prev = writers.last
    recent = prev is not None and 0 <= time.time() - prev.write.time <= CONTINUED
    if prev is not None and recent and prev.write.verb != "renamed over":
        text = f"{prev.text()} (continued: no audit record of its own)"
        detail = {"writer": prev.short(), "text": text, "continued": True}
        detail["writes"] = [prev.as_json()]
        return Written((prev,), f"written: {text}", prev.short(), detail, {}, False)
    text = who_line([], writers.available)
    if not writers.available:
        text = f"{UNKNOWN} ({writers.why})"
    detail = {"writer": UNKNOWN, "text": text}
    return Written((), f"written by: {text}", UNKNOWN, detail, {}, False)


def settle(writers: Writers, written: Written) -> Mapping[str, int]:
    """Count a change the watcher kept (an unknown writer: here; a record: when read) and
    return the counts so far (the metric)."""
    if not written.items:
        writers.counts["unknown"] += 1
    return dict(writers.counts)
