"""What one configuration may read, as a whole and not only file by file: at most
``MAX_TOTAL_BYTES`` over the main file and everything it sources, at most ``MAX_TOTAL_LINES``
lines (parsing and linting cost ~170 bytes to ~1 kB of memory per line: 16 MiB of empty lines
took 2.8 GB), at most ``MAX_FILES`` files, within ``LOAD_SECONDS``. A main file past a limit
is a ``UsageError`` (exit 2, one line naming the file and the limit, ``read_main``); a sourced
file past it is an "unreadable" issue of ``config.source`` (an IFG201 error: its stanzas were
not checked, so no gate passes on it).
"""

from __future__ import annotations

import os
from pathlib import Path

from ifguard.system.errors import UsageError
from ifguard.system.readfile import (
    MAX_BYTES,
    FileTooLarge,
    NotRegularFile,
    describe,
    read_regular,
)
from ifguard.system.root import Root

MAX_TOTAL_BYTES = MAX_BYTES  # over one configuration: the main file and all it sources
MAX_FILES = 4096  # files read for one configuration (a real one has a few dozen)
# lines over one configuration. The largest file of the real-world corpus has 183 lines,
# all 216 of them 5,450 together. The worst shape measured (stanzas with an address, ~1 kB
# of memory per line parsed and linted) in interfaces and interfaces.new at 40,000 lines
# each keeps the watcher under its unit's MemoryMax=128M: 87 MB peak (hostile_inputs.py)
MAX_TOTAL_LINES = 40_000
LOAD_SECONDS = 30.0


def _size(path: Path) -> int:
    try:
        return os.lstat(path).st_size
    except OSError:
        return 0


class TooManyLines(FileTooLarge):
    """Past ``MAX_TOTAL_LINES`` over one configuration."""


def count_lines(data: bytes) -> int:
    return data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)


class Budget:
    """What one configuration may still read: bytes, lines, files and time."""

    __slots__ = ("bytes", "deadline", "files", "lines")

    def __init__(self) -> None:
        import time

        self.bytes = MAX_TOTAL_BYTES
        self.lines = MAX_TOTAL_LINES
        self.files = MAX_FILES
        self.deadline = time.monotonic() + LOAD_SECONDS

    def read(self, path: Path, follow: bool) -> tuple[bytes, os.stat_result]:
        """One file, charged to the budget (an ``OSError`` when it is spent)."""
        import errno
        import time

        if self.files <= 0:
            raise OSError(errno.EFBIG, f"more than {MAX_FILES} files sourced", str(path))
        if time.monotonic() >= self.deadline:
            raise OSError(errno.ETIMEDOUT, f"reading took over {LOAD_SECONDS:g} s", str(path))
        try:
            data, st = read_regular(path, limit=self.bytes, follow=follow, deadline=self.deadline)
        except FileTooLarge as exc:
            if _size(path) > MAX_BYTES:
                exc.strerror = f"larger than {MAX_BYTES // (1024 * 1024)} MiB"
            else:
                total = MAX_TOTAL_BYTES / (1024 * 1024)
                exc.strerror = f"the files sourced total more than {total:g} MiB"
            raise
        lines = count_lines(data)  # counted before anything is parsed
        if lines > self.lines:
            if lines > MAX_TOTAL_LINES:
                why = f"{lines} lines, more than the {MAX_TOTAL_LINES} ifguard reads"
            else:
                why = f"the files sourced total more than {MAX_TOTAL_LINES} lines"
            raise TooManyLines(errno.EFBIG, why, str(path))
        self.files -= 1
        self.bytes -= len(data)
        self.lines -= lines
        return data, st


def read_main(
    path: Path, root: Root | None = None, budget: Budget | None = None
) -> tuple[bytes, os.stat_result]:
    """A main file's bytes (and ``fstat``) through the bounded reader; any failure is one
    ``UsageError`` line (exit 2): a FIFO, a device, a directory, a loop, a file over 16 MiB,
    a file on /proc or /sys."""
    try:
        return (budget or Budget()).read(path, root is None or root.follow_symlinks)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except NotRegularFile as exc:
        raise UsageError(f"{path}: {exc.strerror}") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {describe(exc)}") from None


def read_bytes(path: Path, root: Root | None = None) -> bytes:
    return read_main(path, root)[0]
