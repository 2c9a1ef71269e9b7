"""Bounded reading: the one way ifguard reads a configuration or settings file.

Only a regular file is read, and at most ``MAX_BYTES`` (16 MiB: a large real interfaces file is
a few hundred kB). A FIFO, a device (``/dev/zero``, ``/dev/urandom``, a tape), a socket or a
directory is refused without blocking: the path is checked with ``stat`` before it is opened,
opened with ``O_NONBLOCK`` (opening a FIFO never waits for a writer) and checked again with
``fstat`` on the descriptor that is read. Under a ``--root`` other than ``/`` the last component
is opened with ``O_NOFOLLOW`` (the path was already resolved inside the root).

A regular file on a kernel file system that is not storage (``/proc``, ``/sys``, debugfs,
cgroup, ...) is refused too, before and after it is opened (``statfs``/``fstatfs``): such a
"file" can block forever or consume what it returns (``/proc/kmsg`` eats the kernel log).
Only the one reader of ``/proc/net/bonding`` passes ``pseudo=True``.

Standard input (``-``) is read when it is a regular file or a pipe, with the same limit; a
terminal or a device on stdin is refused (``ifguard lint - < /dev/zero`` stops at once).
Every read has a deadline (``READ_SECONDS``; a pipe that stays silent is given up).

Every failure is an ``OSError`` whose ``strerror`` is a short reason fit for a one-line
message: ``NotRegularFile``, ``FileTooLarge`` and ``ReadTimeout`` add the refusals to the
kernel's errors.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # ctypes is imported when a file is read: start-up time matters
    import ctypes

MAX_BYTES = 16 * 1024 * 1024
READ_SECONDS = 10.0  # a deadline on any one read (a stalled pipe or file system)
_CHUNK = 1 << 20

# statfs(2) f_type of kernel file systems that hold no stored bytes: reading them can block
# (/proc/kmsg), change state (debugfs, tracefs) or never end. Storage (ext4, xfs, btrfs, zfs,
# tmpfs, overlay, nfs, ...) is everything else.
PSEUDO_FILESYSTEMS = {
    0x9FA0: "proc",
    0x62656572: "sysfs",
    0x64626720: "debugfs",
    0x74726163: "tracefs",
    0x73636673: "securityfs",
    0x27E0EB: "cgroup",
    0x63677270: "cgroup2",
    0x6165676C: "pstore",
    0xDE5E81E4: "efivarfs",
    0xCAFE4A11: "bpf",
    0x62656570: "configfs",
    0x1CD1: "devpts",
    0x65735543: "fusectl",
    0x42494E4D: "binfmt_misc",
    0xF97CFF8C: "selinuxfs",
    0x43415D53: "smackfs",
    0x19800202: "mqueue",
    0x6E736673: "nsfs",
    0x0187: "autofs",
    0x67596969: "rpc_pipefs",
}


class NotRegularFile(OSError):
    """The path is a FIFO, device, socket or directory."""


class FileTooLarge(OSError):
    """More than ``MAX_BYTES``."""


class ReadTimeout(OSError):
    """No end of data before the deadline."""


class PseudoFile(NotRegularFile):
    """A regular file of a kernel file system (``/proc``, ``/sys``, ...), not storage."""


def filesystem(target: int | str) -> str | None:
    """The name of the pseudo file system ``target`` (a descriptor or a path) is on, or None
    for storage (or when ``statfs`` is not available)."""
    f_type = _f_type(target)
    return None if f_type is None else PSEUDO_FILESYSTEMS.get(f_type)


def _f_type(target: int | str) -> int | None:
    import ctypes
    import platform

    libc = _libc()
    if libc is None:
        return None
    buf = ctypes.create_string_buffer(256)  # struct statfs is 120 bytes on 64-bit Linux
    if isinstance(target, int):
        rc = libc.fstatfs(target, buf)
    else:
        rc = libc.statfs(os.fsencode(target), buf)
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err), str(target))
    # f_type is the first field: a long, except an unsigned int on s390x
    kind = ctypes.c_uint if platform.machine() == "s390x" else ctypes.c_ulong
    return int(kind.from_buffer(buf).value) & 0xFFFFFFFF


_LIBC: list[ctypes.CDLL | None] = []


def _libc() -> ctypes.CDLL | None:
    import ctypes

    if not _LIBC:
        try:
            _LIBC.append(ctypes.CDLL(None, use_errno=True))
        except OSError:
            _LIBC.append(None)
    return _LIBC[0]


def _pseudo(name: str, fs: str) -> PseudoFile:
    return PseudoFile(errno.EINVAL, f"is on {fs}, a kernel file system, not a file on disk", name)


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
    return FileTooLarge(errno.EFBIG, f"larger than {_mib(limit)}", path)


def _mib(n: int) -> str:
    return f"{n // (1024 * 1024)} MiB" if n >= 1024 * 1024 else f"{n} bytes"


def describe(exc: OSError) -> str:
    """The reason of an ``OSError`` in a few words."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    return str(exc.strerror or exc)


