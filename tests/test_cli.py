"""The command line: exit codes, one-line errors, --fix/--diff, stdin, formats."""

from __future__ import annotations

import difflib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

INCIDENT = REPO / "examples" / "incident.interfaces"
CLEAN = REPO / "examples" / "proxmox-ovs.interfaces"


def ifguard(
    *args: str, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ifguard", *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=cwd,
    )


def assert_usage_error(proc: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert proc.returncode == 2, proc
    assert proc.stderr.startswith("ifguard: error: ") and fragment in proc.stderr, proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_clean_file_exits_0_and_incident_exits_1() -> None:
    assert ifguard("lint", str(CLEAN)).returncode == 0
    proc = ifguard("lint", str(INCIDENT))
    assert proc.returncode == 1
    assert f"{INCIDENT}:" in proc.stdout and "IFG101 error" in proc.stdout


@pytest.mark.slow
def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    f = tmp_path / "interfaces"
    f.write_bytes(b"auto lo\r\niface lo inet loopback\r\n")
    proc = ifguard("lint", str(f))
    assert proc.returncode == 0 and "IFG106 warning" in proc.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    "args,fragment",
    [
        (["lint", "/nonexistent/interfaces"], "no such file"),
        (["lint", "/"], "is a directory"),
        (["lint", "--frobnicate"], "unrecognized arguments"),
        (["lint", "--select", "IFG999", str(CLEAN)], "unknown rule code"),
        (["lint", "--format", "xml", str(CLEAN)], "invalid choice"),
        (["lint", "--root", "/nonexistent-root"], "not a directory"),
        (["lint", "/etc/passwd/interfaces"], "cannot read"),
    ],
)
def test_usage_errors_are_one_line_exit_2(args: list[str], fragment: str) -> None:
    assert_usage_error(ifguard(*args), fragment)


@pytest.mark.slow
def test_bad_config_file_is_a_usage_error(tmp_path: Path) -> None:
    cfg = tmp_path / "ifguard.toml"
    cfg.write_text("selectt = ['IFG1']\n")
    assert_usage_error(ifguard("lint", "--config", str(cfg), str(CLEAN)), "unknown setting")
    cfg.write_text("select = [\n")
    assert_usage_error(ifguard("lint", "--config", str(cfg), str(CLEAN)), "invalid TOML")


@pytest.mark.slow
def test_version_and_help() -> None:
    assert ifguard("--version").stdout.startswith("ifguard ")
    out = ifguard("lint", "--help").stdout
    assert "examples:" in out and "exit status" in out


@pytest.mark.slow
def test_stdin() -> None:
    proc = ifguard("lint", "-", "--format", "json", stdin=INCIDENT.read_text())
    assert proc.returncode == 1
    diags = json.loads(proc.stdout)["diagnostics"]
    assert [d["code"] for d in diags] == ["IFG101"] and diags[0]["path"] == "<stdin>"


@pytest.mark.slow
def test_default_target_is_the_hosts_file_and_pending_interfaces_new(tmp_path: Path) -> None:
    net = tmp_path / "etc" / "network"
    net.mkdir(parents=True)
    (net / "interfaces").write_text(CLEAN.read_text())
    assert ifguard("lint", "--root", str(tmp_path)).returncode == 0
    (net / "interfaces.new").write_text(INCIDENT.read_text())
    proc = ifguard("lint", "--root", str(tmp_path), "-q")
    assert proc.returncode == 1 and "interfaces.new:" in proc.stdout


@pytest.mark.slow
def test_sourced_files_are_linted_and_cycles_reported(tmp_path: Path) -> None:
    net = tmp_path / "etc" / "network"
    (net / "interfaces.d").mkdir(parents=True)
    (net / "interfaces").write_text(
        "auto lo\niface lo inet loopback\nsource /etc/network/interfaces.d/*\n"
    )
    (net / "interfaces.d" / "vlans").write_text(
        "iface eth0 inet manual\nroot@pve:~# ip a\nsource /etc/network/interfaces\n"
    )
    (net / "interfaces.d" / ".vlans.ifguard-bak").write_text("junk junk\n")  # never read
    proc = ifguard("lint", "--root", str(tmp_path), "-q", "--format", "json")
    diags = json.loads(proc.stdout)["diagnostics"]
    assert {(Path(d["path"]).name, d["code"]) for d in diags} == {
        ("vlans", "IFG102"),
        ("vlans", "IFG202"),
    }


