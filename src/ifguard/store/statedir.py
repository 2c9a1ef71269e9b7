"""The state directory (default ``/var/lib/ifguard`` under the root, mode 0700) and the
pending record in it: one JSON file, written atomically, changed only under an exclusive
lock, so the CLI, the guardian, ``confirm``/``rollback`` from another session and the boot
check agree on what happened. Every path is derived here from ``--root`` and this directory.

Layout::

    pending.json           the current transaction (absent when none is open)
    lock                   flock(2) target serialising state changes
    txn/<ID>/before/<n>    the snapshot: content of each target file before the change
    txn/<ID>/after/<n>     the candidate content (for `status`/`diff` and auditing)
    txn/<ID>/result.json   the final record once the transaction is over
    guardian.log           stderr of detached guardians
    history.db             the history store (ifguard.store.history)
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from ifguard.store.record import Transaction, damaged
from ifguard.system.fsutil import atomic_write
from ifguard.system.root import Root
from ifguard.system.strict import check_owner

PENDING = "pending.json"
_MAX_RECORD = 4 << 20  # a record is a few kB; a bigger "record" is damage


class LockTimeout(Exception):
    pass


# a transaction id is one path component: txn/<ID> never leaves txn/
_TXN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def check_database(path: Path, what: str) -> None:
    """An SQLite file of the state directory and its journals, where they exist, pass
    ``check_owner``: a link (out of a ``--root`` tree, into a host database) is refused
    before SQLite opens - and writes - what it points to."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        name = Path(f"{path}{suffix}")
        try:
            st = os.lstat(name)
        except FileNotFoundError:
            continue
        check_owner(name, st, what)


class StateDir:
    """The state directory of the configuration under ``root`` (the ``--root`` of this
    process): every path a record read here leads to is derived from ``root`` and this
    directory, never taken from the record."""

    def __init__(self, path: Path, root: Root) -> None:
        self.path = Path(path)
        self.root = root

    def ensure(self) -> None:
        self.path.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.check()

    def check(self) -> None:
        """The directory itself passes ``check_owner`` (when it exists)."""
        try:
            st = os.lstat(self.path)
        except FileNotFoundError:
            return
        check_owner(self.path, st, "a state directory")

    def bind(self, txn: Transaction) -> Transaction:
        """``txn`` with every path derived here: each target's real path from its system
        path under ``self.root``, its bytes from this directory's ``txn/<ID>/``. Refuses
        (``DamagedRecord``) an id that is not one plain name, a target that is not a file
        ifguard manages and a transaction directory reached through a link."""
        if not _TXN_ID.fullmatch(txn.id) or ".." in txn.id:
            raise damaged(self.pending_path, f"transaction id {txn.id[:80]!r} is not a plain name")
        txn_dir = self.txn_dir(txn.id)
        self._no_link(txn_dir)
        targets = []
        for n, t in enumerate(txn.targets):
            if not managed(t.system_path):
                raise damaged(self.pending_path, f"target {t.system_path!r} is not a managed file")
            try:
                real = self.root.path(t.system_path)
            except OSError as exc:
                raise damaged(self.pending_path, f"{t.system_path}: {exc.strerror}") from None
            before = None if t.before is None else txn_dir / "before" / str(n)
            after = None if t.after is None else txn_dir / "after" / str(n)
            for blob in (before, after):
                if blob is not None:
                    self._no_link(blob)
            targets.append(
                replace(
                    t,
                    path=str(real),
                    before=None if before is None else str(before),
                    after=None if after is None else str(after),
                )
            )
        return replace(txn, root=str(self.root.prefix), targets=tuple(targets))

    def _no_link(self, path: Path) -> None:
        """``path`` (inside this directory), when it exists, is reached through no link."""
        rel = os.path.relpath(path, self.path)
        if os.path.lexists(path) and os.path.realpath(path) != os.path.join(
            os.path.realpath(self.path), rel
        ):
            raise damaged(self.pending_path, f"{path} is reached through a symbolic link")

    @property
    def pending_path(self) -> Path:
        return self.path / PENDING

    def has_pending(self) -> bool:
        """Whether a transaction is open (cheap: the record is not read, no lock taken)."""
        return self.pending_path.exists()

    def txn_dir(self, txn_id: str) -> Path:
        return self.path / "txn" / txn_id

    def read(self) -> Transaction | None:
        """The pending transaction, or None. A record that cannot be read as one (bad JSON,
        wrong types, a link, a FIFO, too large) is ``DamagedRecord``: fail closed."""
        from ifguard.system.readfile import describe, read_regular

        self.check()
        try:
            data, st = read_regular(self.pending_path, limit=_MAX_RECORD, follow=False)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise damaged(self.pending_path, describe(exc)) from None
        check_owner(self.pending_path, st, "a transaction record")
        try:
            txn = Transaction.from_json(data)
        except Exception as exc:  # any shape of damage: one line, never a traceback
            why = f"{type(exc).__name__}: {exc}".splitlines()[0][:120]
            raise damaged(self.pending_path, why) from None
        return self.bind(txn)

    def discard(self, now: float) -> Path | None:
        """Set ``pending.json`` aside unread (``pending.json.discarded-TIME``) under the lock:
        nothing is restored or reloaded. Returns where it went, or None when there was none."""
        with self.locked():
            if not os.path.lexists(self.pending_path):
                return None
            aside = self.path / f"{PENDING}.discarded-{now:.0f}"
            os.rename(self.pending_path, aside)
            return aside

    def write(self, txn: Transaction) -> None:
        self.ensure()
        atomic_write(self.pending_path, txn.to_json(), mode=0o600)

    def close(self, txn: Transaction) -> None:
        """Move a finished transaction out of ``pending.json`` into its txn dir."""
        directory = self.txn_dir(txn.id)
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic_write(directory / "result.json", txn.to_json(), mode=0o600)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.pending_path)

    def last_result(self) -> Transaction | None:
        """The most recently finished transaction (by result file time)."""
        base = self.path / "txn"
        try:
            results = [p / "result.json" for p in base.iterdir() if (p / "result.json").exists()]
        except OSError:
            return None
        if not results:
            return None
        newest = max(results, key=lambda p: p.stat().st_mtime)
        try:
            return Transaction.from_json(newest.read_bytes())
        except (ValueError, TypeError, KeyError):
            return None

    @contextlib.contextmanager
    def locked(self, timeout: float = 30.0) -> Iterator[None]:
        """Hold the state lock (flock; released by the kernel if the holder dies)."""
        self.ensure()
        fd = os.open(self.path / "lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            end = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                        raise
                    if time.monotonic() >= end:
                        raise LockTimeout(str(self.path / "lock")) from None
                    time.sleep(0.05)
            yield
        finally:
            os.close(fd)


MANAGED = ("/etc/network/interfaces", "/etc/network/interfaces.new")
MANAGED_DIRS = ("/etc/network/interfaces.d/",)


def managed(system_path: str) -> bool:
    """Whether ``system_path`` is a configuration file ifguard may write: the interfaces
    files and what sits in /etc/network/interfaces.d (no ``..``, no other directory)."""
    import posixpath

    if posixpath.normpath(system_path) != system_path or "\0" in system_path:
        return False
    if system_path in MANAGED:
        return True
    return any(
        system_path.startswith(d) and "/" not in system_path[len(d) :] and system_path != d
        for d in MANAGED_DIRS
    )


def save_blob(directory: Path, name: str, data: bytes) -> str:
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = directory / name
    atomic_write(path, data, mode=0o600)
    return str(path)
