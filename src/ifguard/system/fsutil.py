"""Crash-safe file writes for system files: temp file in the same directory, fsync, rename,
fsync the directory; mode, owner, ACLs and extended attributes (an SELinux label) kept;
optional hidden backup next to the file.

Backups are named ``.NAME.ifguard-bak``: a leading dot keeps them out of ``source dir/*`` globs
and ``source-directory`` (which only reads ``[A-Za-z0-9_-]+`` names), so a backup is never read
as configuration.

``replace_checked`` is how ``--fix`` rewrites a configuration file: through a symbolic link
(the link stays, its target gets the new text, as ``sed --follow-symlinks`` does), under an
exclusive lock, and only if the file still holds the bytes the fix was computed from (a
concurrent run or an editor changed it: ``FileChanged``, nothing written). Its backup holds
exactly those bytes, so the backup is always what was there before this run changed anything.
Any failure (immutable file, full filesystem, no write permission on the directory, a
directory where the backup goes, a name too long for a backup) raises ``OSError`` after
removing the temporary file: the original is intact.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import tempfile
from pathlib import Path

_MAX_NAME = 255


class FileChanged(OSError):
    """The file no longer holds the bytes a fix was computed from."""


def backup_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.ifguard-bak")


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_attributes(st: os.stat_result, source: Path | int, target: Path | int) -> None:
    """Owner (as root), mode, and every extended attribute - POSIX ACLs
    (``system.posix_acl_access``) and the SELinux label (``security.selinux``) are xattrs - from
    ``source`` (described by ``st``) to ``target``. Raises if one cannot be copied: a file
    must not silently lose its ACL."""
    if os.geteuid() == 0:
        os.chown(target, st.st_uid, st.st_gid)
    os.chmod(target, stat.S_IMODE(st.st_mode))
    try:
        names = os.listxattr(source)
    except OSError as exc:
        if exc.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
            return
        raise
    for name in names:
        os.setxattr(target, name, os.getxattr(source, name))


def _temp_in(directory: Path, name: str) -> tuple[int, str]:
    # `.NAME.XXXX.tmp` (apply cleans those up after a crash); a short name when NAME is long
    prefix = f".{name}." if len(name) < _MAX_NAME - 24 else ".ifguard."
    return tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=directory)


def _write_temp(directory: Path, name: str, data: bytes) -> str:
    fd, tmp = _temp_in(directory, name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def atomic_write(
    path: Path, data: bytes, *, backup: bool = False, mode: int = 0o644
) -> Path | None:
    """Replace ``path`` with ``data`` atomically. Returns the backup path when one was made."""
    directory = path.parent
    try:
        st: os.stat_result | None = path.stat()
    except FileNotFoundError:
        st = None
    saved: Path | None = None
    if backup and st is not None:
        saved = backup_path(path)
        atomic_write(saved, path.read_bytes(), mode=st.st_mode & 0o7777)
    tmp = _write_temp(directory, path.name, data)
    try:
        if st is not None:
            copy_attributes(st, path, Path(tmp))
        else:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(directory)
    return saved


def _lock(real: Path) -> tuple[int, os.stat_result]:
    """An exclusive ``flock`` on the file ``real`` names *now* (retried if it was replaced
    while waiting: a lock on the old inode protects nothing)."""
    while True:
        fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            st = os.fstat(fd)
            now = os.stat(real, follow_symlinks=False)
        except BaseException:
            os.close(fd)
            raise
        if (st.st_dev, st.st_ino) == (now.st_dev, now.st_ino):
            if not stat.S_ISREG(st.st_mode):
                os.close(fd)
                raise OSError(errno.EINVAL, "not a regular file", str(real))
            return fd, st
        os.close(fd)


def _swap_in(tmp: str, real: Path, fd: int, st: os.stat_result, expected: bytes) -> None:
    """Put ``tmp`` at ``real`` if what it displaces is still the checked file with the
    checked bytes. An editor holds no lock: it may rename its file over ``real`` or write
    into it between the check and the rename. The names are exchanged atomically
    (``renameat2(RENAME_EXCHANGE)``) and the displaced file checked; if the editor got there
    first, its file is exchanged back and ``FileChanged`` raised (lint again): its write is
    never lost. Where the exchange is not supported, a plain rename (the check's window)."""
    try:
        exchanged = _exchange(tmp, real)
        if not exchanged:
            os.replace(tmp, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if not exchanged:
        return None
    now = os.stat(tmp, follow_symlinks=False)
    same = (now.st_dev, now.st_ino) == (st.st_dev, st.st_ino)
    if same and _read_at(fd) == expected:
        os.unlink(tmp)  # the checked original (its bytes are in the backup)
        return None
    ours = os.stat(real, follow_symlinks=False)
    _exchange(tmp, real)  # the editor's file back at its name
    back = os.stat(tmp, follow_symlinks=False)
    if (back.st_dev, back.st_ino) != (ours.st_dev, ours.st_ino):  # yet another write
        raise FileChanged(errno.EAGAIN, f"changed while written; also kept as {tmp}", str(real))
    os.unlink(tmp)
    raise FileChanged(errno.EAGAIN, "changed while it was written (an editor)", str(real))


def _exchange(a: str, b: Path) -> bool:
    """Swap the names ``a`` and ``b`` atomically; False where it is not supported."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(str(b)), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _read_at(fd: int) -> bytes:
    """The whole file behind ``fd`` from its start, now."""
    chunks: list[bytes] = []
    offset = 0
    while chunk := os.pread(fd, 1 << 20, offset):
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _read_all(fd: int, size: int) -> bytes:
    chunks: list[bytes] = []
    while True:
        chunk = os.read(fd, max(size, 1 << 16))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def replace_checked(path: Path, expected: bytes, data: bytes, *, backup: bool = True) -> Path:
    """Replace the file ``path`` names (through symbolic links) with ``data`` if it still
    holds ``expected``; keep ``expected`` as the backup when ``backup``. Returns the real path
    written. See the module docstring for the guarantees."""
    real = Path(os.path.realpath(path, strict=True))
    if backup and len(f".{real.name}.ifguard-bak") > _MAX_NAME:
        raise OSError(
            errno.ENAMETOOLONG, "name too long for a backup next to it (.NAME.ifguard-bak)", path
        )
    fd, st = _lock(real)
    tmp: str | None = None
    saved: Path | None = None
    fresh = False
    try:
        if _read_all(fd, st.st_size) != expected:
            raise FileChanged(
                errno.EAGAIN, "changed since it was read (another run or an editor)", str(path)
            )
        tmp = _write_temp(real.parent, real.name, data)
        copy_attributes(st, fd, Path(tmp))
        if backup:
            saved = backup_path(real)
            fresh = not os.path.lexists(saved)
            old = _write_temp(real.parent, saved.name, expected)
            try:
                copy_attributes(st, fd, Path(old))  # the backup keeps the original's owner
                os.replace(old, saved)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(old)
                raise
        new, tmp = tmp, None  # from here _swap_in owns the temporary file
        try:
            _swap_in(new, real, fd, st, expected)
        except BaseException:
            if saved is not None and fresh:  # no half-done fix: no backup of nothing
                with contextlib.suppress(OSError):
                    os.unlink(saved)
            raise
        fsync_dir(real.parent)
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        os.close(fd)
    return real