def read_regular(
    path: Path | str,
    *,
    limit: int = MAX_BYTES,
    follow: bool = True,
    pseudo: bool = False,
    deadline: float | None = None,
) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file and its ``fstat`` (for identity: ``st_dev``/``st_ino``).

    ``pseudo``: allow a kernel file system (only ``/proc/net/bonding``). ``deadline``: a
    ``time.monotonic()`` by which the read must be over (default ``READ_SECONDS`` from now)."""
    name = str(path)
    st = os.stat(name) if follow else os.lstat(name)
    if not stat.S_ISREG(st.st_mode):
        raise _refuse(name, st.st_mode)
    if not pseudo and (fs := filesystem(name)):
        raise _pseudo(name, fs)
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY
    if not follow:
        flags |= os.O_NOFOLLOW
    fd = os.open(name, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _refuse(name, st.st_mode)
        if not pseudo and (fs := filesystem(fd)):
            raise _pseudo(name, fs)
        if st.st_size > limit:
            raise _too_large(name, limit)
        return _read_fd(fd, name, limit, _deadline(deadline)), st
    finally:
        os.close(fd)


def read_stdin(*, limit: int = MAX_BYTES, fd: int = 0, deadline: float | None = None) -> bytes:
    """Standard input when it is a regular file or a pipe, at most ``limit`` bytes."""
    st = os.fstat(fd)
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        raise NotRegularFile(
            errno.EINVAL, f"is {kind(st.st_mode)}; redirect a file or pipe into it", "<stdin>"
        )
    if stat.S_ISREG(st.st_mode) and filesystem(fd):
        raise _pseudo("<stdin>", str(filesystem(fd)))
    if stat.S_ISREG(st.st_mode) and st.st_size > limit:
        raise _too_large("<stdin>", limit)
    return _read_fd(fd, "<stdin>", limit, _deadline(deadline), wait=stat.S_ISFIFO(st.st_mode))


def _deadline(deadline: float | None) -> float:
    return time.monotonic() + READ_SECONDS if deadline is None else deadline


def _timeout(name: str) -> ReadTimeout:
    return ReadTimeout(errno.ETIMEDOUT, "no end of data before the read deadline", name)


def _read_fd(fd: int, name: str, limit: int, deadline: float, *, wait: bool = False) -> bytes:
    """Read to the end; ``wait``: a blocking pipe, polled first so the deadline holds."""
    import select

    chunks: list[bytes] = []
    total = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise _timeout(name)
        if wait and not select.select([fd], [], [], left)[0]:
            raise _timeout(name)
        try:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
        except BlockingIOError:  # an O_NONBLOCK pipe with nothing yet: wait for it
            if not select.select([fd], [], [], left)[0]:
                raise _timeout(name) from None
            continue
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise _too_large(name, limit)
