"""Issue 22: numbers on the command line are ASCII and bounded; a version id is ASCII; every
refusal is exit 2 with one line, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ifguard.store.history import History

A = {"/etc/network/interfaces": b"auto lo\niface lo inet loopback\n"}
B = {"/etc/network/interfaces": b"auto lo\niface lo inet loopback\n\n"}


def ifguard(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ifguard", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd="/",
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "etc/network").mkdir(parents=True)
    (tmp_path / "etc/network/interfaces").write_bytes(A["/etc/network/interfaces"])
    return tmp_path


@pytest.mark.slow
@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["watch", "--metrics-port", "70000"], "out of range (0..65535)"),
        (["watch", "--metrics-port", "-1"], "--metrics-port"),
        (["watch", "--metrics-port", "٨٠"], "ASCII digits only"),
        (["watch", "--alert-hold", "nan"], "out of range"),
        (["watch", "--probe-interval", "inf"], "out of range"),
        (["apply", "--timeout", "١٢"], "ASCII digits only"),
        (["history", "-n", "99999999999999999999999"], "--limit"),
        (["history", "--events", "٢"], "ASCII digits only"),
        (["status", "--settle", "1e400"], "out of range"),
    ],
)
def test_a_bad_number_is_one_line_exit_2(tree: Path, argv: list[str], fragment: str) -> None:
    proc = ifguard(*argv[:1], "--root", str(tree), *argv[1:])
    assert proc.returncode == 2, proc
    assert proc.stderr.count("\n") == 1 and fragment in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.slow
@pytest.mark.parametrize("ref", ["99999999999999999999999", "٢", "２", "-1", "9" * 400])
def test_restore_of_a_version_that_cannot_exist_is_one_line(tree: Path, ref: str) -> None:
    state = tree / "var/lib/ifguard"
    state.mkdir(parents=True, mode=0o700)
    history = History(state / "history.db")
    history.record_version(A, source="apply", errors=0, warnings=0)
    history.record_version(B, source="apply", errors=0, warnings=0)
    proc = ifguard("restore", "--root", str(tree), ref)
    assert proc.returncode == 2, proc
    assert proc.stderr.count("\n") == 1 and "no version" in proc.stderr, proc.stderr
    assert (tree / "etc/network/interfaces").read_bytes() == A["/etc/network/interfaces"]


def test_only_ascii_digits_name_a_version(tmp_path: Path) -> None:
    history = History(tmp_path / "h.db")
    history.record_version(A, source="apply", errors=0, warnings=0)
    two = history.record_version(B, source="apply", errors=0, warnings=0)
    assert two == 2
    assert history.find("2") is not None
    assert history.find("٢") is None and history.find("２") is None and history.find("²") is None
    assert history.find("9" * 30) is None and history.get(2**70) is None


ESC_LINE = b"iface eth0 inet manual \x1b[2J\x1b]0;owned\x07\r\n"


@pytest.mark.slow
def test_lint_diff_shows_escapes_never_sends_them(tmp_path: Path) -> None:
    path = tmp_path / "interfaces"
    path.write_bytes(b"auto lo\r\niface lo inet loopback\r\n" + ESC_LINE)
    proc = subprocess.run(
        [sys.executable, "-m", "ifguard", "lint", "--diff", str(path)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode in (0, 1) and proc.stdout.startswith(b"---"), proc
    assert b"\x1b" not in proc.stdout and b"\x07" not in proc.stdout and b"\r" not in proc.stdout
    assert b"\\x1b[2J" in proc.stdout and b"\\x0d" in proc.stdout  # the CRLF fix, visible


@pytest.mark.slow
def test_history_diff_shows_escapes_never_sends_them(tree: Path) -> None:
    state = tree / "var/lib/ifguard"
    state.mkdir(parents=True, mode=0o700)
    history = History(state / "history.db")
    a = history.record_version(A, source="apply", errors=0, warnings=0)
    b = history.record_version(
        {"/etc/network/interfaces": ESC_LINE}, source="watch", errors=0, warnings=0
    )
    proc = subprocess.run(
        [sys.executable, "-m", "ifguard", "diff", "--root", str(tree), str(a), str(b)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1, proc
    assert b"\x1b" not in proc.stdout and b"\x07" not in proc.stdout and b"\r" not in proc.stdout
    assert b"+iface eth0 inet manual \\x1b[2J\\x1b]0;owned\\x07\\x0d\n" in proc.stdout
