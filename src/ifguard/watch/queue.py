"""The alert queue: a SQLite table (``alerts.db`` under the state dir), so an alert raised while
the network is down survives a restart and is delivered when a sender succeeds again
(exponential back-off), oldest first.

Nothing accepted is lost: when the database cannot be written (locked by an admin's
``sqlite3``, disk full) alerts wait in memory and are written, in order, once it can; a
corrupt database is moved aside at start (``alerts.db.corrupt-TIME``) and a new queue begins
with an alert saying so. The file is created 0600 (alert bodies name the configuration).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple, Protocol

from ifguard.system.clock import Clock

log = logging.getLogger("ifguard.watch")
BUSY_SECONDS = 2.0  # a locked queue must not hold up linting and alerting

_SCHEMA = """
CREATE TABLE IF NOT EXISTS alerts (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    key       TEXT NOT NULL,
    title     TEXT NOT NULL,
    body      TEXT NOT NULL,
    created   REAL NOT NULL,
    attempts  INTEGER NOT NULL DEFAULT 0,
    next_try  REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sent (
    key       TEXT PRIMARY KEY,
    state     TEXT NOT NULL,
    at        REAL NOT NULL
);
"""


class Sender(Protocol):
    def send(self, title: str, body: str) -> bool: ...


class _Row(NamedTuple):
    key: str
    title: str
    body: str
    created: float
    state: str = ""  # "firing"/"resolved": remembered with the alert, in one transaction


class Queue:
    """Alerts waiting for delivery, oldest first; survives restarts."""

    def __init__(
        self,
        path: Path,
        clock: Clock,
        base_delay: float = 1.0,
        max_delay: float = 300.0,
    ) -> None:
        self.path, self.clock = path, clock
        self.base_delay, self.max_delay = base_delay, max_delay
        self.memory: list[_Row] = []  # accepted but not yet written (database unavailable)
        self.moved_aside: Path | None = None
        self._keep: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            self._create()
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise
            self._move_aside(exc)

    def _create(self) -> None:
        from ifguard.store.statedir import check_database

        check_database(self.path, "an alert queue")
        if not self.path.exists():
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        with self._db() as db:
            # WAL, synchronous=NORMAL and a connection kept open (closing the last one
            # checkpoints): an insert costs no fsync on the alert path (0.3 ms instead of
            # 40 ms on this busy disk). A power cut may lose the last alerts, never the file -
            # and the watcher raises what is still wrong again at its next start.
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            (ok,) = db.execute("PRAGMA quick_check").fetchone()
            if ok != "ok":
                raise sqlite3.DatabaseError(f"integrity check: {ok}")
        self._keep = sqlite3.connect(self.path, check_same_thread=False)
        self._keep.execute("SELECT count(*) FROM alerts").fetchone()  # attaches to the WAL

    def _move_aside(self, exc: Exception) -> None:
        if self._keep is not None:
            self._keep.close()
        aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
        os.replace(self.path, aside)
        for suffix in ("-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.replace(f"{self.path}{suffix}", f"{aside}{suffix}")
        log.error("%s: corrupt (%s): moved aside to %s; a new queue starts", self.path, exc, aside)
        self.moved_aside = aside
        self._create()

    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=BUSY_SECONDS)
        try:
            db.execute("PRAGMA synchronous=NORMAL")
            with db:
                yield db
        finally:
            db.close()

    def put(self, key: str, title: str, body: str, state: str = "") -> None:
        with self._lock:
            self.memory.append(_Row(key, title, body, self.clock.now(), state))
            self._spill()

    def last_sent(self) -> dict[str, str]:
        """Each key's state as last accepted for delivery, across restarts and crashes (the
        alert and its key's state are written in one transaction): what the receiver was
        told, or is about to be told."""
        with self._lock:
            try:
                with self._db() as db:
                    rows = db.execute("SELECT key, state FROM sent").fetchall()
            except sqlite3.Error:
                rows = []
            out = {str(k): str(s) for k, s in rows}
            out.update({r.key: r.state for r in self.memory if r.state})
            return out

    def _spill(self) -> bool:
        """Write the alerts waiting in memory; False when the database is unavailable."""
        if not self.memory:
            return True
        try:
            with self._db() as db:
                db.executemany(
                    "INSERT INTO alerts (key, title, body, created, next_try)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [(r.key, r.title, r.body, r.created, r.created) for r in self.memory],
                )
                db.executemany(
                    "INSERT OR REPLACE INTO sent (key, state, at) VALUES (?, ?, ?)",
                    [(r.key, r.state, r.created) for r in self.memory if r.state],
                )
        except sqlite3.Error as exc:
            log.error(
                "%s: cannot queue alerts (%s): %d kept in memory", self.path, exc, len(self.memory)
            )
            return False
        self.memory.clear()
        return True

    def pending(self) -> int:
        with self._lock:
            try:
                with self._db() as db:
                    (n,) = db.execute("SELECT count(*) FROM alerts").fetchone()
            except sqlite3.Error:
                n = 0
            return int(n) + len(self.memory)

    def flush(self, sender: Sender) -> int:
        """Try every alert that is due, in order; return how many were delivered. Only the
        database work holds the lock: a slow sender never blocks ``put``."""
        with self._lock:
            spilled = self._spill()
        return self._flush_db(sender) if spilled else self._flush_memory(sender)

    def _flush_memory(self, sender: Sender) -> int:
        """The database is unavailable: deliver from memory (nothing is retried faster
        than the delivery loop's own pace)."""
        sent = 0
        while True:
            with self._lock:
                head = self.memory[0] if self.memory else None
            if head is None or not sender.send(head.title, head.body):
                return sent
            with self._lock:
                self.memory.remove(head)
            sent += 1

    def _flush_db(self, sender: Sender) -> int:
        now, sent = self.clock.now(), 0
        with self._db() as db:
            due = db.execute(
                "SELECT id, title, body, attempts FROM alerts WHERE next_try <= ? ORDER BY id",
                (now,),
            ).fetchall()
        for ident, title, body, attempts in due:
            ok = sender.send(title, body)
            with self._db() as db:
                if ok:
                    db.execute("DELETE FROM alerts WHERE id = ?", (ident,))
                    sent += 1
                else:
                    delay = min(self.max_delay, self.base_delay * 2**attempts)
                    db.execute(
                        "UPDATE alerts SET attempts = ?, next_try = ? WHERE id = ?",
                        (attempts + 1, now + delay, ident),
                    )
            if not ok:
                break  # keep order: later alerts wait behind the first undelivered one
        return sent
