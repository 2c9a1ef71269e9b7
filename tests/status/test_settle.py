"""`ifguard status --settle`: check again until OK or the time is up (fake clock)."""

from __future__ import annotations

from ifguard.status.settle import INTERVAL, check_settled
from ifguard.status.summary import Facts, Probe
from tests.fakes import FakeClock

BROKEN = Facts(probes=(Probe("carrier eth0", "fail", "no carrier"),))
OK = Facts(probes=(Probe("carrier eth0", "pass", "up"),))


def test_stops_at_the_first_ok() -> None:
    clock, seen = FakeClock(), [BROKEN, BROKEN, OK, BROKEN]
    assert check_settled(lambda: seen.pop(0), 30.0, clock) == OK
    assert clock.slept == 2 * INTERVAL and seen == [BROKEN]


def test_gives_up_after_the_settle_time_with_the_last_facts() -> None:
    clock, calls = FakeClock(), []

    def check() -> Facts:
        calls.append(clock.t)
        return BROKEN

    assert check_settled(check, 5.0, clock) == BROKEN
    assert clock.slept == 5.0 and len(calls) == 4  # at 0, 2, 4 and 5 s


def test_no_settle_is_one_check() -> None:
    clock, calls = FakeClock(), []

    def check() -> Facts:
        calls.append(1)
        return BROKEN

    assert check_settled(check, 0.0, clock) == BROKEN
    assert calls == [1] and clock.slept == 0
