"""Publish the summary where people look, atomically, and only when it changes.

Under ``/run/ifguard`` (a tmpfs: a reboot never shows the last boot's warning):

* ``summary.json``: the summary, when it was published, by which process, the last ``wall``;
* ``summary.txt``: the text, for the ``/etc/update-motd.d`` script (which only reads it);
* ``issue``: the same text escaped for agetty; ``/etc/issue.d/ifguard.issue`` is a symlink
  to it, installed once, so /etc never changes at run time (and a dangling link before the
  first check of a boot shows nothing rather than something stale).

When the console text changes, running gettys are asked to redisplay (``agetty --reload``);
on a transition to broken, one ``wall`` to logged-in terminals, at most every
``wall_every`` seconds (opt-out). Commands go through the system ``Runner``.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from ifguard.lint.engine import HostResult
from ifguard.network.drift import Drift
from ifguard.network.probe_report import ProbeReport
from ifguard.status import collect
from ifguard.status.summary import BROKEN, Facts, Summary, build, render_issue, render_text
from ifguard.store.history import History
from ifguard.store.statedir import StateDir
from ifguard.system.clock import Clock, SystemClock
from ifguard.system.fsutil import atomic_write
from ifguard.system.root import Root
from ifguard.system.runner import Runner

log = logging.getLogger("ifguard.status")

RUN_DIR = "/run/ifguard"
SUMMARY = f"{RUN_DIR}/summary.json"
TEXT = f"{RUN_DIR}/summary.txt"
ISSUE = f"{RUN_DIR}/issue"
ISSUE_LINK = "/etc/issue.d/ifguard.issue"  # -> ISSUE, installed by `ifguard install`
RELOAD = ("agetty", "--reload")


class RuntimeView(Protocol):
    """What the watcher knows from its last runtime check."""

    report: ProbeReport
    drift: list[Drift]
    bond_members: dict[tuple[str, str, str], bool]

    @property
    def shown(self) -> ProbeReport:
        """``report`` with the checks shown but not part of the host's health (corosync)."""


class HealView(Protocol):
    attempts: int
    max_attempts: int


def read_published(root: Root) -> dict[str, Any] | None:
    """The last published summary.json, or None (absent, unreadable or damaged)."""
    try:
        data = json.loads(root.path(SUMMARY).read_bytes())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("summary"), dict) else None


def _previous(data: Mapping[str, Any] | None) -> tuple[str, float] | None:
    if data is None:
        return None
    s = data["summary"]
    level, since = s.get("level"), s.get("since")
    if isinstance(level, str) and isinstance(since, int | float):
        return level, float(since)
    return None


