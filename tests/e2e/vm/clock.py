"""The guest's clock against the host's, for figures that start in the guest and end at the
host (a write in the guest, its alert at the host's receiver). A TCG guest's clock drifts and
a command sent over the driver takes a while to start, so "host time before sending the
command" overstates the latency by the command's start-up; the guest's own clock, corrected
by the measured offset, dates the write itself (error: half the round trip, printed)."""

from __future__ import annotations

import time
from typing import NamedTuple, Protocol


class Runs(Protocol):
    def ok(self, cmd: str, timeout: float = 120) -> str: ...


class Offset(NamedTuple):
    guest_minus_host: float  # seconds
    error: float  # +/- seconds (half the round trip of the best sample)


def offset(vm: Runs, samples: int = 5) -> Offset:
    """The guest clock minus the host clock, from the sample with the shortest round trip."""
    best: Offset | None = None
    for _ in range(samples):
        t0 = time.time()
        guest = float(vm.ok("date +%s.%N").split()[0])
        t1 = time.time()
        sample = Offset(guest - (t0 + t1) / 2, (t1 - t0) / 2)
        if best is None or sample.error < best.error:
            best = sample
    assert best is not None
    return best


def run_dated(vm: Runs, cmd: str, at: Offset) -> float:
    """Run ``cmd`` in the guest (as ``sh -c``); the host time at which it started, dated by
    the guest's clock just before it (``at``: the offset measured just before)."""
    out = vm.ok(f"date +%s.%N; {cmd}")
    return float(out.split()[0]) - at.guest_minus_host
