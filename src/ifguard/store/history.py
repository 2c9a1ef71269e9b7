"""History: every configuration version ifguard has seen or applied, and what happened to it.

A SQLite database (stdlib ``sqlite3``), by default ``/var/lib/ifguard/history.db`` under the
root; the directory is created with mode 0700 and the database file is 0600 (it holds whole
configuration files). Safe under concurrent use by several processes (``apply``, its guardian,
``watch``): WAL journal, a busy timeout, one short transaction per call, a fresh connection per
call (no shared connection state across ``fork``). A crash leaves either the old or the new row.

API (stable; ``watch`` and ``apply`` use it)::

    h = History(path, clock=SystemClock())
    vid = h.record_version({"/etc/network/interfaces": b"..."}, source="watch",
                           errors=0, warnings=1)          # dedup by content hash -> same id
    h.mark_known_good(vid)
    h.last_known_good() -> Version | None                # newest version marked known-good
    h.get(vid) -> Version | None
    h.find(hash_prefix_or_id: str) -> Version | None     # for `ifguard diff/restore`
    h.versions(limit=50) -> list[Version]                # newest (last seen) first
    h.record_probes(vid, {...})                          # latest probe results of a version
    h.record_event("apply-started", {"txn": "..."}, version_id=vid) -> event id
    h.events(limit=50, kind=None) -> list[Event]         # newest first

``source`` is one of ``SOURCES`` (apply, watch, boot, restore, rollback, snapshot, candidate);
event kinds are free-form strings (``apply-started``, ``apply-confirmed``,
``apply-rolled-back``, ``alert``...). ``Version.files`` maps the path as the host sees it
(``/etc/network/interfaces``) to its bytes, in the order the host reads them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ifguard.system.clock import Clock, SystemClock
from ifguard.system.errors import UsageError
from ifguard.system.paths import STATE_DIR
from ifguard.system.root import Root

DEFAULT_PATH = f"{STATE_DIR}/history.db"
SOURCES = frozenset({"apply", "watch", "boot", "restore", "rollback", "snapshot", "candidate"})
_BUSY_MS = 10_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS versions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    hash        TEXT NOT NULL UNIQUE,
    created     REAL NOT NULL,
    last_seen   REAL NOT NULL,
    source      TEXT NOT NULL,
    errors      INTEGER NOT NULL,
    warnings    INTEGER NOT NULL,
    known_good  INTEGER NOT NULL DEFAULT 0,
    good_since  REAL,
    probes      TEXT
);
CREATE TABLE IF NOT EXISTS files (
    version_id  INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    path        TEXT NOT NULL,
    content     BLOB NOT NULL,
    PRIMARY KEY (version_id, seq)
);
CREATE TABLE IF NOT EXISTS events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    time        REAL NOT NULL,
    kind        TEXT NOT NULL,
    version_id  INTEGER REFERENCES versions(id),
    detail      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_kind ON events(kind, id);
CREATE INDEX IF NOT EXISTS versions_seen ON versions(last_seen, id);
"""


@dataclass(frozen=True)
class Version:
    id: int
    hash: str
    created: float
    last_seen: float
    source: str
    errors: int
    warnings: int
    known_good: bool
    files: Mapping[str, bytes] = field(default_factory=dict)
    probes: Mapping[str, Any] | None = None
    good_since: float | None = None  # when it was marked known-good

    @property
    def short(self) -> str:
        return self.hash[:12]


@dataclass(frozen=True)
class Event:
    id: int
    time: float
    kind: str
    version_id: int | None
    detail: Mapping[str, Any]


def content_hash(files: Mapping[str, bytes]) -> str:
    """SHA-256 over (path, content) pairs in order: the identity of a version."""
    h = hashlib.sha256()
    for path, data in files.items():
        encoded = path.encode("utf-8", "surrogateescape")
        h.update(len(encoded).to_bytes(8, "big") + encoded)
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


