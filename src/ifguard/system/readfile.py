"""Bounded reading: the one way ifguard reads a configuration or settings file.

Only a regular file is read, and at most ``MAX_BYTES`` (16 MiB: a large real interfaces file is
a few hundred kB). A FIFO, a device (``/dev/zero``, ``/dev/urandom``, a tape), a socket or a
directory is refused without blocking: the path is checked with ``stat`` before it is opened,
opened with ``O_NONBLOCK`` (opening a FIFO never waits for a writer) and checked again with
``fstat`` on the descriptor that is read. Under a ``--root`` other than ``/`` the last component
is opened with ``O_NOFOLLOW`` (the path was already resolved inside the root).

Standard input (``-``) is read when it is a regular file or a pipe, with the same limit; a
terminal or a device on stdin is refused (``ifguard lint - < /dev/zero`` stops at once).

Every failure is an ``OSError`` whose ``strerror`` is a short reason fit for a one-line
message: ``NotRegularFile`` and ``FileTooLarge`` add the two refusals to the kernel's errors.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_BYTES = 16 * 1024 * 1024
_CHUNK = 1 << 20


class NotRegularFile(OSError):
    """The path is a FIFO, device, socket or directory."""


class FileTooLarge(OSError):
    """More than ``MAX_BYTES``."""


def kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def _refuse(path: str, mode: int) -> NotRegularFile:
    return NotRegularFile(errno.EINVAL, f"is {kind(mode)}, not a regular file", path)


def _too_large(path: str, limit: int) -> FileTooLarge:
    return FileTooLarge(errno.EFBIG, f"larger than {limit // (1024 * 1024)} MiB", path)


def describe(exc: OSError) -> str:
    """The reason of an ``OSError`` in a few words."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    return str(exc.strerror or exc)


def read_regular(
    path: Path | str, *, limit: int = MAX_BYTES, follow: bool = True
) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file and its ``fstat`` (for identity: ``st_dev``/``st_ino``)."""
    name = str(path)
    st = os.stat(name) if follow else os.lstat(name)
    if not stat.S_ISREG(st.st_mode):
        raise _refuse(name, st.st_mode)
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY
    if not follow:
        flags |= os.O_NOFOLLOW
    fd = os.open(name, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _refuse(name, st.st_mode)
        if st.st_size > limit:
            raise _too_large(name, limit)
        return _read_fd(fd, name, limit), st
    finally:
        os.close(fd)


def read_stdin(*, limit: int = MAX_BYTES, fd: int = 0) -> bytes:
    """Standard input when it is a regular file or a pipe, at most ``limit`` bytes."""
    st = os.fstat(fd)
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        raise NotRegularFile(
            errno.EINVAL, f"is {kind(st.st_mode)}; redirect a file or pipe into it", "<stdin>"
        )
    if stat.S_ISREG(st.st_mode) and st.st_size > limit:
        raise _too_large("<stdin>", limit)
    return _read_fd(fd, "<stdin>", limit)


def _read_fd(fd: int, name: str, limit: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        try:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
        except BlockingIOError:  # an O_NONBLOCK pipe with nothing yet: wait for it
            import select

            select.select([fd], [], [])
            continue
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise _too_large(name, limit)
