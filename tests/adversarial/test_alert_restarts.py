"""Issue 22, alerts across restarts: the queue remembers each key's state as sent, with the
alert, in one transaction; a restarted watcher sends exactly the difference between that and
what is true now. In-process with the real queue, and as a matrix against the real watcher
(SIGTERM / SIGKILL at random points x the file fixed or still broken while it was down) with
a real local HTTP receiver: the last notification always equals the true state, and no two
consecutive notifications carry the same state."""

from __future__ import annotations

import http.server
import itertools
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from ifguard.lint.engine import lint_host
from ifguard.lint.settings import Settings
from ifguard.system.root import Root
from ifguard.watch.alerts import Alerter
from ifguard.watch.config import ConfigMonitor
from ifguard.watch.queue import Queue
from tests.fakes import FakeClock, FakeSender

GOOD = b"auto lo\niface lo inet loopback\n"
BROKEN = GOOD + b"27: eth9: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noop state DOWN\n"


def kinds(receiver: FakeSender) -> list[str]:
    """What the receiver was told, in order: "firing" or "resolved"."""
    return ["firing" if "error(s)" in title else "resolved" for title, _ in receiver.sent]


def start(tmp: Path, clock: FakeClock) -> tuple[Queue, Alerter, ConfigMonitor]:
    root = Root(tmp)
    queue = Queue(tmp / "alerts.db", clock)
    alerter = Alerter(queue, "pve1", clock, sent=queue.last_sent())
    return queue, alerter, ConfigMonitor(lambda: lint_host(root, Settings()), root)


def one_check(tmp: Path, clock: FakeClock, receiver: FakeSender) -> None:
    queue, alerter, monitor = start(tmp, clock)
    for alert in monitor.check()[1]:
        alerter.raise_(alert)
    queue.flush(receiver)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ([BROKEN, GOOD], ["firing", "resolved"]),  # fixed while stopped: "resolved"
        ([BROKEN, BROKEN, BROKEN], ["firing"]),  # restarts never repeat "firing"
        ([GOOD, GOOD], []),  # nothing to say, ever
        ([GOOD, BROKEN, BROKEN, GOOD], ["firing", "resolved"]),
    ],
)
def test_each_start_sends_only_the_difference(
    tmp_path: Path, files: list[bytes], expected: list[str]
) -> None:
    conf = tmp_path / "etc/network/interfaces"
    conf.parent.mkdir(parents=True)
    clock, receiver = FakeClock(1000.0, tick=1.0), FakeSender()
    for data in files:  # one watcher life per file state
        conf.write_bytes(data)
        one_check(tmp_path, clock, receiver)
    assert kinds(receiver) == expected


def test_an_alert_accepted_but_not_delivered_is_not_sent_twice(tmp_path: Path) -> None:
    conf = tmp_path / "etc/network/interfaces"
    conf.parent.mkdir(parents=True)
    conf.write_bytes(BROKEN)
    clock = FakeClock(1000.0, tick=1.0)
    _queue, alerter, monitor = start(tmp_path, clock)
    for alert in monitor.check()[1]:
        alerter.raise_(alert)  # queued; the watcher dies before delivering
    receiver = FakeSender()
    one_check(tmp_path, clock, receiver)  # next life: still broken
    assert kinds(receiver) == ["firing"]  # the queued one, once


# --- the real watcher --------------------------------------------------------------------


class Receiver(http.server.BaseHTTPRequestHandler):
    got: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        title = str(body.get("title", ""))
        if "network configuration" in title:
            Receiver.got.append("firing" if "error(s)" in title else "resolved")
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[int]:
    Receiver.got = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()


def watcher(root: Path, port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ifguard",
            "watch",
            "--root",
            str(root),
            "--notify",
            f"json://127.0.0.1:{port}/hook",
            "--no-console",
            "--alert-hold",
            "0",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd="/",
    )


def settle(expect: str | None, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        last = Receiver.got[-1] if Receiver.got else None
        if last == expect:
            time.sleep(0.5)  # and nothing more arrives
            if (Receiver.got[-1] if Receiver.got else None) == expect:
                return
        time.sleep(0.1)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
@pytest.mark.parametrize("while_down", ["fixed", "broken"])
@pytest.mark.parametrize("seed", [1, 2])
def test_kill_matrix(
    tmp_path: Path, receiver: int, sig: signal.Signals, while_down: str, seed: int
) -> None:
    rng = random.Random(f"{seed}{sig}{while_down}")
    root = tmp_path / "root"
    conf = root / "etc/network/interfaces"
    conf.parent.mkdir(parents=True)
    conf.write_bytes(BROKEN)
    first = watcher(root, receiver)
    time.sleep(rng.uniform(0.0, 2.5))  # anywhere: before, during or after the first alert
    os.kill(first.pid, sig)
    first.wait(timeout=30)
    conf.write_bytes(GOOD if while_down == "fixed" else BROKEN)
    truth = "resolved" if while_down == "fixed" else "firing"
    second = watcher(root, receiver)
    try:
        settle(truth if while_down == "broken" or Receiver.got else None)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    got = Receiver.got
    assert (got[-1] if got else "resolved") == truth, got
    assert all(a != b for a, b in itertools.pairwise(got)), got  # no duplicates
