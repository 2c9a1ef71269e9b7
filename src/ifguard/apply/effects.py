"""Side effects of a transaction behind small protocols: running commands, time, processes.

The real implementations live here; tests pass fakes (a fake clock that advances when slept
on, a runner that records argv lists) so the state machine runs without root and without
sleeping. ``ifguard.runtime`` may later provide its own ``Runner``/``Clock``; these protocols
are structural, so any object with the same methods fits.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Completed:
    rc: int
    out: str
    err: str

    @property
    def ok(self) -> bool:
        return self.rc == 0


class Runner(Protocol):
    def run(self, argv: Sequence[str], *, timeout: float | None = None) -> Completed: ...


class Clock(Protocol):
    def now(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SubprocessRunner:
    """Run an argv list (never a shell string); a missing program or a timeout is a result."""

    def run(self, argv: Sequence[str], *, timeout: float | None = None) -> Completed:
        try:
            proc = subprocess.run(list(argv), capture_output=True, text=True,
                                  errors="replace", timeout=timeout,
                                  stdin=subprocess.DEVNULL, check=False)
        except FileNotFoundError:
            return Completed(127, "", f"{argv[0]}: command not found")
        except subprocess.TimeoutExpired as exc:
            out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else ""
            return Completed(124, out, f"{argv[0]}: timed out after {timeout} s")
        except OSError as exc:
            return Completed(126, "", f"{argv[0]}: {exc.strerror or exc}")
        return Completed(proc.returncode, proc.stdout, proc.stderr)


class SystemClock:
    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


def start_ticks(pid: int) -> int | None:
    """The start time of a process (clock ticks since boot, /proc/PID/stat field 22), or None
    when it does not exist. Together with the pid it names a process without pid reuse."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return None
    # the command name (field 2) is in parentheses and may contain spaces or parentheses
    rest = stat[stat.rfind(b")") + 2:].split()
    try:
        if rest[0] == b"Z":  # a zombie has finished its work
            return None
        return int(rest[19])
    except (IndexError, ValueError):
        return None


def process_alive(pid: int | None, ticks: int | None) -> bool:
    """True when the process ``pid`` started at ``ticks`` still runs (not a zombie)."""
    if not pid or pid <= 0:
        return False
    now = start_ticks(pid)
    return now is not None and (ticks is None or now == ticks)


def systemd_is_pid1() -> bool:
    """The test ``sd_booted()`` uses: /run/systemd/system exists."""
    return os.path.isdir("/run/systemd/system")
