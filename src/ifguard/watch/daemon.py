"""The ``ifguard watch`` loop: inotify on the config directories -> lint -> alerts/metrics.

Event-driven, three threads:
- files: a blocking inotify watch of our own (``watch/inotify.py``) on the directories of the
  configuration; watchfiles' loop is only the fallback where inotify is unavailable.
  Directories are watched (not inodes) so editors that write a temp file and rename it are
  seen;
- runtime (with the runtime checks): woken by rtnetlink and OVS database events, and every
  ``interval`` seconds without one (a gateway that stops answering sends no event);
- alert delivery: sleeps until an alert is queued or a timer is due (a retry, the end of a
  rate-limit hold, the metrics heartbeat).
"""

from __future__ import annotations

import logging
import signal
import socket
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import FrameType

from ifguard.lint.engine import HostResult, host_settings, inventory, lint_host
from ifguard.lint.settings import Settings
from ifguard.status.publish import Console
from ifguard.store.statedir import StateDir
from ifguard.system.clock import Clock, SystemClock
from ifguard.system.errors import UsageError
from ifguard.system.root import Root
from ifguard.watch.alerts import FIRING, Alert, Alerter
from ifguard.watch.config import ConfigMonitor
from ifguard.watch.delivery import Delivery
from ifguard.watch.events import NetlinkEvents, OvsEvents
from ifguard.watch.heal import Observation, SelfHealer, boot_cut
from ifguard.watch.inotify import Inotify, watchfiles_changes
from ifguard.watch.metrics import Collector, serve, write_textfile
from ifguard.watch.perms import tighten
from ifguard.watch.queue import Queue
from ifguard.watch.runtime import RuntimeMonitor, RuntimeVerdict
from ifguard.watch.sender import AppriseSender
from ifguard.watch.storeguard import StoreGuard
from ifguard.watch.writers import Writers, Written, settle, who_of

log = logging.getLogger("ifguard.watch")
# Files are watched with inotify directly (watch/inotify.py): no wake-up while idle. The
# watchfiles fallback wakes every STEP_MS (10 ms cost 0.5 % CPU idle, 200 ms added 280 ms
# of latency in benchmarks/watch_latency.py).
STEP_MS = 50
DEBOUNCE_FILES = 0.05
DEBOUNCE = 0.3  # seconds: events of one reload are checked together
HOLD = 30.0  # seconds: a key fires at most once per hold (re-breaks are held, never dropped)


