"""The inotify watch on real directories: plain writes, editor-style write+rename, stop."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from ifguard.watch.inotify import Inotify


def collect(watch: Inotify, out: list[set[Path]]) -> threading.Thread:
    t = threading.Thread(target=lambda: out.extend(watch.changes(debounce=0.05)), daemon=True)
    t.start()
    return t


def wait(out: list[set[Path]], n: int) -> None:
    end = time.monotonic() + 5
    while len(out) < n:
        assert time.monotonic() < end, out
        time.sleep(0.01)


@pytest.mark.slow
def test_write_and_rename_are_seen_and_stop_ends_the_iteration(tmp_path: Path) -> None:
    target = tmp_path / "interfaces"
    target.write_text("auto lo\n")
    watch = Inotify([tmp_path])
    out: list[set[Path]] = []
    thread = collect(watch, out)
    target.write_text("auto lo\niface lo inet loopback\n")
    wait(out, 1)
    assert target in out[0]
    tmp = tmp_path / ".interfaces.swp"
    tmp.write_text("new\n")
    os.replace(tmp, target)  # how editors and Proxmox save
    wait(out, 2)
    assert target in out[1]
    watch.stop()
    thread.join(5)
    assert not thread.is_alive()
    watch.close()
    watch.close()  # idempotent


@pytest.mark.slow
def test_a_burst_is_one_batch(tmp_path: Path) -> None:
    watch = Inotify([tmp_path])
    out: list[set[Path]] = []
    collect(watch, out)
    for i in range(20):
        (tmp_path / f"f{i}").write_text("x")
    wait(out, 1)
    time.sleep(0.2)
    assert len(out) == 1 and len(out[0]) == 20
    watch.stop()


def test_missing_directory_is_an_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="inotify_add_watch"):
        Inotify([tmp_path / "nope"])
