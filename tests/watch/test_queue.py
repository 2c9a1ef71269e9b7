"""The alert queue never loses an accepted alert: locked or corrupt database, restarts."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from ifguard.watch.queue import Queue
from tests.fakes import FakeClock, FakeSender


def test_created_0600_in_a_0700_dir(tmp_path: Path) -> None:
    Queue(tmp_path / "state" / "alerts.db", FakeClock(1000.0))
    assert stat.S_IMODE((tmp_path / "state").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "state" / "alerts.db").stat().st_mode) == 0o600


def test_corrupt_database_is_moved_aside_and_a_new_queue_starts(tmp_path: Path) -> None:
    db = tmp_path / "alerts.db"
    db.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)  # a damaged file, not a database
    queue = Queue(db, FakeClock(1000.0))
    assert queue.moved_aside is not None and queue.moved_aside.name.startswith("alerts.db.corrupt-")
    assert queue.moved_aside.read_bytes().startswith(b"SQLite format 3\x00\xff")
    queue.put("k", "t", "b")
    sender = FakeSender()
    assert queue.flush(sender) == 1 and sender.sent == [("t", "b")]


@pytest.mark.slow
def test_a_locked_database_keeps_alerts_in_memory_in_order(tmp_path: Path) -> None:
    clock, sender = FakeClock(1000.0), FakeSender()
    queue = Queue(tmp_path / "alerts.db", clock)
    queue.put("k", "first", "")
    other = sqlite3.connect(tmp_path / "alerts.db", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # an admin's sqlite3 holding the lock
    try:
        queue.put("k", "second", "")  # cannot be written: kept in memory, not lost
        assert queue.memory and queue.pending() == 2  # WAL: the count is still readable
        assert queue.flush(sender) == 1 and [t for t, _ in sender.sent] == ["second"]
        queue.put("k", "third", "")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert queue.flush(sender) == 2
    assert [t for t, _ in sender.sent] == ["second", "first", "third"]
    assert queue.pending() == 0
