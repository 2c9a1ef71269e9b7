"""The real-world corpus: zero errors on valid/, at least one diagnostic on invalid/."""

from __future__ import annotations

from pathlib import Path

import pytest

from ifguard.config.diagnostic import Severity
from ifguard.config.settings import Settings
from ifguard.lint.engine import lint_paths
from ifguard.system.root import Root
from tests.conftest import corpus_dir

_CORPUS = corpus_dir()
VALID = sorted((_CORPUS / "valid").glob("*")) if _CORPUS else []
INVALID = sorted((_CORPUS / "invalid").glob("*")) if _CORPUS else []


def _lint(path: Path, root: Path):  # type: ignore[no-untyped-def]
    return lint_paths([path], Root(root), Settings())


def test_corpus_is_present(corpus: Path) -> None:
    assert VALID and INVALID


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_file_has_no_errors(path: Path, tmp_path: Path) -> None:
    result = _lint(path, tmp_path)
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    assert not errors, "\n".join(f"{d.line}: {d.code} {d.message}" for d in errors)
    assert result.loaded.mains[0].render() == path.read_bytes()


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
