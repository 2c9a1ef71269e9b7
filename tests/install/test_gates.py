"""The gates (networking drop-in, apt hook, ifreload wrapper) cannot be switched off by
accident: system settings only, run from /, refuse when lint could not run, quoted/refused
install paths, and the same verdict on a broken interfaces.new."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest

from ifguard.install import files as F
from ifguard.system.root import Root
from tests.install.test_install import (
    BROKEN,
    CLEAN,
    IFGUARD,
    IP_LINE,
    cli,
    host,
    ifreload,
    wrapped,
)

SETTINGS = "/etc/ifguard/ifguard.toml"


def _settings(root: Path, text: str) -> Path:
    path = Root(root).path(SETTINGS)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.mark.slow
@pytest.mark.parametrize(
    "toml,fragment",
    [
        ('ignore = "IFG101"\n', "`ignore` must be a list"),
        ('ignore = ["I"]\n', "unknown rule code, prefix or name 'I'"),
        ('select = ["IFG9"]\n', "unknown rule code, prefix or name 'IFG9'"),
        ("ignore = [1]\n", "`ignore` must hold rule codes"),
        ('extend-select = "ALL"\n', "`extend-select` must be a list"),
        ('severity = "warning"\n', "`severity` must be a table"),
        ('severity = {IFG101 = "fatal"}\n', "severity.IFG101` must be error, warning or info"),
        ('severity = {I = "info"}\n', "`severity`: unknown rule code"),
        ('per-file-ignores = {"*" = "IFG101"}\n', "`per-file-ignores.*` must be a list"),
        ('per-file-ignores = {"*" = ["IFG"]}\n', "unknown rule code, prefix or name 'IFG'"),
        ('dialect = "debian"\n', "`dialect` must be one of"),
        ("dialect = 2\n", "`dialect` must be one of"),
    ],
)
def test_settings_type_errors_exit_2_naming_key_and_file(
    tmp_path: Path, toml: str, fragment: str
) -> None:
    root = host(tmp_path, interfaces=CLEAN + BROKEN)
    path = _settings(root, toml)
    for args in (["lint", "--root", str(root)], ["lint", "--gate", "--root", str(root)]):
        proc = cli(*args)
        assert proc.returncode == 2, (toml, proc.stdout)
        assert proc.stderr.count("\n") == 1 and str(path) in proc.stderr, proc.stderr
        assert fragment in proc.stderr, proc.stderr
    # the same text in ./pyproject.toml under [tool.ifguard] is refused the same way
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("[tool.ifguard]\n" + toml)
    Root(root).path(SETTINGS).unlink()
    proc = subprocess.run(
        [IFGUARD, "lint", "--root", str(root)], capture_output=True, text=True, cwd=project
    )
    assert proc.returncode == 2 and fragment in proc.stderr, proc.stderr


@pytest.mark.slow
def test_valid_settings_still_work(tmp_path: Path) -> None:
    root = host(tmp_path, interfaces=CLEAN + BROKEN)
    _settings(root, 'ignore = ["IFG101", "pasted-command-output"]\nseverity = {IFG110 = "info"}\n')
    proc = cli("lint", "--gate", "--root", str(root))
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.slow
def test_gate_ignores_a_pyproject_in_the_current_directory(tmp_path: Path) -> None:
    root = host(tmp_path, interfaces=CLEAN + BROKEN)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    (cwd / "pyproject.toml").write_text('[tool.ifguard]\nignore = ["ALL"]\n')

    def run(*a: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([IFGUARD, *a], capture_output=True, text=True, cwd=cwd)

    assert run("lint", "--root", str(root)).returncode == 0  # interactive: the project counts
    assert run("lint", "--gate", "--root", str(root)).returncode == 1  # the gate: never
    (cwd / "pyproject.toml").write_text("[tool.ifguard\n")  # invalid TOML
    assert run("lint", "--gate", "--root", str(root)).returncode == 1
    proc = run("lint", "--gate", "--config", str(cwd / "pyproject.toml"), "--root", str(root))
    assert proc.returncode == 2 and "--gate" in proc.stderr


@pytest.mark.slow
def test_installed_wrapper_ignores_a_cwd_pyproject(tmp_path: Path) -> None:
    root = wrapped(tmp_path, CLEAN + "\n" + BROKEN)
    for text in ('[tool.ifguard]\nignore = ["ALL"]\n', "[tool.ifguard]\nignore = 1\n", "[x"):
        cwd = tmp_path / "cwd"
        cwd.mkdir(exist_ok=True)
        (cwd / "pyproject.toml").write_text(text)
        proc = subprocess.run(
            [str(root / "usr/sbin/ifreload"), "-a"], capture_output=True, text=True, cwd=cwd
        )
        assert proc.returncode == 1 and "refused by ifguard" in proc.stderr, proc.stderr
        assert "IFG101" in proc.stderr and not (root / "called").exists()


@pytest.mark.slow
def test_wrapper_refuses_when_lint_cannot_run(tmp_path: Path) -> None:
    root = wrapped(tmp_path, CLEAN)
    _settings(root, 'ignore = "IFG101"\n')
    proc = ifreload(root, "-a")
    assert proc.returncode == 1 and "could not run (exit 2" in proc.stderr, proc.stderr
    assert "must be a list" in proc.stderr and not (root / "called").exists()
    # the interfaces file a FIFO: lint cannot read it, the wrapper refuses at once
    Root(root).path(SETTINGS).unlink()
    interfaces = Root(root).path("/etc/network/interfaces")
    interfaces.unlink()
    os.mkfifo(interfaces)
    proc = ifreload(root, "-a")
    assert proc.returncode == 1 and "FIFO" in proc.stderr, proc.stderr
    assert not (root / "called").exists()
    # the one override: let through, and said so
    forced = ifreload(root, "-a", IFGUARD_FORCE="1")
    assert forced.returncode == 0 and "gate bypassed" in forced.stderr
    assert (root / "called").exists()


def _gate_commands(root: Path) -> dict[str, list[str]]:
    """Each gate's lint command as written on disk, pointed at this root."""
    dropin = Root(root).path(F.DROPIN).read_text()
    exec_line, verdict = [
        ln for ln in dropin.splitlines() if ln.startswith(f"ExecReload={IFGUARD}")
    ]
    assert verdict == f"ExecReload={IFGUARD} reload --verdict"  # last: reloads nothing
    hook = Root(root).path(F.APT_HOOK).read_text()
    shell = hook.split('"')[1]  # the command apt runs with /bin/sh -c
    inner = shell.split("then ", 1)[1].split("; else")[0]
    assert inner.startswith("cd / && exec ")
    return {
        "drop-in": [*shlex.split(exec_line.removeprefix("ExecReload=")), "--root", str(root)],
        "apt hook": [*shlex.split(inner.removeprefix("cd / && exec ")), "--root", str(root)],
    }


