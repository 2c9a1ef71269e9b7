"""Time: a ``Clock`` gives the wall-clock time and sleeps; anything that waits takes one, so
deadlines are tested in milliseconds with a fake clock that advances when slept on.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)