class Watcher(Delivery):
    def __init__(
        self,
        root: Root,
        state_dir: Path,
        urls: Sequence[str],
        store: StoreGuard | None,
        textfile_dir: Path | None = None,
        *,
        runtime: RuntimeMonitor | None = None,
        healer: SelfHealer | None = None,
        interval: float = 60.0,
        hold: float = HOLD,
        console: Console | None = None,
        clock: Clock | None = None,
        settings: Settings | None = None,
        writers: Writers | None = None,
    ) -> None:
        self.root, self.textfile_dir, self.state_dir = root, textfile_dir, state_dir
        self.clock = clock or SystemClock()
        # runtime checks run on netlink/OVS events, and every `interval` seconds without
        # one (a gateway that stops answering sends no event)
        self.runtime, self.healer, self.interval = runtime, healer, interval
        self.store = store
        self.rt_wake = threading.Event()
        self.console = console  # the status summary for console and logins (ifguard.status)
        self.last_runtime: RuntimeVerdict | None = None
        self.last_writer: Written | None = None  # who made the last change (status)
        self.contents: Mapping[str, bytes] | None = None  # the files of the last check
        self.lint_errors: int = 0
        self.boot_cut = False  # the files' next boot would cut the management path
        self.version: int | None = None
        self.writers = writers  # who wrote the files (Linux audit); None: not asked
        self.sender = AppriseSender(urls)
        for shown in self.sender.check():
            log.error("notification URL not understood: %s", shown)
        tighten(state_dir)
        self.queue = Queue(state_dir / "alerts.db", self.clock)
        # what the receiver was last told, before this start: only the difference is sent
        sent = self.queue.last_sent()
        self.alerter = Alerter(self.queue, socket.gethostname(), self.clock, hold=hold, sent=sent)
        if runtime is not None:
            runtime.resume(self.alerter.firing())
        if self.queue.moved_aside is not None:
            self.alerter.raise_(
                Alert(
                    "alert-queue",
                    FIRING,
                    "alert queue was corrupt: moved aside",
                    f"{self.queue.path} could not be read; it was moved to "
                    f"{self.queue.moved_aside} (alerts still waiting in it were not sent) "
                    "and a new queue started.",
                )
            )
        # the host's lint settings; ``settings``: already read by whoever built the watcher
        self.settings: Settings = settings if settings is not None else host_settings(root)
        self.monitor = ConfigMonitor(self.lint, root)
        self.metrics = Collector()
        self.stop = threading.Event()
        self.wake = threading.Event()
        self.dirs: set[Path] = set()
        self._inotify: Inotify | None = None
        self._lock = threading.RLock()  # checks come from the main and the runtime thread
        self._delivery_failed = False  # the last delivery round raised: retry soon
        self._held = False  # runtime alerts held (a transaction is open)

    def lint(self) -> HostResult:
        """The host's running and pending configurations, with its settings (re-read on
        every check; a settings file broken meanwhile keeps the last good settings)."""
        try:
            self.settings = host_settings(self.root)
        except UsageError as exc:
            log.error("%s (keeping the previous settings)", exc)
        return lint_host(self.root, self.settings, nics=inventory(self.root))

    def check(self, changed: bool = False) -> None:
        written = who_of(self.writers, changed)
        with self._lock:
            verdict, alerts = self.monitor.check()
            if written is not None and not written.fresh and verdict.contents == self.contents:
                written = None  # the same files again (one write seen as two changes)
            self.contents = verdict.contents
            if written is not None and self.writers is not None:
                alerts = [a._replace(body=f"{a.body}\n{written.line}") for a in alerts]
                self.last_writer = written
                self.metrics.snapshot.writes = settle(self.writers, written)
            self.lint_errors = verdict.errors
            self.boot_cut = boot_cut(self.monitor.last, inventory(self.root))
            s = self.metrics.snapshot
            s.config_valid, s.diagnostics = verdict.errors == 0, verdict.counts
            s.last_change = max(
                (p.stat().st_mtime for p in verdict.files if p.exists()), default=0.0
            )
            net = self.root.path("/etc/network")
            self.dirs = {p.parent for p in verdict.files} | {net, net / "interfaces.d"}
            self._raise(alerts)  # first: a slow or locked history must not delay them
        if self.store is not None and verdict.contents:
            version = self.store.record(verdict.contents, verdict.errors, verdict.warnings)
            if version is not None and written is not None:
                self.store.record_event("written-by", written.detail, version)
            with self._lock:
                self.version = version
                store_alerts = self.store.take_alerts()
                if store_alerts:
                    self._raise(store_alerts)
        self.rt_wake.set()  # the expectations changed: look at the running state again

    def _raise(self, alerts: list[Alert]) -> None:
        for alert in alerts:
            if self.alerter.raise_(alert):
                log.warning("%s: %s", alert.title, alert.body.replace("\n", "; "))
            elif alert.state == FIRING and self.alerter.held():
                log.info("%s: held (rate limit), sent when the hold ends", alert.title)
        self._publish()

    def _publish(self) -> None:
        s = self.metrics.snapshot
        s.queue_depth = self.queue.pending()
        s.heartbeat = self.clock.now()
        if self.textfile_dir is not None:
            try:
                write_textfile(self.metrics, self.textfile_dir)
            except OSError as exc:  # a full disk must not stop the alerts
                log.error("%s: cannot write the metrics: %s", self.textfile_dir, exc)
        self.wake.set()  # deliver first: the console summary reads the history
        if self.console is not None:
            self.console.update(self.monitor.last, self.last_runtime, self.healer, self.version)

    def _staged(self) -> bool:
        """Proxmox's interfaces.new is pending (the next boot moves it into place)."""
        last = self.monitor.last
        return last is not None and last.of("pending") is not None

    def check_runtime(self) -> float | None:
        """One runtime check; returns when the next one is due (None: only on events)."""
        assert self.runtime is not None
        pending = StateDir(self.state_dir, self.root).has_pending()
        verdict, alerts = self.runtime.check(hold=pending)
        if pending and not self._held:
            log.info("a guarded transaction is open: runtime alerts held until it ends")
        self._held = pending
        self.last_runtime = verdict
        with self._lock:
            s = self.metrics.snapshot
            s.links, s.bond_members = verdict.links, verdict.bond_members
            s.drift = len(verdict.drift)
            s.cluster_members = verdict.cluster.members
            s.cluster_quorate = verdict.cluster.quorate
            if self.store is not None:
                rollbacks = self.store.count_events("apply-rolled-back")
                s.rollbacks = s.rollbacks if rollbacks is None else rollbacks
            if self.healer is not None:
                alerts += self.healer.observe(
                    Observation(
                        self.clock.now(),
                        verdict.healthy,
                        self.lint_errors,
                        self.version,
                        pending,
                        verdict.cannot_check,
                        self.boot_cut,
                        # not what runs: drift, or a pending interfaces.new (the next
                        # boot's files, never run: green probes say nothing about them)
                        bool(verdict.drift) or self._staged(),
                    )
                )
            if self.store is not None:
                good = self.store.known_good()
                s.known_good = None if good is None else good[1]
                alerts += self.store.take_alerts()
            self._raise(alerts)
        due = [] if verdict.recheck_in is None else [verdict.recheck_in]
        if self.healer is not None:  # counting towards known-good or towards a heal
            wait = self.healer.due(self.clock.now())
            if wait is not None:
                due.append(max(1.0, wait))
        return min(due) if due else None

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

    def run(self) -> None:
        if self.writers is not None:
            self.writers.start()
        self.check()
        threading.Thread(target=self._deliver, name="ifguard-alerts", daemon=True).start()
        self.start_runtime()
        if self.sender.needs_apprise:  # a URL off the fast path: import apprise once idle
            threading.Thread(target=self._preload, name="ifguard-preload", daemon=True).start()
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
        if self.console is not None:  # nobody keeps it current any more: nothing stale shown
            self.console.withdraw()

    def _changed(self) -> bool:
        """Re-check; True when the set of directories to watch changed (a new source)."""
        before = set(self.dirs)
        self.check(changed=True)
        return self.dirs != before

    def _run_watchfiles(self, dirs: list[Path]) -> None:
        for _changes in watchfiles_changes(dirs, self.stop, STEP_MS, DEBOUNCE_FILES):
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


def start_metrics(watcher: Watcher, port: int | None, addr: str = "127.0.0.1") -> None:
    if port is not None:
        serve(watcher.metrics, port, addr)
        watcher.metrics.served = True
        log.info("metrics on http://%s:%d/metrics", addr, port)
