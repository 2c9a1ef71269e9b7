"""The history as the watcher uses it: no store error ever stops linting or alerting.

A locked database (an admin's ``sqlite3``, a long ``ifguard history`` export), a full disk or
a damaged file makes a call fail after a short busy wait; the watcher goes on with what it
knows, alerts once about the store ("history unavailable"), retries the failed recording with
a growing back-off (1 s .. 60 s) and resolves the alert once the store works again.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from ifguard.system.clock import Clock
from ifguard.watch.alerts import FIRING, RESOLVED, Alert

log = logging.getLogger("ifguard.watch")
KEY = "store"
RECORD = "recording a version"
MAX_BACKOFF = 60.0


class History(Protocol):
    def record_version(
        self, files: Mapping[str, bytes], *, source: str, errors: int, warnings: int
    ) -> int: ...
    def count_events(self, kind: str) -> int: ...
    def mark_known_good(self, version_id: int) -> None: ...
    def last_known_good(self) -> Any: ...
    def record_event(
        self, kind: str, detail: Mapping[str, object], version_id: int | None = None
    ) -> int: ...


class StoreGuard:
    def __init__(self, open_history: Callable[[], History], clock: Clock, where: str) -> None:
        self._open, self.clock, self.where = open_history, clock, where
        self._history: History | None = None
        self._lock = threading.Lock()
        self.failing: str | None = None  # the last error while the store is unavailable
        self._alerted = False
        self._retry_at: float | None = None
        self._backoff = 1.0
        self._unrecorded: tuple[Mapping[str, bytes], int, int] | None = None
        self.alerts: list[Alert] = []  # store alerts raised since the last take_alerts()

    def _call(self, what: str, fn: Callable[[History], Any]) -> tuple[bool, Any]:
        with self._lock:
            try:
                if self._history is None:
                    self._history = self._open()
                value = fn(self._history)
            except (sqlite3.Error, OSError) as exc:
                self._failed(what, exc)
                return False, None
            if what == RECORD or self._unrecorded is None:  # a read proves no write
                self._worked()
            return True, value

    def _failed(self, what: str, exc: Exception) -> None:
        now = self.clock.now()
        self.failing = f"{what}: {exc}"
        log.error("history %s unavailable (%s): %s", self.where, what, exc)
        self._retry_at = now + self._backoff
        self._backoff = min(MAX_BACKOFF, self._backoff * 2)
        if not self._alerted:
            self._alerted = True
            self.alerts.append(
                Alert(
                    KEY,
                    FIRING,
                    "history database unavailable",
                    f"{self.where}: {what}: {exc}. The watcher keeps linting and alerting; "
                    "versions are recorded once the database can be written again "
                    "(locked by another program? disk full? damaged?).",
                )
            )

    def _worked(self) -> None:
        if self._alerted:
            self.alerts.append(
                Alert(KEY, RESOLVED, "history database available again", f"{self.where}: ok.")
            )
            log.warning("history %s available again", self.where)
        self.failing, self._alerted, self._backoff, self._retry_at = None, False, 1.0, None

    def take_alerts(self) -> list[Alert]:
        with self._lock:
            out, self.alerts = self.alerts, []
            return out

    def record(self, files: Mapping[str, bytes], errors: int, warnings: int) -> int | None:
        """The version id of these files (None while the store is unavailable: the files
        are recorded by ``retry`` later)."""
        ok, vid = self._call(
            RECORD,
            lambda h: h.record_version(files, source="watch", errors=errors, warnings=warnings),
        )
        with self._lock:
            self._unrecorded = None if ok else (files, errors, warnings)
        return int(vid) if ok else None

    def due(self) -> float | None:
        """Seconds until the next retry (None: nothing to retry)."""
        if self._retry_at is None:
            return None
        return max(0.0, self._retry_at - self.clock.now())

    def retry(self) -> int | None:
        """Retry when due: the unrecorded files, else a plain read; the version id if one
        was recorded now."""
        if self._retry_at is None or self.clock.now() < self._retry_at:
            return None
        pending = self._unrecorded
        if pending is not None:
            return self.record(*pending)
        self._call("reading", lambda h: h.count_events("apply-rolled-back"))
        return None

    def record_event(self, kind: str, detail: Mapping[str, Any], version_id: int) -> None:
        self._call(f"recording {kind}", lambda h: h.record_event(kind, detail, version_id))

    def count_events(self, kind: str) -> int | None:
        ok, n = self._call("counting events", lambda h: h.count_events(kind))
        return int(n) if ok else None

    def known_good(self) -> tuple[int, float] | None:
        """(id, when it was marked) of the last known-good version, if any and readable."""
        ok, version = self._call("reading the known-good version", lambda h: h.last_known_good())
        if not ok or version is None:
            return None
        return int(version.id), float(getattr(version, "good_since", None) or 0.0)

    def mark_known_good(self, version_id: int) -> None:
        self._call("marking a version known-good", lambda h: h.mark_known_good(version_id))
