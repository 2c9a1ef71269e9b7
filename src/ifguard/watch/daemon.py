"""The ``ifguard watch`` loop: inotify on the config directories -> lint -> alerts/metrics.

Event-driven: watchfiles blocks in inotify; the only timer is the retry of undelivered alerts,
and it runs only while alerts are queued. Directories are watched (not inodes) so editors that
write a temp file and rename it are seen.
"""

from __future__ import annotations

import logging
import signal
import socket
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from ifguard.lint import lint_paths
from ifguard.settings import Settings
from ifguard.source import Root
from ifguard.watch.alerts import Alerter, Queue, redact
from ifguard.watch.config import ConfigMonitor, Store
from ifguard.watch.metrics import Collector, serve, write_textfile

log = logging.getLogger("ifguard.watch")


class AppriseSender:
    def __init__(self, urls: Sequence[str]) -> None:
        import apprise

        self.apprise = apprise.Apprise()
        for url in urls:
            if not self.apprise.add(url):
                log.error("notification URL not understood: %s", redact(url))
        self.empty = not urls

    def send(self, title: str, body: str) -> bool:
        if self.empty:
            return True
        return bool(self.apprise.notify(title=title, body=body))


class Watcher:
    def __init__(self, root: Root, state_dir: Path, urls: Sequence[str], store: Store | None,
                 textfile_dir: Path | None = None) -> None:
        self.root, self.textfile_dir = root, textfile_dir
        self.sender = AppriseSender(urls)
        self.queue = Queue(state_dir / "alerts.db", time.time)
        self.alerter = Alerter(self.queue, socket.gethostname(), min_interval=30.0)
        self.monitor = ConfigMonitor(lambda: lint_paths(None, root, Settings()), root, store)
        self.metrics = Collector()
        self.stop = threading.Event()
        self.wake = threading.Event()
        self.dirs: set[Path] = set()

    def check(self) -> None:
        verdict, alerts = self.monitor.check()
        s = self.metrics.snapshot
        s.config_valid, s.diagnostics = verdict.errors == 0, verdict.counts
        s.last_change = max((p.stat().st_mtime for p in verdict.files if p.exists()),
                            default=0.0)
        net = self.root.path("/etc/network")
        self.dirs = {p.parent for p in verdict.files} | {net, net / "interfaces.d"}
        for alert in alerts:
            if self.alerter.raise_(alert):
                log.warning("%s: %s", alert.title, alert.body.replace("\n", "; "))
        if self.textfile_dir is not None:
            write_textfile(self.metrics, self.textfile_dir)
        self.wake.set()

    def _deliver(self) -> None:
        while not self.stop.is_set():
            self.wake.wait(None if self.queue.pending() == 0 else 1.0)
            self.wake.clear()
            try:
                self.queue.flush(self.sender)
            except Exception:  # a broken notifier must not kill the watcher
                log.exception("alert delivery failed")

    def run(self) -> None:
        import watchfiles

        self.check()
        threading.Thread(target=self._deliver, name="ifguard-alerts", daemon=True).start()
        while not self.stop.is_set():
            dirs = sorted(str(d) for d in self.dirs if d.is_dir())
            log.info("watching %s", ", ".join(dirs))
            for changes in watchfiles.watch(*dirs, stop_event=self.stop, debounce=50, step=10,
                                            recursive=False, raise_interrupt=False,
                                            yield_on_timeout=False):
                log.debug("changed: %s", sorted(p for _, p in changes))
                before = set(self.dirs)
                self.check()
                if self.dirs != before:
                    break  # a new sourced directory: restart the watch on the new set
        self.wake.set()

    def install_signals(self) -> None:
        def stop(signum: int, frame: FrameType | None) -> None:
            log.info("signal %d: stopping", signum)
            self.stop.set()

        def reload(signum: int, frame: FrameType | None) -> None:
            log.info("SIGHUP: re-reading the configuration")
            self.check()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGHUP, reload)


def start_metrics(watcher: Watcher, port: int | None) -> None:
    if port is not None:
        serve(watcher.metrics, port)
