"""``store.timeline``: versions with who, why and how their last transaction ended."""

from __future__ import annotations

from pathlib import Path

from ifguard.store.history import History
from ifguard.store.timeline import timeline
from tests.fakes import FakeClock


def test_each_version_with_its_last_transaction(tmp_path: Path) -> None:
    h = History(tmp_path / "history.db", FakeClock(tick=1.0))
    seen = h.record_version(
        {"/etc/network/interfaces": b"a\n"}, source="watch", errors=1, warnings=0
    )
    applied = h.record_version(
        {"/etc/network/interfaces": b"b\n"}, source="apply", errors=0, warnings=0
    )
    h.record_event(
        "apply-started",
        {"txn": "T1", "by": "alice", "message": "first try", "source": "apply"},
        applied,
    )
    h.record_event("apply-rolled-back", {"txn": "T1"}, applied)
    h.record_event(
        "apply-started", {"txn": "T2", "by": "bob", "message": "again", "source": "apply"}, applied
    )
    h.record_event("apply-confirmed", {"txn": "T2"}, applied)
    h.mark_known_good(applied)
    entries = {e.version.id: e for e in timeline(h)}
    assert entries[applied].who == "apply by bob (kept)" and entries[applied].message == "again"
    assert entries[applied].version.known_good
    assert entries[seen].who == "watch" and entries[seen].message == ""


def test_a_version_applied_after_the_watcher_saw_it_says_apply(tmp_path: Path) -> None:
    h = History(tmp_path / "history.db", FakeClock(tick=1.0))
    v = h.record_version({"/etc/network/interfaces": b"a\n"}, source="watch", errors=0, warnings=0)
    h.record_event("apply-started", {"txn": "T1", "source": "restore"}, v)
    [entry] = timeline(h)
    assert entry.who == "restore" and entry.outcome == ""
