"""A blocking inotify watch on a few directories (ctypes over libc; Linux only).

Why not watchfiles' loop: it wakes every ``step`` milliseconds to look at its stop event,
which costs 0.2 % CPU on an idle host at the step that keeps the latency low (50 ms), and
adds latency at a step that keeps it idle. Here the thread sleeps in select(2) on the
inotify descriptor and a stop pipe: no wake-up without a change. Events of one write are
grouped for ``debounce`` seconds.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import select
import struct
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from ifguard.system.errors import UsageError

IN_MODIFY = 0x2
IN_ATTRIB = 0x4
IN_CLOSE_WRITE = 0x8
IN_MOVED_FROM = 0x40
IN_MOVED_TO = 0x80
IN_CREATE = 0x100
IN_DELETE = 0x200
IN_DELETE_SELF = 0x400
IN_MOVE_SELF = 0x800
IN_Q_OVERFLOW = 0x4000
IN_ONLYDIR = 0x1000000
IN_CLOEXEC = 0o2000000
IN_NONBLOCK = 0o4000
MASK = (
    IN_MODIFY
    | IN_ATTRIB
    | IN_CLOSE_WRITE
    | IN_MOVED_FROM
    | IN_MOVED_TO
    | IN_CREATE
    | IN_DELETE
    | IN_DELETE_SELF
    | IN_MOVE_SELF
)
HEADER = struct.Struct("iIII")


class Inotify:
    def __init__(self, dirs: Iterable[Path]) -> None:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self._add = libc.inotify_add_watch
        self._add.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32)
        self.fd = libc.inotify_init1(IN_CLOEXEC | IN_NONBLOCK)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self.wd: dict[int, Path] = {}
        self._stop_r, self._stop_w = os.pipe()
        for d in dirs:
            wd = self._add(self.fd, os.fsencode(d), MASK | IN_ONLYDIR)
            if wd < 0:
                err = ctypes.get_errno()
                self.close()
                raise OSError(err, f"inotify_add_watch {d}: {os.strerror(err)}")
            self.wd[wd] = Path(d)

    def _drain(self) -> set[Path]:
        changed: set[Path] = set()
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return changed
            offset = 0
            while offset + HEADER.size <= len(data):
                wd, mask, _cookie, length = HEADER.unpack_from(data, offset)
                name = data[offset + HEADER.size : offset + HEADER.size + length].rstrip(b"\0")
                offset += HEADER.size + length
                base = self.wd.get(wd)
                if mask & IN_Q_OVERFLOW or base is None:
                    changed.update(self.wd.values())
                else:
                    changed.add(base / os.fsdecode(name) if name else base)

    def changes(self, debounce: float = 0.05) -> Iterator[set[Path]]:
        """Each batch of changed paths; ends when ``stop()`` is called."""
        while True:
            ready, _, _ = select.select([self.fd, self._stop_r], [], [])
            if self._stop_r in ready:
                return
            batch = self._drain()
            while True:  # group the rest of this write (editors: write, fsync, rename)
                ready, _, _ = select.select([self.fd, self._stop_r], [], [], debounce)
                if self._stop_r in ready:
                    return
                if not ready:
                    break
                batch |= self._drain()
            if batch:
                yield batch

    def stop(self) -> None:
        if self._stop_w >= 0:
            with contextlib.suppress(OSError):
                os.write(self._stop_w, b"x")

    def close(self) -> None:
        """Idempotent: a closed descriptor number may already belong to someone else."""
        fds = [fd for fd in (self.fd, self._stop_r, self._stop_w) if fd >= 0]
        self.fd = self._stop_r = self._stop_w = -1
        for fd in fds:
            with contextlib.suppress(OSError):
                os.close(fd)


def watchfiles_changes(
    dirs: list[Path], stop: threading.Event, step_ms: int, debounce: float
) -> Iterator[object]:
    """watchfiles' polling loop: the fallback where inotify is unavailable."""
    try:  # an optional extra (not in Debian 12): only needed where inotify is missing
        import watchfiles  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        raise UsageError(
            "inotify is unavailable here and watchfiles is not installed "
            "(pip install 'ifguard[watchfiles]')"
        ) from None
    yield from watchfiles.watch(
        *dirs,
        stop_event=stop,
        step=step_ms,
        debounce=int(debounce * 1000),
        recursive=False,
        raise_interrupt=False,
        yield_on_timeout=False,
    )
