"""The history store: dedup, known-good, events, permissions, concurrent writers, crashes."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ifguard.store.history import History, content_hash, default_path
from ifguard.system.root import Root
from tests.fakes import FakeClock

A = {"/etc/network/interfaces": b"auto lo\niface lo inet loopback\n"}
B = {
    "/etc/network/interfaces": b"auto lo\niface lo inet loopback\nsource /etc/x/*\n",
    "/etc/x/a": b"iface a inet manual\n",
}


@pytest.mark.slow
def test_record_dedups_by_content_and_keeps_files(tmp_path: Path) -> None:
    h = History(tmp_path / "h.db", clock=FakeClock(1000.0, tick=1.0))
    a = h.record_version(A, source="watch", errors=0, warnings=1)
    b = h.record_version(B, source="apply", errors=1, warnings=0)
    assert a != b
    assert h.record_version(dict(A), source="boot", errors=0, warnings=0) == a
    va = h.get(a)
    assert va is not None and va.files == A and va.source == "watch" and va.warnings == 1
    vb = h.get(b)
    assert vb is not None and list(vb.files) == list(B) and vb.hash == content_hash(B)
    # A was seen last, so it is listed first
    assert [v.id for v in h.versions()] == [a, b]
    assert h.get(999) is None


def test_hash_depends_on_paths_and_boundaries() -> None:
    assert content_hash({"/a": b"xy"}) != content_hash({"/a": b"x", "/y": b""})
    assert content_hash({"/a": b"x"}) != content_hash({"/b": b"x"})


@pytest.mark.slow
def test_known_good_is_the_newest_marked(tmp_path: Path) -> None:
    h = History(tmp_path / "h.db", clock=FakeClock(1000.0, tick=1.0))
    assert h.last_known_good() is None
    a = h.record_version(A, source="apply", errors=0, warnings=0)
    b = h.record_version(B, source="apply", errors=0, warnings=0)
    h.mark_known_good(b)
    h.mark_known_good(a)
    good = h.last_known_good()
    assert good is not None and good.id == a and good.files == A and good.known_good


@pytest.mark.slow
def test_find_by_id_or_hash_prefix(tmp_path: Path) -> None:
    h = History(tmp_path / "h.db")
    a = h.record_version(A, source="apply", errors=0, warnings=0)
    va = h.get(a)
    assert va is not None
    assert h.find(str(a)) == va
    assert h.find(va.hash[:8]) == va
    assert h.find("zz") is None and h.find("abc") is None


@pytest.mark.slow
def test_events_newest_first_and_filtered(tmp_path: Path) -> None:
    h = History(tmp_path / "h.db", clock=FakeClock(1000.0, tick=1.0))
    v = h.record_version(A, source="apply", errors=0, warnings=0)
    e1 = h.record_event("apply-started", {"txn": "t1"}, version_id=v)
    e2 = h.record_event("alert", {"msg": "carrier lost", "n": 2})
    assert [e.id for e in h.events()] == [e2, e1]
    started = h.events(kind="apply-started")
    assert len(started) == 1 and started[0].detail == {"txn": "t1"} and started[0].version_id == v
    assert h.events(limit=1)[0].kind == "alert"


@pytest.mark.slow
def test_probes_are_stored(tmp_path: Path) -> None:
    h = History(tmp_path / "h.db")
    v = h.record_version(A, source="apply", errors=0, warnings=0)
    h.record_probes(v, {"ok": True, "checks": [{"name": "carrier enp1s0", "ok": True}]})
    got = h.get(v)
    assert got is not None and got.probes == {
        "ok": True,
        "checks": [{"name": "carrier enp1s0", "ok": True}],
    }


def test_directory_is_private_and_wal(tmp_path: Path) -> None:
    path = default_path(Root(tmp_path))
    History(path)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _writer(path: str, n: int, worker: int) -> None:
    h = History(Path(path))
    for i in range(n):
        vid = h.record_version(
            {"/f": f"{worker}-{i % 5}".encode()}, source="watch", errors=0, warnings=0
        )
        h.record_event("seen", {"worker": worker, "i": i}, version_id=vid)


@pytest.mark.slow
def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    History(path)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), 40, w)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    h = History(path)
    assert len(h.events(limit=1000, kind="seen")) == 160
    assert len(h.versions(limit=1000)) == 20  # 4 workers x 5 distinct contents, deduplicated


_CRASHER = """
import sys, os
from pathlib import Path
from ifguard.store.history import History
h = History(Path(sys.argv[1]))
print("ready", flush=True)
i = 0
while True:
    h.record_version({"/f": os.urandom(4096) + str(i).encode()}, source="watch",
                     errors=0, warnings=0)
    i += 1
"""


@pytest.mark.slow
def test_sigkill_mid_write_leaves_a_consistent_database(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    for _ in range(3):
        proc = subprocess.Popen(
            [sys.executable, "-c", _CRASHER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
        time.sleep(0.3)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        orphans = db.execute(
            "SELECT count(*) FROM versions v WHERE NOT EXISTS "
            "(SELECT 1 FROM files f WHERE f.version_id = v.id)"
        ).fetchone()[0]
        assert orphans == 0
    h = History(path)
    assert all(v.files for v in (h.get(x.id) for x in h.versions(limit=5)) if v)


@pytest.mark.slow
def test_count_events_counts_one_kind(tmp_path: Path) -> None:
    h = History(tmp_path / "history.db")
    for kind in ("apply-rolled-back", "apply-confirmed", "apply-rolled-back"):
        h.record_event(kind, {})
    assert h.count_events("apply-rolled-back") == 2
    assert h.count_events("apply-started") == 0
