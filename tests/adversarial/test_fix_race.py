"""Issue 22: `--fix` racing an editor that takes no lock loses nothing. The editor's write
is injected deterministically in the window between the fixer's check of the bytes and its
rename (the last step before the swap), by rename (vim, sed -i) and in place (nano, >>)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from ifguard.system import fsutil
from ifguard.system.fsutil import FileChanged, backup_path, replace_checked

OLD = b"iface eth0 inet manual\r\n"
FIXED = b"iface eth0 inet manual\n"
EDITOR = b"iface eth1 inet manual\n# the editor's write\n"


def by_rename(path: Path) -> None:
    tmp = path.with_name("editor.tmp")
    tmp.write_bytes(EDITOR)
    os.replace(tmp, path)


def in_place(path: Path) -> None:
    with path.open("r+b") as fh:
        fh.truncate(0)
        fh.write(EDITOR)


@pytest.mark.parametrize("editor", [by_rename, in_place], ids=["rename", "in-place"])
def test_an_editor_write_in_the_window_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, editor: Callable[[Path], None]
) -> None:
    path = tmp_path / "interfaces"
    path.write_bytes(OLD)
    original = fsutil.copy_attributes
    calls: list[int] = []

    def copy_then_edit(st: os.stat_result, source: Path | int, target: Path | int) -> None:
        original(st, source, target)
        if not calls:  # after the check, before the swap: the editor saves now
            calls.append(1)
            editor(path)

    monkeypatch.setattr(fsutil, "copy_attributes", copy_then_edit)
    with pytest.raises(FileChanged):
        replace_checked(path, OLD, FIXED)
    assert path.read_bytes() == EDITOR  # the editor's write, whole
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary, no backup


def test_without_an_editor_the_fix_is_written(tmp_path: Path) -> None:
    path = tmp_path / "interfaces"
    path.write_bytes(OLD)
    replace_checked(path, OLD, FIXED)
    assert path.read_bytes() == FIXED and backup_path(path).read_bytes() == OLD
    assert len(list(tmp_path.iterdir())) == 2
