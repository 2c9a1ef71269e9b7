"""``ifguard try FILE``: ``ifguard apply`` with a countdown in the terminal. The same guarded
change (``pipeline.guarded_change``: lint gate, plan, snapshot, guardian, reload, probes);
only the confirmation differs: no auto-confirm, the time left is shown on one line, Enter
keeps the change, and nothing (no key, the session gone, Ctrl-C) rolls it back. What was
typed before the change was in place is discarded: only a key pressed while the countdown
runs confirms."""

from __future__ import annotations

import contextlib
import select
import sys
import termios
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from ifguard.apply.request import ApplyRequest, Candidate
from ifguard.apply.run import guarded, show_lint
from ifguard.apply.world import World
from ifguard.store.record import Transaction
from ifguard.system.clock import Clock, SystemClock
from ifguard.system.errors import UsageError

NEEDS_TTY = (
    "ifguard try needs a terminal to confirm with Enter; without one use "
    "`ifguard apply FILE --timeout SECONDS` and `ifguard confirm`"
)


def tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (OSError, ValueError):
        return False


def enter_pressed(stdin: TextIO) -> bool:
    """A line (Enter) is waiting on ``stdin``: read it."""
    try:
        ready, _, _ = select.select([stdin], [], [], 0)
        return bool(ready) and stdin.readline() != ""
    except (OSError, ValueError):
        return False


class Countdown:
    """The confirmation of ``try``: one line redrawn on each tick with the seconds left."""

    def __init__(self, clock: Clock, stdin: TextIO, stdout: TextIO) -> None:
        self.clock, self.stdin, self.stdout = clock, stdin, stdout
        self.started = False
        self.drawn = False  # the countdown line is on the screen, without its newline

    def tick(self, txn: Transaction) -> bool:
        if not self.started:
            self.started = True
            with contextlib.suppress(OSError, ValueError, termios.error):
                termios.tcflush(self.stdin.fileno(), termios.TCIFLUSH)  # typed ahead: no
        if enter_pressed(self.stdin):
            self._write("\r\x1b[K")  # the countdown line (or the Enter's echo) cleared
            self.drawn = False
            return True
        left = max(0, int(txn.deadline - self.clock.now() + 0.5))
        self._write(f"\rPress Enter to keep this change, or it is rolled back in {left:>3} s ")
        self.drawn = True
        return False

    def out(self, message: str) -> None:
        if self.drawn:
            self._write("\n")
            self.drawn = False
        self._write(message + "\n")

    def _write(self, text: str) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.stdout.write(text)
            self.stdout.flush()


def run_try(req: ApplyRequest, candidate: Path, clock: Clock | None = None) -> int:
    """Apply ``candidate`` and keep it only if Enter is pressed before the deadline."""
    if not (tty(sys.stdin) and tty(sys.stdout)):
        raise UsageError(NEEDS_TTY)
    countdown = Countdown(clock or SystemClock(), sys.stdin, sys.stdout)
    world = World(out=countdown.out, lint_report=show_lint, on_tick=countdown.tick)
    req = replace(req, auto_confirm=False, unattended=False, wait=True)
    return guarded(req, Candidate(str(candidate), "try", candidate), world)
