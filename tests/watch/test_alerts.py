"""Alerter: deduplication and a rate limit that delays or merges alerts, never drops one."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

from ifguard.watch.alerts import FIRING, RESOLVED, Alert, Alerter
from ifguard.watch.queue import Queue
from tests.fakes import FakeClock, FakeSender, FakeSink

BROKEN = Alert("config", FIRING, "broken", "interfaces:27: IFG101")
FIXED = Alert("config", RESOLVED, "clean again", "")


def test_same_state_alerted_once_then_resolved_once(tmp_path: Path) -> None:
    clock, sender = FakeClock(1000.0), FakeSender()
    alerter = Alerter(Queue(tmp_path / "q.db", clock), "pve1", clock)
    assert alerter.raise_(BROKEN)
    assert not alerter.raise_(BROKEN)
    assert alerter.raise_(FIXED)
    queue = alerter.sink
    assert isinstance(queue, Queue) and queue.flush(sender) == 2
    assert [t for t, _ in sender.sent] == ["[pve1] broken", "[pve1] clean again"]


def test_rebreak_within_the_hold_is_sent_when_the_hold_ends() -> None:
    """The reproduced bug: break -> alert, fix -> resolved, break 2 s later -> nothing, ever."""
    clock, sink = FakeClock(1000.0), FakeSink()
    alerter = Alerter(sink, "h", clock, hold=30)
    assert alerter.raise_(BROKEN)
    clock.t += 1
    assert alerter.raise_(FIXED)  # "resolved" is never held
    clock.t += 2
    assert not alerter.raise_(BROKEN)  # held, not dropped
    assert alerter.due() == 27
    clock.t += 26
    assert alerter.release() == []
    clock.t += 1
    assert alerter.release() == [BROKEN]
    assert [s for _, s in sink.got] == ["[h] broken", "[h] clean again", "[h] broken"]
    assert alerter.due() is None


def test_a_flap_that_ends_where_it_began_sends_nothing_more() -> None:
    clock, sink = FakeClock(1000.0), FakeSink()
    alerter = Alerter(sink, "h", clock, hold=30)
    alerter.raise_(BROKEN)
    alerter.raise_(FIXED)
    alerter.raise_(BROKEN)  # held
    alerter.raise_(FIXED)  # the receiver already says "resolved": the held firing goes
    assert alerter.due() is None
    clock.t += 60
    assert alerter.release() == [] and len(sink.got) == 2


def test_random_flapping_never_loses_the_last_state_nor_repeats_one() -> None:
    """Property: whatever the sequence, after hold seconds of quiet the last notification
    is the current state, and consecutive notifications always differ."""
    rng = random.Random(14)
    for _ in range(200):
        clock, sink = FakeClock(1000.0), FakeSink()
        alerter = Alerter(sink, "h", clock, hold=5)
        sent: list[str] = []
        state = RESOLVED
        for _step in range(rng.randint(1, 30)):
            clock.t += rng.choice([0.1, 0.7, 2.0, 6.0])
            alerter.release()
            state = rng.choice([FIRING, RESOLVED])
            alerter.raise_(BROKEN if state == FIRING else FIXED)
        clock.t += 5
        alerter.release()
        sent = ["firing" if t == "[h] broken" else "resolved" for _, t in sink.got]
        assert all(a != b for a, b in itertools.pairwise(sent))
        if sent or state == FIRING:
            assert sent[-1] == state


def test_queue_survives_restart_and_backs_off(tmp_path: Path) -> None:
    clock, sender = FakeClock(1000.0), FakeSender()
    sender.up = False
    Queue(tmp_path / "q.db", clock).put("k", "t", "b")
    queue = Queue(tmp_path / "q.db", clock, base_delay=1.0)
    assert queue.flush(sender) == 0
    assert queue.flush(sender) == 0  # not due yet: nothing attempted
    sender.up = True
    clock.t += 0.5
    assert queue.flush(sender) == 0
    clock.t += 0.6
    assert queue.flush(sender) == 1
    assert queue.pending() == 0
