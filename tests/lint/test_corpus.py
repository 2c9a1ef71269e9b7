"""The real-world corpus, linted the way a user lints: zero errors on valid/ on this machine,
under an empty --root and against a host whose NICs are not the file's; at least one
diagnostic on invalid/."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ifguard.cli import main
from ifguard.config.diagnostic import Severity
from ifguard.lint.engine import lint_paths
from ifguard.lint.settings import Settings
from ifguard.system.root import Root
from tests.conftest import corpus_dir

_CORPUS = corpus_dir()
VALID = sorted((_CORPUS / "valid").glob("*")) if _CORPUS else []
INVALID = sorted((_CORPUS / "invalid").glob("*")) if _CORPUS else []


@pytest.fixture(autouse=True)
def _gc_back_on() -> Iterator[None]:
    yield
    gc.enable()  # `ifguard lint` switches the collector off for its short life


def _lint(path: Path, root: Path):  # type: ignore[no-untyped-def]
    return lint_paths([path], Root(root), Settings())


def _cli_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Run `ifguard lint --format json ARGV` as the CLI does; the errors it reports."""
    rc = main(["lint", "--format", "json", *argv])
    data = json.loads(capsys.readouterr().out)
    errors = [
        f"{d['line']}: {d['code']} {d['message']}"
        for d in data["diagnostics"]
        if d["severity"] == "error"
    ]
    assert rc == (1 if errors else 0)
    return errors


def test_corpus_is_present(corpus: Path) -> None:
    assert VALID and INVALID


@pytest.mark.slow
@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_file_has_no_errors_on_this_machine(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Plain `ifguard lint FILE` (root /, this machine's /sys/class/net and settings)."""
    assert not _cli_errors([str(path)], capsys)


@pytest.mark.slow
@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_file_has_no_errors_under_an_empty_root(
    path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert not _cli_errors(["--root", str(tmp_path), str(path)], capsys)
    assert _lint(path, tmp_path).loaded.mains[0].render() == path.read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_file_has_no_errors_on_a_host_without_its_nics(
    path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--root with a /sys/class/net that has none of the file's NICs: warnings at most."""
    for nic in ("lo", "eth7", "enp9s0"):
        (tmp_path / "sys" / "class" / "net" / nic).mkdir(parents=True)
    assert not _cli_errors(["--root", str(tmp_path), str(path)], capsys)


@pytest.mark.slow
def test_cli_on_a_corpus_file_with_foreign_nics_reports_warnings_not_errors(
    corpus: Path, tmp_path: Path
) -> None:
    """The real process on a Proxmox OVS file, its root's /sys/class/net lacking its NICs."""
    path = next(p for p in VALID if b"ovs_type" in p.read_bytes() and b"bond" in p.read_bytes())
    (tmp_path / "sys" / "class" / "net" / "enp9s0").mkdir(parents=True)
    (tmp_path / "sys" / "class" / "net" / "lo").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "ifguard", "lint", "--root", str(tmp_path), "-q", str(path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert " error " not in done.stdout and not done.stderr


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_file_round_trips_and_lints(path: Path, tmp_path: Path) -> None:
    result = _lint(path, tmp_path)
    assert result.loaded.mains[0].render() == path.read_bytes()


def test_incident_file_gets_the_junk_error(corpus: Path, tmp_path: Path) -> None:
    path = corpus / "invalid" / "gh-postmortem-ovs-pasted-ip-output.interfaces"
    codes = [
        (d.code, d.line) for d in _lint(path, tmp_path).diagnostics if d.severity is Severity.ERROR
    ]
    line = next(
        i for i, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("27: ")
    )
    assert ("IFG101", line) in codes
