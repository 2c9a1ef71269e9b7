"""Alerts: deduplicated per key, rate-limited without ever being lost.

An ``Alert`` says what a key's state is now ("firing" or "resolved"). The ``Alerter`` sends a
key's state when it differs from the last one it sent for that key. A "firing" may be sent at
most once per ``hold`` seconds per key: a re-break within the hold is *held*, not dropped, and
when the hold ends the key's current state is sent if it still differs from what was last sent
(a break/fix/break within the hold ends as one "firing" at the end of the hold; a
break/fix/break/fix as nothing more, since the last notification already says "resolved").
So the receiver's latest notification for a key matches the key's current state within
``hold`` seconds plus the delivery time, and two consecutive notifications of a key never
carry the same state. "resolved" is never held: it follows a "firing" that was sent.

Delivery goes through the on-disk ``Queue`` (watch/queue.py), which also remembers each
key's state as sent, with the alert, in one transaction: a restarted watcher starts from
what the receiver was told (``sent``), so after any stop or crash it sends exactly the
difference between that and what is true now ("resolved" for a fix made while it was down,
no second "firing" for what is still broken).
"""

from __future__ import annotations

import threading
from typing import NamedTuple, Protocol

from ifguard.system.clock import Clock

FIRING = "firing"
RESOLVED = "resolved"


class Alert(NamedTuple):
    key: str  # what the alert is about, e.g. "config", "probe:gateway 192.0.2.1 reachable"
    state: str  # FIRING or RESOLVED
    title: str
    body: str


class Sink(Protocol):
    """Where sent alerts go (the queue): ``put`` never loses an alert it accepted."""

    def put(self, key: str, title: str, body: str, state: str = "") -> None: ...


class Alerter:
    def __init__(
        self,
        sink: Sink,
        hostname: str,
        clock: Clock,
        hold: float = 0.0,
        sent: dict[str, str] | None = None,
    ) -> None:
        self.sink, self.hostname, self.clock, self.hold = sink, hostname, clock, hold
        self._sent: dict[str, str] = dict(sent or {})  # key -> state last sent
        self._fired_at: dict[str, float] = {}  # key -> when its last "firing" was sent
        self._held: dict[str, Alert] = {}  # key -> its current state, waiting for the hold
        self._lock = threading.Lock()

    def raise_(self, alert: Alert) -> bool:
        """The key's state is now ``alert.state``; True when a notification was queued now
        (False: nothing new, or held until the key's hold ends - see ``due``)."""
        with self._lock:
            now = self.clock.now()
            if self._sent.get(alert.key, RESOLVED) == alert.state:  # nothing new
                self._held.pop(alert.key, None)  # back to what the receiver already knows
                return False
            fired = self._fired_at.get(alert.key)
            if alert.state == FIRING and fired is not None and now - fired < self.hold:
                self._held[alert.key] = alert
                return False
            self._send(alert, now)
            return True

    def _send(self, alert: Alert, now: float) -> None:
        self._held.pop(alert.key, None)
        self.sink.put(alert.key, f"[{self.hostname}] {alert.title}", alert.body, alert.state)
        self._sent[alert.key] = alert.state
        if alert.state == FIRING:
            self._fired_at[alert.key] = now

    def due(self) -> float | None:
        """Seconds until the earliest held alert may go (None: nothing is held)."""
        with self._lock:
            if not self._held:
                return None
            now = self.clock.now()
            ends = (self._fired_at.get(k, now) + self.hold for k in self._held)
            return max(0.0, min(ends) - now)

    def release(self) -> list[Alert]:
        """Send every held alert whose hold has ended; return them."""
        out: list[Alert] = []
        with self._lock:
            now = self.clock.now()
            for key, alert in list(self._held.items()):
                if now - self._fired_at.get(key, now - self.hold) >= self.hold:
                    self._send(alert, now)
                    out.append(alert)
        return out

    def firing(self) -> list[str]:
        """The keys whose last notification said "firing"."""
        with self._lock:
            return [k for k, s in self._sent.items() if s == FIRING]

    def held(self) -> int:
        with self._lock:
            return len(self._held)
