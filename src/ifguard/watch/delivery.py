"""The watcher's alert-delivery thread: sleeps until an alert is queued or a timer is due
(a retry, the end of a rate-limit hold, a history retry, the metrics heartbeat), then
delivers, in order, and publishes what changed. Nothing here may kill the watcher.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from pathlib import Path

from ifguard.system.clock import Clock
from ifguard.watch.alerts import Alert, Alerter
from ifguard.watch.metrics import Collector
from ifguard.watch.queue import Queue
from ifguard.watch.sender import AppriseSender
from ifguard.watch.storeguard import StoreGuard

log = logging.getLogger("ifguard.watch")
PRELOAD_AFTER = 2.0  # seconds after start: apprise is imported then, not by the first alert
HEARTBEAT = 60.0  # seconds: ifguard_watch_heartbeat_timestamp_seconds is refreshed this often


class Delivery:
    """Mixed into ``Watcher`` (watch/daemon.py), which provides these attributes."""

    stop: threading.Event
    wake: threading.Event
    sender: AppriseSender
    alerter: Alerter
    queue: Queue
    store: StoreGuard | None
    textfile_dir: Path | None
    metrics: Collector
    clock: Clock
    version: int | None
    _lock: threading.RLock
    _delivery_failed: bool

    def _raise(self, alerts: list[Alert]) -> None:
        raise NotImplementedError

    def _publish(self) -> None:
        raise NotImplementedError

    def _preload(self) -> None:
        if not self.stop.wait(PRELOAD_AFTER):
            try:
                self.sender.preload()
            except Exception:  # delivery will say what is wrong
                log.exception("loading apprise failed")

    def _timers(self) -> float | None:
        """Seconds until the delivery thread has something to do without being woken."""
        due = [self.alerter.due(), self.store.due() if self.store is not None else None]
        if self._delivery_failed or self.queue.pending():
            due.append(1.0)
        if self.textfile_dir is not None or self.metrics.served:
            due.append(HEARTBEAT)
        waits = [d for d in due if d is not None]
        return min(waits) if waits else None

    def _deliver(self) -> None:
        while not self.stop.is_set():
            self.wake.wait(self._timers())
            self.wake.clear()
            if self.stop.is_set():
                return
            try:
                sent = self.queue.flush(self.sender)  # what was just raised goes first
                version = self.store.retry() if self.store is not None else None
                with self._lock:
                    released = self.alerter.release()  # queued by release() itself
                    for alert in released:
                        log.warning("%s (held): %s", alert.title, alert.body.replace("\n", "; "))
                    store_alerts: list[Alert] = []
                    if self.store is not None:
                        self.version = version if version is not None else self.version
                        store_alerts = self.store.take_alerts()
                    if store_alerts:
                        self._raise(store_alerts)  # publishes
                    elif released or self.clock.now() - self.metrics.snapshot.heartbeat >= (
                        HEARTBEAT - 1
                    ):
                        self._publish()
                    self.wake.clear()
                sent += self.queue.flush(self.sender)
                self._delivery_failed = False
                if sent:  # the queue depth changed
                    with self._lock:
                        self._publish()
                    if self._timers() in (None, HEARTBEAT):  # idle again after alerts
                        release_memory()
            except Exception:  # a broken notifier or store must not kill the watcher
                if not self._delivery_failed:
                    log.exception("alert delivery failed (retrying every second)")
                self._delivery_failed = True


def release_memory() -> None:
    """Return the memory a burst of checks and alerts used to the system (glibc keeps freed
    heap pages otherwise: +4 MB RSS after 100 alerts in benchmarks/watch_latency.py)."""
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
