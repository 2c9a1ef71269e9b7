"""A locked or broken history never stops the watcher: alert once, retry, resolve."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ifguard.store.history import History
from ifguard.watch.storeguard import StoreGuard
from tests.fakes import FakeClock

FILES = {"/etc/network/interfaces": b"auto lo\niface lo inet loopback\n"}


@pytest.mark.slow
def test_locked_history_alerts_retries_with_backoff_and_resolves(tmp_path: Path) -> None:
    clock = FakeClock(1000.0)
    path = tmp_path / "history.db"
    History(path)
    guard = StoreGuard(lambda: History(path, busy_ms=100), clock, str(path))
    lock = sqlite3.connect(path, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")  # e.g. `sqlite3 history.db` with an open write
    try:
        assert guard.record(FILES, 0, 0) is None
        (alert,) = guard.take_alerts()
        assert alert.key == "store" and alert.state == "firing"
        assert "database is locked" in alert.body and str(path) in alert.body
        assert guard.due() == 1.0
        clock.t += 1
        assert guard.retry() is None and guard.take_alerts() == []  # said once
        assert guard.due() == 2.0  # back-off grows
        assert guard.count_events("apply-rolled-back") == 0  # WAL: reads still work...
        assert guard.take_alerts() == [] and guard.failing  # ...which proves no write
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    clock.t += 2
    vid = guard.retry()
    assert vid is not None and History(path).get(vid) is not None  # recorded after all
    assert [(a.key, a.state) for a in guard.take_alerts()] == [("store", "resolved")]
    assert guard.due() is None


def test_an_unopenable_history_is_retried_too(tmp_path: Path) -> None:
    clock = FakeClock(1000.0)
    path = tmp_path / "history.db"
    path.write_bytes(b"not a database at all" * 100)
    guard = StoreGuard(lambda: History(path, busy_ms=100), clock, str(path))
    assert guard.record(FILES, 1, 0) is None
    assert [a.state for a in guard.take_alerts()] == ["firing"]
    assert guard.known_good() is None
