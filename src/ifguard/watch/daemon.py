"""The ``ifguard watch`` loop: inotify on the config directories -> lint -> alerts/metrics.

Event-driven: watchfiles blocks in inotify; the only timer is the retry of undelivered alerts,
and it runs only while alerts are queued. Directories are watched (not inodes) so editors that
write a temp file and rename it are seen.
"""

from __future__ import annotations

import json
import logging
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from ifguard.apply.record import PENDING
from ifguard.config.settings import Settings
from ifguard.lint.engine import lint_paths
from ifguard.system.errors import UsageError
from ifguard.system.root import Root
from ifguard.watch.alerts import Alert, Alerter, Queue, redact
from ifguard.watch.config import ConfigMonitor, Store
from ifguard.watch.events import NetlinkEvents, OvsEvents
from ifguard.watch.heal import Observation, SelfHealer
from ifguard.watch.inotify import Inotify
from ifguard.watch.metrics import Collector, serve, write_textfile
from ifguard.watch.runtime import RuntimeMonitor

log = logging.getLogger("ifguard.watch")
# Files are watched with inotify directly (watch/inotify.py): no wake-up while idle. The
# watchfiles fallback wakes every STEP_MS (10 ms cost 0.5 % CPU idle, 200 ms added 280 ms
# of latency in benchmarks/watch_latency.py).
STEP_MS = 50
DEBOUNCE_FILES = 0.05
DEBOUNCE = 0.3  # seconds: events of one reload are checked together


# run in a child at start: the URLs are checked without loading apprise into the daemon
_CHECK_URLS = """
import json, sys, apprise
urls = json.load(sys.stdin)
print(json.dumps([i for i, u in enumerate(urls) if not apprise.Apprise().add(u)]))
"""


