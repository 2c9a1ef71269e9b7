"""The bounded reader: regular files only, a size cap, never blocking; and the readers that
use it under a hostile --root."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from ifguard.network.readers.bonding import read_bonds
from ifguard.system.readfile import FileTooLarge, NotRegularFile, read_regular, read_stdin
from ifguard.system.root import Root


def test_regular_file_and_limit(tmp_path: Path) -> None:
    f = tmp_path / "f"
    f.write_bytes(b"x" * 10)
    assert read_regular(f, limit=10)[0] == b"x" * 10
    with pytest.raises(FileTooLarge):
        read_regular(f, limit=9)


@pytest.mark.parametrize("make", ["fifo", "dir", "device"])
def test_non_regular_files_are_refused_without_blocking(tmp_path: Path, make: str) -> None:
    path = tmp_path / "x"
    if make == "fifo":
        os.mkfifo(path)
    elif make == "dir":
        path.mkdir()
    else:
        path = Path("/dev/zero")
    with pytest.raises(NotRegularFile):
        read_regular(path)


def test_nofollow_refuses_a_link_swapped_in(tmp_path: Path) -> None:
    (tmp_path / "t").write_text("x")
    os.symlink(tmp_path / "t", tmp_path / "l")
    assert read_regular(tmp_path / "l")[0] == b"x"
    with pytest.raises(OSError):
        read_regular(tmp_path / "l", follow=False)


def test_stdin_pipe_is_capped() -> None:
    r, w = os.pipe()

    def feed() -> None:
        try:
            os.write(w, b"y" * 100)
        finally:
            os.close(w)

    threading.Thread(target=feed).start()
    with pytest.raises(FileTooLarge):
        read_stdin(limit=50, fd=r)
    os.close(r)


def test_bonding_reader_does_not_hang_on_a_fifo_under_root(tmp_path: Path) -> None:
    d = tmp_path / "proc/net/bonding"
    d.mkdir(parents=True)
    os.mkfifo(d / "bond0")
    bonds, errors = read_bonds(Root(tmp_path))
    assert bonds == {} and len(errors) == 1 and "FIFO" in errors[0]