@pytest.mark.slow
def test_fix_removes_only_the_junk_line_keeps_mode_and_a_backup(tmp_path: Path) -> None:
    target = tmp_path / "interfaces"
    original = INCIDENT.read_bytes()
    target.write_bytes(original)
    os.chmod(target, 0o640)
    diff = ifguard("lint", "--diff", str(target))
    assert diff.returncode == 1 and "-27: enx60a4b758ba5b" in diff.stdout
    assert target.read_bytes() == original  # --diff writes nothing
    fixed = ifguard("lint", "--fix", str(target))
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    after = target.read_bytes()
    delta = [
        ln
        for ln in difflib.ndiff(original.decode().splitlines(), after.decode().splitlines())
        if ln[:1] in "+-"
    ]
    assert len(delta) == 1 and delta[0].startswith("- 27: enx60a4b758ba5b")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert (tmp_path / ".interfaces.ifguard-bak").read_bytes() == original
    assert ifguard("lint", str(target)).returncode == 0
    again = ifguard("lint", "--fix", str(target))
    assert again.returncode == 0 and target.read_bytes() == after


@pytest.mark.slow
def test_fix_crlf_and_pyproject_settings(tmp_path: Path) -> None:
    target = tmp_path / "interfaces"
    target.write_bytes(b"auto lo\r\niface lo inet loopback\r\n")
    assert ifguard("lint", "--fix", str(target)).returncode == 0
    assert target.read_bytes() == b"auto lo\niface lo inet loopback\n"
    target.write_bytes(b"auto lo\r\niface lo inet loopback\r\n")
    (tmp_path / "pyproject.toml").write_text('[tool.ifguard]\nignore = ["IFG106"]\n')
    assert "IFG106" not in ifguard("lint", str(target), cwd=tmp_path).stdout


@pytest.mark.slow
def test_unreadable_file_is_a_usage_error(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        f = tmp_path / "interfaces"
        f.write_text("auto lo\niface lo inet loopback\n")
        f.chmod(0)
        assert_usage_error(ifguard("lint", str(f)), "cannot read: Permission denied")
    else:  # root reads mode-000 files; /proc/self/mem (EIO on read) is refused before reading
        assert_usage_error(ifguard("lint", "/proc/self/mem"), "is on proc, a kernel file system")


def test_a_read_error_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from ifguard.config.budget import read_main
    from ifguard.system.errors import UsageError

    f = tmp_path / "interfaces"
    f.write_text("auto lo\niface lo inet loopback\n")

    def eio(fd: int, n: int) -> bytes:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "read", eio)
    with pytest.raises(UsageError, match="cannot read: Input/output error"):
        read_main(f)


@pytest.mark.slow
def test_symlink_loop_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    assert_usage_error(ifguard("lint", str(tmp_path / "a")), "cannot read")


@pytest.mark.slow
@pytest.mark.parametrize(
    "args,fragment",
    [
        (["lint", "--ignore", "IFG999", str(CLEAN)], "unknown rule code"),
        (["explain", "IFG999"], "unknown rule"),
        (["explain"], "required"),
        (["rules", "--bogus"], "unrecognized arguments"),
        (["no-such-command"], "invalid choice"),
        (["lint", "--config", "/nonexistent.toml", str(CLEAN)], "cannot read config"),
        (["lint", "--fix", "-"], "stdin"),
    ],
)
def test_more_usage_errors(args: list[str], fragment: str) -> None:
    assert_usage_error(ifguard(*args, stdin=""), fragment)


@pytest.mark.slow
def test_no_command_prints_usage_and_exits_2() -> None:
    proc = ifguard()
    assert proc.returncode == 2 and "Traceback" not in proc.stdout + proc.stderr


@pytest.mark.slow
def test_binary_stdin_is_linted_not_a_crash() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "ifguard", "lint", "-"],
        capture_output=True,
        input=b"\xff\xfe\x00auto lo\n\x1b[31miface lo inet loopback\n",
    )
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr
    assert b"IFG104" in proc.stdout and proc.stderr == b""


@pytest.mark.slow
def test_explain_accepts_code_any_case_and_name() -> None:
    by_code = ifguard("explain", "IFG101")
    assert by_code.returncode == 0 and "## What it does" in by_code.stdout
    assert ifguard("explain", "ifg101").stdout == by_code.stdout
    assert ifguard("explain", "pasted-command-output").stdout == by_code.stdout


@pytest.mark.slow
def test_rules_lists_every_rule() -> None:
    from ifguard.lint.rules import RULES

    out = ifguard("rules").stdout
    for r in RULES:
        assert r.code in out and r.name in out


@pytest.mark.slow
def test_fix_reaches_a_fixpoint_when_fixes_overlap(tmp_path: Path) -> None:
    # CRLF conversion overlaps the removed junk line and the rewritten auto line: one --fix
    # must still leave nothing fixable, and a second --fix must change nothing.
    target = tmp_path / "interfaces"
    original = b"auto lo lo\r\niface lo inet loopback\r\n27: eth0: <BROADCAST,UP> mtu 1500\r\n"
    target.write_bytes(original)
    assert ifguard("lint", "--fix", str(target)).returncode == 0
    after = target.read_bytes()
    assert after == b"auto lo\niface lo inet loopback\n"
    assert (tmp_path / ".interfaces.ifguard-bak").read_bytes() == original
    assert ifguard("lint", "--fix", str(target)).returncode == 0
    assert target.read_bytes() == after
