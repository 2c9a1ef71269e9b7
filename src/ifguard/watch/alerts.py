"""Alerts: deduplicated, rate-limited, queued on disk until delivered.

The queue is a SQLite table under the state dir, so an alert raised while the network is
down survives a restart and is delivered when a sender succeeds again (exponential back-off).
Delivery goes through a ``Sender`` (apprise in production, a fake in tests); URLs are only
ever shown redacted.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple, Protocol

_SECRET = re.compile(
    r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<auth>[^/@\s]*@)?(?P<rest>[^\s]*)", re.IGNORECASE
)
_QUERY_SECRET = re.compile(
    r"([?&](?:token|key|pass|password|secret|apikey)=)[^&\s]*", re.IGNORECASE
)

_HOST = re.compile(r"[A-Za-z0-9.-]+(:[0-9]+)?|\[[0-9A-Fa-f:.]+\](:[0-9]+)?")

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
"""


def redact(url: str) -> str:
    """``scheme://user:pass@host/path?token=x`` -> ``scheme://***@host/***?token=***``."""

    def one(m: re.Match[str]) -> str:
        rest = m.group("rest")
        host, sep, _path = rest.partition("/")
        host = _QUERY_SECRET.sub(r"\1***", host)
        if not _HOST.fullmatch(host.partition("?")[0]):
            host = "***"  # e.g. tgram://BOT_TOKEN/CHAT: the "host" is the secret
        auth = "***@" if m.group("auth") else ""
        return f"{m.group('scheme')}{auth}{host}{sep}{'***' if sep else ''}"

    return _SECRET.sub(one, url)


class Alert(NamedTuple):
    key: str  # what the alert is about, e.g. "config:/etc/network/interfaces"
    state: str  # "firing" or "resolved"; a repeat of the same (key, state) is dropped
    title: str
    body: str


class Sender(Protocol):
    def send(self, title: str, body: str) -> bool: ...


class Queue:
    """Alerts waiting for delivery, oldest first; survives restarts."""

    def __init__(
        self,
        path: Path,
        clock: Callable[[], float],
        base_delay: float = 1.0,
        max_delay: float = 300.0,
    ) -> None:
        self.path, self.clock = path, clock
        self.base_delay, self.max_delay = base_delay, max_delay
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with self._db() as db:
            db.executescript(_SCHEMA)

    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10)
        try:
            with db:
                yield db
        finally:
            db.close()

    def put(self, key: str, title: str, body: str) -> None:
        now = self.clock()
        with self._db() as db:
            db.execute(
                "INSERT INTO alerts (key, title, body, created, next_try) VALUES (?, ?, ?, ?, ?)",
                (key, title, body, now, now),
            )

    def pending(self) -> int:
        with self._db() as db:
            (n,) = db.execute("SELECT count(*) FROM alerts").fetchone()
        return int(n)

    def flush(self, sender: Sender) -> int:
        """Try every alert that is due, in order; return how many were delivered."""
        now, sent = self.clock(), 0
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


class Alerter:
    """Drops repeats of an alert's current state and rate-limits each key."""

    def __init__(self, queue: Queue, hostname: str, min_interval: float = 0.0) -> None:
        self.queue, self.hostname, self.min_interval = queue, hostname, min_interval
        self._state: dict[str, str] = {}
        self._last: dict[str, float] = {}

    def raise_(self, alert: Alert) -> bool:
        if self._state.get(alert.key) == alert.state:
            return False
        now = self.queue.clock()
        last = self._last.get(alert.key)
        if alert.state == "firing" and last is not None and now - last < self.min_interval:
            return False
        self._state[alert.key], self._last[alert.key] = alert.state, now
        self.queue.put(alert.key, f"[{self.hostname}] {alert.title}", alert.body)
        return True