# what apt writes on the hook's stdin (protocol version 2) when it installs a package
APT_V2 = (
    "VERSION 2\nAPT::Architecture=amd64\n\n"
    "ifupdown2 3.0.0-1.1 = 3.0.0-1.1 /var/cache/apt/archives/ifupdown2_3.0.0-1.1_all.deb\n"
)


def _verdicts(root: Path) -> dict[str, int]:
    out = {
        name: subprocess.run(argv, capture_output=True, text=True, cwd="/", input=APT_V2).returncode
        for name, argv in _gate_commands(root).items()
    }
    out["ifreload wrapper"] = ifreload(root, "-a").returncode
    return out


@pytest.mark.slow
def test_all_gates_agree_on_a_broken_interfaces_new(tmp_path: Path) -> None:
    """The reload gates check what a reload reads (the running configuration): a broken
    pending interfaces.new passes all three alike, a broken interfaces fails all three."""
    root = wrapped(tmp_path, CLEAN)
    pending = Root(root).path("/etc/network/interfaces.new")
    pending.write_text(CLEAN + "\n" + BROKEN)
    assert _verdicts(root) == {"drop-in": 0, "apt hook": 0, "ifreload wrapper": 0}
    # ... and it is not ignored: `ifguard lint` (and the watcher, the boot check) report it
    assert cli("lint", "--root", str(root)).returncode == 1
    Root(root).path("/etc/network/interfaces").write_text(CLEAN + "\n" + BROKEN)
    pending.write_text(CLEAN)
    (root / "called").unlink()
    assert _verdicts(root) == {"drop-in": 1, "apt hook": 1, "ifreload wrapper": 1}
    assert not (root / "called").exists()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["with space", "semi;touch PWNED", "dollar$(touch PWNED)"])
