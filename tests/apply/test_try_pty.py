"""`ifguard try` driven in a real pseudo-terminal (as a person at a terminal would): the
countdown is shown, Enter keeps the change, no key rolls it back, a key typed before the
change is in place does not count, and without a terminal it refuses in one line. The
reload is a recording command under a temporary root; the guardian is the real one
(forked)."""

from __future__ import annotations

import os
import re
import select
import subprocess
import time
from pathlib import Path

import pytest

from tests.apply.cli_helpers import CLEAN, MAIN, argv, candidate, ifguard, make_root, reload_cmd

pytestmark = pytest.mark.slow


class Terminal:
    """A command on the slave side of a pty; the test types on the master side."""

    def __init__(self, args: list[str]) -> None:
        self.master, slave = os.openpty()
        self.proc = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, start_new_session=True, close_fds=True
        )
        os.close(slave)
        self.seen = b""

    def expect(self, pattern: str, timeout: float = 60) -> str:
        end = time.monotonic() + timeout
        while not re.search(pattern.encode(), self.seen):
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {pattern!r} in:\n{self.text}")
            ready, _, _ = select.select([self.master], [], [], min(left, 0.5))
            if ready:
                try:
                    self.seen += os.read(self.master, 4096)
                except OSError:  # the slave side is closed
                    if self.proc.poll() is not None:
                        raise AssertionError(f"exited without {pattern!r}:\n{self.text}") from None
        return self.text

    def type(self, data: bytes) -> None:
        os.write(self.master, data)

    def wait(self, timeout: float = 60) -> int:
        end = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < end:
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    self.seen += os.read(self.master, 4096)
                except OSError:
                    break
        rc = self.proc.wait(timeout=max(1.0, end - time.monotonic()))
        os.close(self.master)
        return rc

    @property
    def text(self) -> str:
        return self.seen.decode(errors="replace").replace("\r\n", "\n")


def try_argv(root: Path, cand: Path, *extra: str) -> list[str]:
    return argv(
        root, "try", str(cand), "--reload-cmd", reload_cmd(root), "--no-probes",
        "--spawner", "fork", *extra,
    )  # fmt: skip


def test_enter_keeps_the_change(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    cand = candidate(tmp_path, "tag=1001", "tag=1002")
    term = Terminal(try_argv(root, cand, "--timeout", "60", "-m", "vlan 1002"))
    term.expect(r"rolled back in +\d+ s")
    term.type(b"\n")
    assert term.wait() == 0, term.text
    print(term.text)
    assert "confirmed by the operator" in term.text
    assert (root / MAIN).read_bytes() == cand.read_bytes()
    line = ifguard(root, "history").stdout.splitlines()[1]
    assert "try by " in line and "(kept)" in line and line.endswith("vlan 1002")


def test_no_key_rolls_back_at_the_deadline(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    cand = candidate(tmp_path, "tag=1001", "tag=1002")
    term = Terminal(try_argv(root, cand, "--timeout", "3"))
    term.expect(r"rolled back in +[123] s")
    assert term.wait() == 1, term.text
    print(term.text)
    assert "rolled-back: not confirmed within 3 s" in term.text.split("rolled back in")[-1]
    assert (root / MAIN).read_bytes() == CLEAN.read_bytes()


def test_a_key_typed_before_the_change_is_in_place_does_not_count(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    cand = candidate(tmp_path, "tag=1001", "tag=1002")
    term = Terminal(try_argv(root, cand, "--timeout", "3"))
    term.type(b"\n")  # at once: long before the reload
    assert term.wait() == 1, term.text
    assert (root / MAIN).read_bytes() == CLEAN.read_bytes()


def test_without_a_terminal_it_refuses_in_one_line(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    cand = candidate(tmp_path, "tag=1001", "tag=1002")
    done = subprocess.run(
        try_argv(root, cand), stdin=subprocess.DEVNULL, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "needs a terminal" in done.stderr
    assert (root / MAIN).read_bytes() == CLEAN.read_bytes()
    refused = subprocess.run(try_argv(root, cand, "--auto-confirm"), capture_output=True, text=True)
    assert refused.returncode == 2 and "not with `ifguard try`" in refused.stderr
