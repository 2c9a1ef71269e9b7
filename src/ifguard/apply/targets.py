"""Putting a transaction's files in place: every target in its ``before`` or ``after``
content, each atomically. The paths are the ones ``StateDir.bind`` derived (managed files
under --root; bytes from the transaction's own directory, read without following a link)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from ifguard.store.record import Transaction
from ifguard.system.fsutil import atomic_write
from ifguard.system.readfile import read_regular


def write_targets(txn: Transaction, which: str) -> None:
    """Put every target file in its ``before`` or ``after`` content, each atomically."""
    for t in txn.targets:
        blob = t.before if which == "before" else t.after
        path = Path(t.path)
        if blob is None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            continue
        data = read_regular(Path(blob), follow=False)[0]
        with contextlib.suppress(OSError):
            if path.read_bytes() == data:
                continue
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)


def remove_temp_files(txn: Transaction) -> None:
    """Temporary files of an ``atomic_write`` killed mid-way (``.NAME.XXXX.tmp``; hidden, so
    never read as configuration, but they should not pile up)."""
    for t in txn.targets:
        path = Path(t.path)
        with contextlib.suppress(OSError):
            for leftover in path.parent.glob(f".{path.name}.*.tmp"):
                leftover.unlink()
