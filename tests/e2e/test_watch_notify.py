"""ifguard watch end to end: real inotify, real apprise, a real HTTP receiver on loopback."""

from __future__ import annotations

import http.server
import itertools
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from ifguard.store.history import History
from ifguard.system.clock import SystemClock
from ifguard.system.root import Root
from ifguard.watch.daemon import Watcher
from ifguard.watch.storeguard import StoreGuard

GOOD = b"auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet dhcp\n"
JUNK = (
    b"27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast"
    b" master ovs-system state UP group default qlen 1000\n"
)


class Receiver(http.server.BaseHTTPRequestHandler):
    got: ClassVar[list[dict[str, str]]] = []
    arrived: ClassVar[threading.Condition] = threading.Condition()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with self.arrived:
            self.got.append(json.loads(body))
            self.arrived.notify_all()
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def guard(path: Path) -> StoreGuard:
    return StoreGuard(lambda: History(path), SystemClock(), str(path))


def wait_for(n: int, timeout: float = 10.0) -> list[dict[str, str]]:
    with Receiver.arrived:
        Receiver.arrived.wait_for(lambda: len(Receiver.got) >= n, timeout)
        return list(Receiver.got)


@pytest.fixture
def receiver() -> Iterator[int]:
    Receiver.got = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


@pytest.mark.e2e
def test_junk_line_alerts_once_and_resolves_once(tmp_path: Path, receiver: int) -> None:
    root = Root(tmp_path / "root")
    conf = root.path("/etc/network/interfaces")
    conf.parent.mkdir(parents=True)
    conf.write_bytes(GOOD)
    state = tmp_path / "state"
    watcher = Watcher(root, state, [f"json://127.0.0.1:{receiver}/"], guard(state / "h.db"))
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        time.sleep(0.5)  # let inotify arm
        with conf.open("ab") as f:
            f.write(JUNK)
        got = wait_for(1)
        assert len(got) == 1
        assert "/etc/network/interfaces:6:" in got[0]["message"]
        assert "IFG101" in got[0]["message"]
        # an editor's write-and-rename of the fixed file
        tmp = conf.with_name(".interfaces.swp")
        tmp.write_bytes(GOOD)
        tmp.rename(conf)
        got = wait_for(2)
        assert len(got) == 2
        assert "clean again" in got[1]["title"]
        time.sleep(1.0)
        assert len(Receiver.got) == 2  # nothing more: exactly one of each
    finally:
        watcher.shutdown()
        thread.join(5)


def _state(n: dict[str, str]) -> str:
    return "resolved" if "clean again" in n["title"] else "broken"


@pytest.mark.e2e
def test_flapping_never_loses_the_last_state(tmp_path: Path, receiver: int) -> None:
    """Six break/fix cycles 0.7 s apart ending broken: within hold + 1 s the receiver's latest
    notification says broken; fixed: it says resolved; never the same state twice in a row."""
    hold = 3.0
    root = Root(tmp_path / "root")
    conf = root.path("/etc/network/interfaces")
    conf.parent.mkdir(parents=True)
    conf.write_bytes(GOOD)
    state = tmp_path / "state"
    watcher = Watcher(
        root, state, [f"json://127.0.0.1:{receiver}/"], guard(state / "h.db"), hold=hold
    )
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()

    def latest() -> str | None:
        return _state(Receiver.got[-1]) if Receiver.got else None

    try:
        time.sleep(0.5)  # let inotify arm
        for _cycle in range(6):
            conf.write_bytes(GOOD + JUNK)
            time.sleep(0.7)
            conf.write_bytes(GOOD)
            time.sleep(0.7)
        conf.write_bytes(GOOD + JUNK)
        broken_at = time.monotonic()
        with Receiver.arrived:
            assert Receiver.arrived.wait_for(lambda: latest() == "broken", hold + 1.0), [
                _state(n) for n in Receiver.got
            ]
        took = time.monotonic() - broken_at
        conf.write_bytes(GOOD)
        fixed_at = time.monotonic()
        with Receiver.arrived:
            assert Receiver.arrived.wait_for(lambda: latest() == "resolved", hold + 1.0)
        took_fix = time.monotonic() - fixed_at
        time.sleep(hold + 1.0)  # nothing more arrives: the receiver is up to date
        states = [_state(n) for n in Receiver.got]
        assert states[-1] == "resolved"
        assert all(a != b for a, b in itertools.pairwise(states)), states
        print(f"\n[flapping] {states}; broken seen after {took:.2f} s, fixed {took_fix:.2f} s")
    finally:
        watcher.shutdown()
        thread.join(5)


@pytest.mark.e2e
def test_a_locked_history_neither_kills_nor_delays_the_watcher(
    tmp_path: Path, receiver: int
) -> None:
    """An admin's sqlite3 holds the history's write lock: the junk line is alerted at once,
    the store problem is alerted, and resolved once the lock is gone (version recorded)."""
    root = Root(tmp_path / "root")
    conf = root.path("/etc/network/interfaces")
    conf.parent.mkdir(parents=True)
    conf.write_bytes(GOOD)
    state = tmp_path / "state"
    path = state / "history.db"
    History(path)
    store = StoreGuard(lambda: History(path, busy_ms=500), SystemClock(), str(path))
    watcher = Watcher(root, state, [f"json://127.0.0.1:{receiver}/"], store)
    watcher.sender.preload()  # the first alert's apprise import is benchmarks' business
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    lock = sqlite3.connect(path, isolation_level=None)
    try:
        time.sleep(0.5)
        lock.execute("BEGIN EXCLUSIVE")
        t0 = time.monotonic()
        with conf.open("ab") as f:
            f.write(JUNK)
        got = wait_for(1)
        assert "error(s)" in got[0]["title"] and time.monotonic() - t0 < 2.0
        got = wait_for(2)
        assert "history database unavailable" in got[1]["title"]
        assert "database is locked" in got[1]["message"]
        lock.execute("ROLLBACK")
        got = wait_for(3, timeout=15)  # retried with back-off: 1, 2, 4 s
        assert "history database available again" in got[2]["title"]
        assert thread.is_alive()
        assert len(History(path).versions()) == 2  # the broken version was recorded too
    finally:
        lock.close()
        watcher.shutdown()
        thread.join(5)