class History:
    def __init__(self, path: Path, clock: Clock | None = None, *, busy_ms: int = _BUSY_MS) -> None:
        self.path = Path(path)
        self._clock = clock or SystemClock()
        self._busy_ms = busy_ms  # how long to wait for another writer's lock
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        from ifguard.store.statedir import check_database

        check_database(self.path, "a history database")
        if not self.path.exists():
            fd = os.open(self.path, os.O_CREAT | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
            os.close(fd)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    @contextlib.contextmanager
    def _connect(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=self._busy_ms / 1000, isolation_level=None)
        try:
            db.execute(f"PRAGMA busy_timeout={int(self._busy_ms)}")
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA synchronous=FULL")
            if write:
                db.execute("BEGIN IMMEDIATE")
                try:
                    yield db
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
            else:
                yield db
        finally:
            db.close()

    # --- versions -------------------------------------------------------------------------

    def record_version(
        self, files: Mapping[str, bytes], *, source: str, errors: int, warnings: int
    ) -> int:
        """Store a version (or find the same content already stored); returns its id."""
        digest = content_hash(files)
        now = self._clock.now()
        with self._connect(write=True) as db:
            row = db.execute("SELECT id FROM versions WHERE hash = ?", (digest,)).fetchone()
            if row is not None:
                db.execute("UPDATE versions SET last_seen = ? WHERE id = ?", (now, row[0]))
                return int(row[0])
            cur = db.execute(
                "INSERT INTO versions (hash, created, last_seen, source, errors, warnings)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (digest, now, now, source, errors, warnings),
            )
            vid = int(cur.lastrowid or 0)
            db.executemany(
                "INSERT INTO files (version_id, seq, path, content) VALUES (?, ?, ?, ?)",
                [(vid, n, p, bytes(d)) for n, (p, d) in enumerate(files.items())],
            )
            return vid

    def mark_known_good(self, version_id: int) -> None:
        with self._connect(write=True) as db:
            db.execute(
                "UPDATE versions SET known_good = 1, good_since = ? WHERE id = ?",
                (self._clock.now(), version_id),
            )

    def record_probes(self, version_id: int, probes: Mapping[str, Any]) -> None:
        with self._connect(write=True) as db:
            db.execute(
                "UPDATE versions SET probes = ? WHERE id = ?",
                (json.dumps(probes, sort_keys=True, default=str), version_id),
            )

    def last_known_good(self) -> Version | None:
        with self._connect() as db:
            row = db.execute(
                "SELECT id FROM versions WHERE known_good = 1"
                " ORDER BY good_since DESC, id DESC LIMIT 1"
            ).fetchone()
        return self.get(int(row[0])) if row else None

    def get(self, version_id: int) -> Version | None:
        if not 0 <= version_id < 2**63:
            return None  # not an SQLite integer: no such version
        with self._connect() as db:
            row = db.execute(
                f"SELECT {_VERSION_COLUMNS} FROM versions WHERE id = ?", (version_id,)
            ).fetchone()
            if row is None:
                return None
            files = {
                p: bytes(c)
                for p, c in db.execute(
                    "SELECT path, content FROM files WHERE version_id = ? ORDER BY seq",
                    (version_id,),
                )
            }
        return _version(row, files)

    def find(self, ref: str) -> Version | None:
        """A version by id (``12``) or by a unique hash prefix (at least 4 hex digits)."""
        ref = ref.strip().lower()
        if not ref.isascii():
            return None  # `٢` is not version 2: ids and hashes are ASCII
        if ref.isdigit() and int(ref) < 2**63:  # (larger: not an SQLite integer)
            found = self.get(int(ref))
            if found is not None:
                return found
        if len(ref) < 4 or any(c not in "0123456789abcdef" for c in ref):
            return None
        with self._connect() as db:
            rows = db.execute(
                "SELECT id FROM versions WHERE hash LIKE ? LIMIT 2", (ref + "%",)
            ).fetchall()
        return self.get(int(rows[0][0])) if len(rows) == 1 else None

    def versions(self, limit: int = 50) -> list[Version]:
        """Newest (most recently seen) first, without file contents (use ``get`` for those)."""
        with self._connect() as db:
            rows = db.execute(
                f"SELECT {_VERSION_COLUMNS} FROM versions ORDER BY last_seen DESC, id DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [_version(r, {}) for r in rows]

    # --- events ---------------------------------------------------------------------------

    def record_event(
        self, kind: str, detail: Mapping[str, object], version_id: int | None = None
    ) -> int:
        with self._connect(write=True) as db:
            cur = db.execute(
                "INSERT INTO events (time, kind, version_id, detail) VALUES (?, ?, ?, ?)",
                (
                    self._clock.now(),
                    kind,
                    version_id,
                    json.dumps(dict(detail), sort_keys=True, default=str),
                ),
            )
            return int(cur.lastrowid or 0)

    def count_events(self, kind: str) -> int:
        with self._connect() as db:
            row = db.execute("SELECT COUNT(*) FROM events WHERE kind = ?", (kind,)).fetchone()
        return int(row[0])

    def events(self, limit: int = 50, kind: str | None = None) -> list[Event]:
        """Newest first; ``kind`` filters on one event kind."""
        query = "SELECT id, time, kind, version_id, detail FROM events"
        params: tuple[object, ...] = ()
        if kind is not None:
            query += " WHERE kind = ?"
            params = (kind,)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY id DESC LIMIT ?", (*params, limit)).fetchall()
        return [
            Event(
                int(r[0]),
                float(r[1]),
                str(r[2]),
                None if r[3] is None else int(r[3]),
                json.loads(r[4]),
            )
            for r in rows
        ]


_VERSION_COLUMNS = (
    "id, hash, created, last_seen, source, errors, warnings, known_good, probes, good_since"
)


def _version(row: tuple[Any, ...], files: Mapping[str, bytes]) -> Version:
    return Version(
        id=int(row[0]),
        hash=str(row[1]),
        created=float(row[2]),
        last_seen=float(row[3]),
        source=str(row[4]),
        errors=int(row[5]),
        warnings=int(row[6]),
        known_good=bool(row[7]),
        files=files,
        probes=None if row[8] is None else json.loads(row[8]),
        good_since=None if row[9] is None else float(row[9]),
    )


def default_path(root: Root) -> Path:
    """``/var/lib/ifguard/history.db`` under a root."""
    return root.path(DEFAULT_PATH)


def open_history(state_dir: Path) -> History:
    """The history of a state directory; a directory that cannot be used is a usage error."""
    try:
        return History(state_dir / "history.db")
    except (OSError, sqlite3.Error) as exc:
        raise UsageError(
            f"{state_dir / 'history.db'}: cannot open the history: "
            f"{getattr(exc, 'strerror', None) or exc} (run as root?)"
        ) from None
