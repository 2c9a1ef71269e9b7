"""``ifguard status --settle SECONDS``: check again until the host is OK or the time is up
(right after boot or a reload, links and LACP take a few seconds to come up)."""

from __future__ import annotations

from collections.abc import Callable

from ifguard.status.summary import OK, Facts, level_of
from ifguard.system.clock import Clock

INTERVAL = 2.0  # at most this long between two checks


def check_settled(check: Callable[[], Facts], settle: float, clock: Clock) -> Facts:
    """The first facts that are OK, or the last ones once ``settle`` seconds have passed."""
    deadline = clock.now() + settle
    while True:
        facts = check()
        if level_of(facts) == OK or clock.now() >= deadline:
            return facts
        clock.sleep(min(INTERVAL, max(0.0, deadline - clock.now())))