def test_install_refuses_an_executable_path_a_shell_would_split(tmp_path: Path, name: str) -> None:
    root = host(tmp_path, ifreload=True)
    exe = tmp_path / name / "ifguard"
    exe.parent.mkdir()
    exe.symlink_to(IFGUARD)
    before = sorted(p for p in root.rglob("*"))
    proc = cli("install", "--root", str(root), "--divert-ifreload", "--ifguard", str(exe))
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert "not a plain absolute path" in proc.stderr
    assert sorted(p for p in root.rglob("*")) == before  # nothing written
    assert not list(tmp_path.rglob("PWNED"))


def _apt_hook(root: Path, tmp_path: Path, stdin: str) -> subprocess.CompletedProcess[str]:
    """The hook's shell command as apt runs it (sh -c, the package list on stdin)."""
    hook = Root(root).path(F.APT_HOOK).read_text()
    shell = hook.split('"')[1].replace(" apt-hook", f" apt-hook --root {shlex.quote(str(root))}")
    assert "--root" in shell
    return subprocess.run(
        ["sh", "-c", shell], capture_output=True, text=True, cwd=tmp_path, input=stdin
    )


@pytest.mark.slow
def test_apt_hook_runs_lint_and_fails_on_errors_saying_what_to_do(tmp_path: Path) -> None:
    root = host(tmp_path, interfaces=CLEAN + BROKEN)
    assert cli("install", "--root", str(root), "--ifguard", IFGUARD).returncode == 0
    proc = _apt_hook(root, tmp_path, APT_V2)
    assert proc.returncode == 1 and "IFG101" in proc.stdout
    line = (CLEAN + BROKEN).splitlines().index(IP_LINE.strip()) + 1
    assert f"/etc/network/interfaces:{line}:1: IFG101" in proc.stdout  # the file and the line
    for teaching in ("ifguard lint --fix", "IFGUARD_FORCE=1 apt", "apt purge ifguard"):
        assert teaching in proc.stderr, proc.stderr
    fixed = host(tmp_path / "clean", interfaces=CLEAN)
    assert cli("install", "--root", str(fixed), "--ifguard", IFGUARD).returncode == 0
    assert _apt_hook(fixed, tmp_path, APT_V2).returncode == 0


@pytest.mark.slow
@pytest.mark.parametrize("version", [2, 3])
def test_apt_hook_never_refuses_removing_ifguard(tmp_path: Path, version: int) -> None:
    root = host(tmp_path, interfaces=CLEAN + BROKEN)
    assert cli("install", "--root", str(root), "--ifguard", IFGUARD).returncode == 0
    line = (
        "ifguard 0.2.0 > - **REMOVE**"
        if version == 2
        else "ifguard 0.2.0 all none > - - none **REMOVE**"
    )
    proc = _apt_hook(root, tmp_path, f"VERSION {version}\nAPT::X=1\n\n{line}\n")
    assert proc.returncode == 0 and "ifguard is being removed" in proc.stderr, proc
    # removing anything else is still refused (another package's scripts may reload)
    other = line.replace("ifguard ", "openvswitch-switch ", 1)
    assert _apt_hook(root, tmp_path, f"VERSION {version}\nAPT::X=1\n\n{other}\n").returncode == 1
