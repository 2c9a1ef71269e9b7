"""Hostile and unlucky input on `ifguard lint`: bounded reads, one-line errors, no raw control
characters on the terminal, any stdout encoding."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ifguard.system.readfile import MAX_BYTES
from tests.conftest import ifguard_as_nobody
from tests.test_cli import CLEAN, INCIDENT, assert_usage_error, ifguard

LO = "auto lo\niface lo inet loopback\n"


def run(*args: str, timeout: float = 60, **kw: Any) -> subprocess.CompletedProcess[bytes]:
    proc: subprocess.CompletedProcess[bytes] = subprocess.run(
        [sys.executable, "-m", "ifguard", *args],
        capture_output=True,
        timeout=timeout,
        check=False,
        **kw,
    )
    return proc


def one_line_exit_2(proc: subprocess.CompletedProcess[bytes], fragment: str) -> None:
    err = proc.stderr.decode()
    assert proc.returncode == 2, (proc.returncode, err, proc.stdout[:300])
    assert err.startswith("ifguard: error: ") and err.count("\n") == 1, err
    assert fragment in err and "Traceback" not in err, err


@pytest.mark.slow
def test_fifo_as_the_main_file_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "interfaces"
    os.mkfifo(fifo)
    one_line_exit_2(run("lint", str(fifo), timeout=20), "FIFO")


@pytest.mark.slow
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_devices_as_the_main_file_are_refused(device: str) -> None:
    one_line_exit_2(run("lint", device, timeout=20), "character device")


@pytest.mark.slow
def test_fifo_and_devices_as_source_targets_are_errors(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    main = tmp_path / "interfaces"
    main.write_text(
        f"{LO}source {tmp_path}/fifo\nsource /dev/zero\nsource-directory {tmp_path}/d\n"
    )
    (tmp_path / "d").mkdir()
    os.mkfifo(tmp_path / "d" / "pipe")
    proc = run("lint", str(main), timeout=20)
    out = proc.stdout.decode()
    assert proc.returncode == 1, out + proc.stderr.decode()
    assert out.count("IFG201 error") == 3 and "FIFO" in out and "character device" in out


@pytest.mark.slow
def test_settings_from_a_device_is_refused() -> None:
    one_line_exit_2(run("lint", "--config", "/dev/zero", str(CLEAN), timeout=20), "/dev/zero")


@pytest.mark.slow
def test_stdin_from_a_device_is_refused() -> None:
    with open("/dev/zero", "rb") as zero:
        one_line_exit_2(run("lint", "-", stdin=zero, timeout=20), "character device")


@pytest.mark.slow
def test_stdin_pipe_is_bounded() -> None:
    """`cat /dev/zero | ifguard lint -` stops at the limit instead of reading forever."""
    with subprocess.Popen(["cat", "/dev/zero"], stdout=subprocess.PIPE) as cat:
        proc = run("lint", "-", stdin=cat.stdout, timeout=60)
        cat.kill()
    one_line_exit_2(proc, "larger than 16 MiB")


@pytest.mark.slow
def test_stdin_regular_file_and_pipe_are_read(tmp_path: Path) -> None:
    assert run("lint", "-", input=INCIDENT.read_bytes()).returncode == 1
    with INCIDENT.open("rb") as fh:
        assert run("lint", "-", stdin=fh).returncode == 1


@pytest.mark.slow
def test_a_file_over_the_limit_is_refused_and_at_the_limit_is_read(tmp_path: Path) -> None:
    big = tmp_path / "interfaces"
    pad = MAX_BYTES - len(LO)
    big.write_bytes(LO.encode() + b"#" * (pad - 1) + b"\n")
    assert big.stat().st_size == MAX_BYTES
    assert run("lint", "-q", str(big), timeout=120).returncode == 0
    with big.open("ab") as fh:
        fh.write(b"\n")
    one_line_exit_2(run("lint", str(big), timeout=60), "larger than 16 MiB")
    src = tmp_path / "main"
    src.write_text(f"{LO}source {big}\n")
    proc = run("lint", str(src), timeout=60)
    assert proc.returncode == 1 and b"larger than 16 MiB" in proc.stdout


@pytest.mark.slow
def test_unreadable_sourced_file_is_an_error_not_a_pass(public_tmp: Path) -> None:
    """Run as an unprivileged user (root reads anything): a sourced file it cannot read means
    the configuration was not checked, so the gate must not pass."""
    if os.geteuid() != 0 or not Path("/usr/bin/python3").exists():
        pytest.skip("needs root (to drop to nobody) and the system python3")
    tmp_path = public_tmp
    target = tmp_path / "secret"
    target.write_text(LO + "27: eth0: <UP> mtu 1500\n")
    target.chmod(0o600)
    main = tmp_path / "interfaces"
    main.write_text(f"{LO}source {target}\n")
    main.chmod(0o644)
    proc = ifguard_as_nobody("lint", str(main))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "IFG201 error" in proc.stdout and "Permission denied" in proc.stdout, proc.stdout


@pytest.mark.slow
def test_cr_only_line_endings_are_an_error(tmp_path: Path) -> None:
    f = tmp_path / "interfaces"
    f.write_bytes(b"auto lo\riface lo inet loopback\r27: eth0: <UP> mtu 1500\r")
    proc = ifguard("lint", str(f))
    assert proc.returncode == 1 and "IFG106 error" in proc.stdout, proc.stdout
    # a CR-only file whose first line is a comment is one comment line to ifupdown
    f.write_bytes(b"# generated\rauto eth0\riface eth0 inet dhcp\r")
    proc = ifguard("lint", str(f))
    assert proc.returncode == 1 and "IFG106 error" in proc.stdout, proc.stdout


ESCAPES = "\x1b]0;owned\x07\x1b[2J\x9b31m"


@pytest.mark.slow
def test_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    name = tmp_path / f"inter{ESCAPES}faces"
    name.write_bytes(f"{LO}iface eth0 inet static\n  addres{ESCAPES}s 10.0.0.1\n".encode())
    for fmt in ("text", "github"):
        proc = run("lint", "--format", fmt, str(name))
        for ch in "\x1b\x07\x9b":
            assert ch.encode() not in proc.stdout and ch.encode("utf-8") not in proc.stdout, fmt
        assert b"\\x1b" in proc.stdout, proc.stdout
    missing = tmp_path / f"no{ESCAPES}file"
    proc = run("lint", str(missing))
    assert b"\x1b" not in proc.stderr and b"\\x1b" in proc.stderr
    one_line_exit_2(proc, "no such file")


@pytest.mark.slow
def test_non_utf8_stdout_encoding_never_raises(tmp_path: Path) -> None:
    f = tmp_path / "intérfaces"
    f.write_bytes(b"auto lo\niface lo inet loopback\n\xff\xfe caf\xc3\xa9 \xe2\x80\xa6\n")
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}
    for fmt in ("text", "json", "sarif", "github"):
        proc = run("lint", "--format", fmt, str(f), env=env)
        assert proc.returncode == 1, (fmt, proc.stderr.decode())
        assert b"Traceback" not in proc.stderr
    proc = run("lint", str(tmp_path / "nöpe"), env=env)
    one_line_exit_2(proc, "no such file")


@pytest.mark.slow
def test_a_directory_as_settings_and_bad_toml_types(tmp_path: Path) -> None:
    assert_usage_error(ifguard("lint", "--config", str(tmp_path), str(CLEAN)), "directory")
    bad = tmp_path / "pyproject.toml"
    bad.write_text("tool = 3\n")
    assert_usage_error(ifguard("lint", "--config", str(bad), str(CLEAN)), "`tool` must be")
    bad.write_text("[tool]\nifguard = 3\n")
    assert_usage_error(ifguard("lint", "--config", str(bad), str(CLEAN)), "`tool.ifguard`")


@pytest.mark.slow
def test_a_huge_single_word_is_linear_and_quoted_briefly(tmp_path: Path) -> None:
    """A 300 kB word once took 12.6 s in the keyword-typo check (quadratic edit distance);
    messages quoted it whole. The bound is generous: the point is minutes vs seconds."""
    import time

    f = tmp_path / "interfaces"
    f.write_text("a" * 300_000 + "\n")
    started = time.monotonic()
    proc = run("lint", str(f), timeout=60)
    assert time.monotonic() - started < 30
    assert proc.returncode == 1 and len(proc.stdout) < 2000, len(proc.stdout)
