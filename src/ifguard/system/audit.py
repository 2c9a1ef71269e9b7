"""Linux audit records as text -> who wrote a guarded file (pure; no I/O).

A record is what the kernel sends on the audit netlink socket (message type + text) or one line
of ``/var/log/audit/audit.log`` (``type=SYSCALL msg=audit(1764683123.456:812): ...``). The
records of one event share the serial in ``audit(TIME:SERIAL)``; the kernel ends a syscall's
event with an EOE record. ``Assembler`` groups them; ``write_of`` turns one event of the
``ifguard`` key (a SYSCALL with its CWD, PATH and PROCTITLE records) into a ``Write``.
``login_of`` reads the address of a login from the USER_LOGIN / USER_START records that
sshd and login send (by session). See docs/attribution.md for what the records can and cannot
say.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

KEY = "ifguard"
# message types (linux/audit.h)
TYPES = {
    1006: "LOGIN",
    1105: "USER_START",
    1112: "USER_LOGIN",
    1300: "SYSCALL",
    1302: "PATH",
    1307: "CWD",
    1320: "EOE",
    1327: "PROCTITLE",
}
TYPE_NUMBERS = {v: k for k, v in TYPES.items()}
UNSET = 4294967295  # auid/ses of a process that never logged in
_HEADER = re.compile(r"^(?:type=(\w+) )?(?:msg=)?audit\((\d+)\.(\d+):(\d+)\): ?")
_FIELD = re.compile(r"""([\w-]+)=("[^"]*"|'[^']*'|\S*)""")
_HEX = re.compile(r"^(?:[0-9A-F]{2})+$")
# syscalls of a write, by number on x86-64 (arch=c000003e); other architectures: the number
_SYSCALLS = {
    "2": "open",
    "257": "openat",
    "437": "openat2",
    "82": "rename",
    "264": "renameat",
    "316": "renameat2",
    "76": "truncate",
    "77": "ftruncate",
    "86": "link",
    "87": "unlink",
    "263": "unlinkat",
    "90": "chmod",
    "91": "fchmod",
    "92": "chown",
    "93": "fchown",
    "188": "setxattr",
    "190": "fsetxattr",
    "260": "fchownat",
    "268": "fchmodat",
}
X86_64 = "c000003e"
O_APPEND, O_TRUNC = 0o2000, 0o1000


@dataclass(frozen=True)
class Record:
    type: str
    time: float
    serial: int
    fields: Mapping[str, str]


@dataclass
class Event:
    serial: int
    time: float
    records: list[Record] = field(default_factory=list)

    def first(self, kind: str) -> Record | None:
        return next((r for r in self.records if r.type == kind), None)


@dataclass(frozen=True)
class Write:
    """One write (open for writing, rename, truncate, ...) to a guarded path, as the kernel
    recorded it. ``comm``/``exe``: the process at the moment of the syscall (a shell's forked
    child before it runs the command, for ``cmd >> file``)."""

    time: float
    serial: int
    syscall: str
    success: bool
    pid: int
    ppid: int
    uid: int
    auid: int | None  # the login uid, kept across sudo and su (None: not logged in)
    ses: int | None
    tty: str | None
    comm: str
    exe: str
    proctitle: str
    cwd: str
    paths: tuple[str, ...]  # the names the event touched (created / deleted / ...), absolute
    flags: int | None = None  # open flags (O_APPEND, O_TRUNC...) of an open/openat
    target: str = ""  # the file written: a rename's destination, else the first name
    source: str | None = None  # a rename's source (``sedXyZ12``, ``interfaces.new``)

    @property
    def verb(self) -> str:
        if self.syscall.startswith("rename"):
            return "renamed over"
        if self.syscall in ("truncate", "ftruncate"):
            return "truncated"
        if self.syscall.startswith("unlink"):
            return "deleted"
        if self.flags is not None:
            if self.flags & O_APPEND:
                return "appended to"
            if self.flags & O_TRUNC:
                return "overwritten"
        return "written"


# the fields the kernel writes as an untrusted string: quoted, or hex when they hold spaces,
# quotes or control characters (numbers like pid=1252 are never decoded)
STRINGS = frozenset(
    {"comm", "exe", "proctitle", "name", "cwd", "key", "acct", "hostname", "terminal", "cmd"}
)


