"""Crash-safe file writes for system files: temp file in the same directory, fsync, rename,
fsync the directory; mode and owner kept; optional hidden backup next to the file.

Backups are named ``.NAME.ifguard-bak``: a leading dot keeps them out of ``source dir/*`` globs
and ``source-directory`` (which only reads ``[A-Za-z0-9_-]+`` names), so a backup is never read
as configuration.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def backup_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.ifguard-bak")


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, st.st_mode & 0o7777 if st else mode)
        if st is not None and os.geteuid() == 0:
            os.chown(tmp, st.st_uid, st.st_gid)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(directory)
    return saved