class AppriseSender:
    """Delivery through apprise, imported only when the first alert is sent: a watcher
    that never alerts does not carry its ~19 MB."""

    def __init__(self, urls: Sequence[str]) -> None:
        self.urls = list(urls)
        self.empty = not self.urls
        self._apprise: Any = None

    def bad_urls(self) -> list[str]:
        """The URLs apprise does not understand (checked in a child process)."""
        if self.empty:
            return []
        done = subprocess.run(
            [sys.executable, "-c", _CHECK_URLS],
            input=json.dumps(self.urls),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        try:
            return [self.urls[i] for i in json.loads(done.stdout)]
        except (ValueError, IndexError, TypeError):
            log.error("could not check the notification URLs: %s", done.stderr.strip()[-200:])
            return []

    def send(self, title: str, body: str) -> bool:
        if self.empty:
            return True
        if self._apprise is None:
            import apprise

            self._apprise = apprise.Apprise()
            for url in self.urls:
                self._apprise.add(url)
        return bool(self._apprise.notify(title=title, body=body))


class Watcher:
    def __init__(
        self,
        root: Root,
        state_dir: Path,
        urls: Sequence[str],
        store: Store | None,
        textfile_dir: Path | None = None,
        *,
        runtime: RuntimeMonitor | None = None,
        healer: SelfHealer | None = None,
        interval: float = 60.0,
    ) -> None:
        self.root, self.textfile_dir, self.state_dir = root, textfile_dir, state_dir
        # runtime checks run on netlink/OVS events, and every `interval` seconds without
        # one (a gateway that stops answering sends no event)
        self.runtime, self.healer, self.interval = runtime, healer, interval
        self.rt_wake = threading.Event()
        self.lint_errors: int = 0
        self.version: int | None = None
        self.sender = AppriseSender(urls)
        for url in self.sender.bad_urls():
            log.error("notification URL not understood: %s", redact(url))
        self.queue = Queue(state_dir / "alerts.db", time.time)
        self.alerter = Alerter(self.queue, socket.gethostname(), min_interval=30.0)
        self.monitor = ConfigMonitor(lambda: lint_paths(None, root, Settings()), root, store)
        self.metrics = Collector()
        self.stop = threading.Event()
        self.wake = threading.Event()
        self.dirs: set[Path] = set()
        self._inotify: Inotify | None = None

    def check(self) -> None:
        verdict, alerts = self.monitor.check()
        self.lint_errors, self.version = verdict.errors, verdict.version
        s = self.metrics.snapshot
        s.config_valid, s.diagnostics = verdict.errors == 0, verdict.counts
        s.last_change = max((p.stat().st_mtime for p in verdict.files if p.exists()), default=0.0)
        net = self.root.path("/etc/network")
        self.dirs = {p.parent for p in verdict.files} | {net, net / "interfaces.d"}
        self._raise(alerts)
        self.rt_wake.set()  # the expectations changed: look at the running state again

    def _raise(self, alerts: list[Alert]) -> None:
        for alert in alerts:
            if self.alerter.raise_(alert):
                log.warning("%s: %s", alert.title, alert.body.replace("\n", "; "))
        self._publish()

    def _publish(self) -> None:
        if self.textfile_dir is not None:
            write_textfile(self.metrics, self.textfile_dir)
        self.wake.set()

    def check_runtime(self) -> float | None:
        """One runtime check; returns when the next one is due (None: only on events)."""
        assert self.runtime is not None
        verdict, alerts = self.runtime.check()
        s = self.metrics.snapshot
        s.links, s.bond_members, s.drift = verdict.links, verdict.bond_members, len(verdict.drift)
        s.rollbacks = self._rollbacks()
        if self.healer is not None:
            pending = (self.state_dir / PENDING).exists()
            alerts += self.healer.observe(
                Observation(time.time(), verdict.healthy, self.lint_errors, self.version, pending)
            )
        self._raise(alerts)
        due = [] if verdict.recheck_in is None else [verdict.recheck_in]
        if self.healer is not None:  # counting towards known-good or towards a heal
            wait = self.healer.due(time.time())
            if wait is not None:
                due.append(max(1.0, wait))
        return min(due) if due else None

    def _rollbacks(self) -> int:
        history = self.monitor.store
        count = getattr(history, "count_events", None)  # a History; tests pass lighter stores
        return int(count("apply-rolled-back")) if count is not None else 0

    def _runtime_loop(self) -> None:
        timeout: float | None = 0.0
        while not self.stop.is_set():
            self.rt_wake.wait(self.interval if timeout is None else timeout)
            if self.stop.is_set():
                return
            self.stop.wait(DEBOUNCE)  # a reload comes as a burst of events
            self.rt_wake.clear()
            try:
                timeout = self.check_runtime()
            except Exception:  # a failing check must not kill the watcher
                log.exception("runtime check failed")
                timeout = self.interval

    def start_runtime(self) -> None:
        if self.runtime is None:
            return
        events = NetlinkEvents(self.rt_wake.set)
        events.start()
        OvsEvents(self.rt_wake.set, self.stop).start()
        threading.Thread(target=self._runtime_loop, name="ifguard-runtime", daemon=True).start()

    def _deliver(self) -> None:
        while not self.stop.is_set():
            self.wake.wait(None if self.queue.pending() == 0 else 1.0)
            self.wake.clear()
            try:
                self.queue.flush(self.sender)
            except Exception:  # a broken notifier must not kill the watcher
                log.exception("alert delivery failed")

    def run(self) -> None:
        self.check()
        threading.Thread(target=self._deliver, name="ifguard-alerts", daemon=True).start()
        self.start_runtime()
        while not self.stop.is_set():
            dirs = sorted(d for d in self.dirs if d.is_dir())
            log.info("watching %s", ", ".join(str(d) for d in dirs))
            try:
                notify = Inotify(dirs)
            except OSError as exc:  # no inotify here: watchfiles' polling loop instead
                log.info("inotify unavailable (%s): using watchfiles", exc)
                self._run_watchfiles(dirs)
                continue
            self._inotify = notify
            if self.stop.is_set():  # stopped while the watch was being set up
                notify.stop()
            try:
                for changed in notify.changes(debounce=DEBOUNCE_FILES):
                    log.debug("changed: %s", sorted(str(p) for p in changed))
                    if self._changed():
                        break
            finally:
                self._inotify = None
                notify.close()
        self.wake.set()
        self.rt_wake.set()

    def _changed(self) -> bool:
        """Re-check; True when the set of directories to watch changed (a new source)."""
        before = set(self.dirs)
        self.check()
        return self.dirs != before

    def _run_watchfiles(self, dirs: list[Path]) -> None:
        try:  # an optional extra (not in Debian 12): only needed where inotify is missing
            import watchfiles  # type: ignore[import-not-found, unused-ignore]
        except ImportError:
            raise UsageError(
                "inotify is unavailable here and watchfiles is not installed "
                "(pip install 'ifguard[watchfiles]')"
            ) from None

        for _changes in watchfiles.watch(
            *dirs,
            stop_event=self.stop,
            step=STEP_MS,
            debounce=int(DEBOUNCE_FILES * 1000),
            recursive=False,
            raise_interrupt=False,
            yield_on_timeout=False,
        ):
            if self._changed():
                return

    def shutdown(self) -> None:
        self.stop.set()
        notify = self._inotify
        if notify is not None:
            notify.stop()

    def install_signals(self) -> None:
        def stop(signum: int, frame: FrameType | None) -> None:
            log.info("signal %d: stopping", signum)
            self.shutdown()

        def reload(signum: int, frame: FrameType | None) -> None:
            log.info("SIGHUP: re-reading the configuration")
            self.check()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGHUP, reload)


def start_metrics(watcher: Watcher, port: int | None) -> None:
    if port is not None:
        serve(watcher.metrics, port)