class Console:
    def __init__(
        self,
        root: Root,
        runner: Runner,
        *,
        clock: Clock | None = None,
        history: History | Path | None = None,
        state: StateDir | None = None,
        wall: bool = True,
        wall_every: float = 3600.0,
        expect_runtime: bool = True,
        checked_by: str = "watch",
        signal_host: bool = True,
    ) -> None:
        self.root, self.runner, self.clock = root, runner, clock or SystemClock()
        # a History, or where to open one when first needed (the watcher keeps going while
        # the database is unavailable; the summary then lacks the known-good version)
        self._history, self.state = history, state
        self.wall, self.wall_every = wall, wall_every
        self.expect_runtime, self.checked_by = expect_runtime, checked_by
        # gettys and terminals belong to the machine: not signalled for a --root tree
        self.signal_host = signal_host
        self.reloads = 0  # agetty --reload calls (tests, logs)
        self._lock = threading.Lock()  # the watcher's file and runtime threads both call

    def update(
        self,
        lint: HostResult | None,
        runtime: RuntimeView | None,
        healer: HealView | None,
        version: int | None,
    ) -> Summary | None:
        """The watcher's hook, called after each check: never raises."""
        if lint is None or (runtime is None and self.expect_runtime):
            return None  # the first runtime check is due in a moment: no half picture
        try:
            facts = collect.facts(
                lint,
                self.root,
                history=self.history(),
                state=self.state,
                report=runtime.shown if runtime else None,
                drift=runtime.drift if runtime else (),
                bonds=collect.bonds_of(runtime.bond_members) if runtime else (),
                version=version,
                heal_attempts=healer.attempts if healer else 0,
                heal_max=healer.max_attempts if healer else 0,
                checked_by=self.checked_by,
                now=self.clock.now(),
            )
            with self._lock:
                return self.publish(facts)
        except Exception:  # the console must never take the watcher down
            log.exception("could not publish the status summary")
            return None

    def history(self) -> History | None:
        if isinstance(self._history, Path):
            try:
                # a locked database costs this summary its known-good line, not time
                self._history = History(self._history, busy_ms=500)
            except (OSError, sqlite3.Error) as exc:
                log.info("status: history unavailable: %s", exc)
                return None
        return self._history

    def publish(self, facts: Facts) -> Summary:
        """Write the files when the summary changed; reload gettys when the console text
        changed; one wall on a transition to broken. Raises OSError when /run is not
        writable."""
        now = self.clock.now()
        published = read_published(self.root)
        previous = _previous(published)
        summary = build(facts, now, previous)
        unchanged = published is not None and published["summary"] == _jsonable(summary.to_dict())
        if unchanged and all(self.root.path(p).is_file() for p in (ISSUE, TEXT)):
            return summary  # (withdrawn texts are written again)
        text, issue = render_text(summary), render_issue(summary)
        directory = self.root.path(RUN_DIR)
        directory.mkdir(mode=0o755, parents=True, exist_ok=True)
        issue_path = self.root.path(ISSUE)
        try:
            old_issue = issue_path.read_text()
        except (OSError, UnicodeDecodeError):
            old_issue = None
        wall_at = published.get("wall_at") if published else None
        walled = self._wall_due(summary, previous, wall_at, now)
        atomic_write(self.root.path(TEXT), text.encode())
        atomic_write(issue_path, issue.encode())
        record = {
            "summary": summary.to_dict(),
            "published": now,
            "pid": os.getpid(),
            "wall_at": now if walled else wall_at,
        }
        atomic_write(
            self.root.path(SUMMARY), (json.dumps(record, indent=1, sort_keys=True) + "\n").encode()
        )
        if issue != old_issue and self.signal_host:
            self._run(RELOAD)
            self.reloads += 1
        if walled:
            self._run(("wall", str(self.root.path(TEXT))))
        log.info("status: %s since %s", summary.level, summary.since)
        return summary

    def withdraw(self) -> None:
        """The watcher stops: take the console text and the login text away (the issue.d
        link dangles, agetty shows nothing) rather than leave a state nobody keeps current.
        summary.json stays: "since" carries over to the next start. Never raises."""
        try:
            with self._lock:
                shown = self.root.path(ISSUE).exists()
                for path in (ISSUE, TEXT):
                    self.root.path(path).unlink(missing_ok=True)
                if shown and self.signal_host:
                    self._run(RELOAD)
                    self.reloads += 1
        except Exception:
            log.exception("could not withdraw the status summary")

    def _wall_due(
        self, summary: Summary, previous: tuple[str, float] | None, wall_at: Any, now: float
    ) -> bool:
        if not self.wall or not self.signal_host or summary.level != BROKEN:
            return False
        if previous is not None and previous[0] == BROKEN:
            return False
        return not isinstance(wall_at, int | float) or now - wall_at >= self.wall_every

    def _run(self, argv: Sequence[str]) -> None:
        done = self.runner.run(list(argv), timeout=10)
        if not done.ok:
            log.info("%s: exit %d %s", argv[0], done.rc, done.err.strip()[:200])


def _jsonable(data: Mapping[str, Any]) -> Any:
    """As it reads back from JSON (tuples become lists), for the comparison."""
    return json.loads(json.dumps(data))