def decode(value: str, string: bool = True) -> str:
    """A field's value: quoted as is; for a string field, unquoted hex decoded (NULs shown as
    spaces); anything else as it is."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    if string and len(value) >= 2 and _HEX.match(value):
        raw = bytes.fromhex(value)
        return raw.replace(b"\0", b" ").decode("utf-8", "replace").strip()
    return value


def parse(text: str, kind: int | str | None = None) -> Record | None:
    """One record: an audit.log line (``type=`` in the text) or a netlink message's text with
    its numeric type. None for text that is not an audit record."""
    m = _HEADER.match(text.strip())
    if m is None:
        return None
    name = m.group(1)
    if name is None:
        name = TYPES.get(kind, str(kind)) if isinstance(kind, int) else (kind or "UNKNOWN")
    stamp = float(f"{m.group(2)}.{m.group(3)}")
    body = text.strip()[m.end() :]
    fields: dict[str, str] = {}
    for key, value in _FIELD.findall(body):
        if key == "msg" and value.startswith("'"):  # a user message: its own fields inside
            for k, v in _FIELD.findall(value[1:-1]):
                fields.setdefault(k, decode(v, k in STRINGS))
            continue
        fields.setdefault(key, decode(value, key in STRINGS))
    return Record(name, stamp, int(m.group(4)), fields)


class Assembler:
    """Records in, whole events out: an event is complete at its EOE record, or when a record
    of a later serial arrives (user messages have no EOE), or at ``flush``."""

    def __init__(self, keep: int = 64) -> None:
        self.open: dict[int, Event] = {}
        self.keep = keep

    def add(self, record: Record) -> Iterator[Event]:
        event = self.open.setdefault(record.serial, Event(record.serial, record.time))
        if record.type != "EOE":
            event.records.append(record)
        if record.type == "EOE" or record.type in {"USER_LOGIN", "USER_START", "LOGIN"}:
            yield self.open.pop(record.serial)
        # events older than a window of serials are complete (a lost EOE)
        for serial in sorted(self.open):
            if serial < record.serial - self.keep:
                yield self.open.pop(serial)

    def flush(self) -> Iterator[Event]:
        for serial in sorted(self.open):
            yield self.open.pop(serial)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _hexint(value: str | None) -> int | None:
    try:
        return int(value, 16) if value is not None else None
    except ValueError:
        return None


def _id(value: str | None) -> int | None:
    n = _int(value)
    return None if n is None or n == UNSET else n


def _syscall(arch: str, number: str) -> str:
    name = _SYSCALLS.get(number) if arch == X86_64 else None
    return name or f"syscall {number}"


def write_of(event: Event, key: str = KEY) -> Write | None:
    """The guarded write an event records, or None (another key, not a syscall)."""
    sc = event.first("SYSCALL")
    if sc is None or decode(sc.fields.get("key", "")) != key:
        return None
    f = sc.fields
    cwd = event.first("CWD")
    title = event.first("PROCTITLE")
    where = cwd.fields.get("cwd", "") if cwd else ""
    named = [
        (absolute(r.fields["name"], where), r.fields.get("nametype", ""))
        for r in event.records
        if r.type == "PATH" and r.fields.get("name") and r.fields.get("nametype") != "PARENT"
    ]
    paths = tuple(dict.fromkeys(n for n, _ in named))
    tty = f.get("tty")
    syscall = _syscall(f.get("arch", ""), f.get("syscall", "?"))
    flag_arg = {"open": "a1", "openat": "a2"}.get(syscall)
    flags = _hexint(f.get(flag_arg)) if flag_arg else None
    target, source = (paths[0] if paths else ""), None
    if syscall.startswith("rename"):  # PATH items: parents, the source, the old and new target
        created = [n for n, kind in named if kind == "CREATE"]
        deleted = [n for n, kind in named if kind == "DELETE"]
        target = created[-1] if created else deleted[-1] if len(deleted) > 1 else target
        source = next((n for n, kind in named if kind == "DELETE" and n != target), None)
    return Write(
        time=event.time,
        serial=event.serial,
        syscall=syscall,
        success=f.get("success", "yes") == "yes",
        pid=_int(f.get("pid")) or 0,
        ppid=_int(f.get("ppid")) or 0,
        uid=_int(f.get("uid")) or 0,
        auid=_id(f.get("auid")),
        ses=_id(f.get("ses")),
        tty=None if tty in (None, "(none)") else tty,
        comm=f.get("comm", "?"),
        exe=f.get("exe", "?"),
        proctitle=title.fields.get("proctitle", "") if title else "",
        cwd=where,
        paths=paths,
        flags=flags,
        target=target,
        source=source,
    )


def absolute(name: str, cwd: str) -> str:
    """A PATH record's name as given to the syscall, made absolute with the CWD record."""
    if name.startswith("/") or not cwd.startswith("/"):
        return name
    return posixpath.normpath(posixpath.join(cwd, name))


@dataclass(frozen=True)
class Login:
    ses: int
    auid: int | None
    addr: str | None  # the client's address (None: a local login)
    terminal: str | None


def login_of(event: Event) -> Login | None:
    """The session a login record opens (sshd's and login's USER_LOGIN / USER_START)."""
    rec = event.first("USER_LOGIN") or event.first("USER_START")
    if rec is None:
        return None
    f = rec.fields
    ses = _id(f.get("ses"))
    if ses is None or f.get("res", "success") not in ("success", "1"):
        return None
    addr = f.get("addr")
    auid = _id(f.get("auid")) if _id(f.get("auid")) is not None else _id(f.get("id"))
    return Login(ses, auid, None if addr in (None, "?", "") else addr, f.get("terminal"))


def remember(logins: dict[int, Login], login: Login) -> None:
    """Keep a session's login: sudo and su open PAM sessions in the same audit session
    without an address; the address of the login that started the session stays."""
    known = logins.get(login.ses)
    if known is None or known.addr is None or login.addr is not None:
        logins[login.ses] = login
