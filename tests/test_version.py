"""One version: src/ifguard/__init__.py is the source; pyproject.toml reads it, debian/changelog's
top entry says the same, `ifguard --version` prints it; scripts/build-deb.sh gives a build
from commits past the release a higher version (X.Y.Z+gitN) that dpkg orders after it."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from ifguard import __version__
from tests.conftest import require_tool
from tests.test_cli import ifguard

REPO = Path(__file__).resolve().parents[1]


def test_changelog_pyproject_and_cli_agree() -> None:
    top = (REPO / "debian/changelog").read_text().splitlines()[0]
    match = re.match(r"^ifguard \(([^)]+)\) \w+; urgency=\w+$", top)
    assert match, top
    assert match.group(1) == __version__
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "ifguard.__version__"}
    assert ifguard("--version").stdout == f"ifguard {__version__}\n"


def _build_version(tmp_path: Path, commits: int, tag: bool) -> str:
    """scripts/build-deb.sh --print-version in a fresh repository made from this tree's
    version files, with ``commits`` commits past the release commit (or its tag)."""
    repo = tmp_path / "repo"
    for rel in ("debian/changelog", "src/ifguard/__init__.py", "scripts/build-deb.sh"):
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_bytes((REPO / rel).read_bytes())

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            cwd=repo,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "release")
    if tag:
        git("tag", f"v{__version__}")
    for n in range(commits):
        (repo / "README").write_text(str(n))
        git("add", "-A")
        git("commit", "-qm", f"change {n}")
    done = subprocess.run(
        ["bash", "scripts/build-deb.sh", "--print-version"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.slow
def test_a_build_past_the_release_has_a_higher_version(tmp_path: Path) -> None:
    require_tool("git", "git")
    dpkg = require_tool("dpkg", "dpkg")
    assert _build_version(tmp_path / "a", 0, tag=False) == __version__
    assert _build_version(tmp_path / "b", 0, tag=True) == __version__
    past = _build_version(tmp_path / "c", 3, tag=True)
    assert past == f"{__version__}+git3"
    assert _build_version(tmp_path / "d", 2, tag=False) == f"{__version__}+git2"
    for lower, higher in ((__version__, past), (past, f"{__version__}+git10")):
        assert subprocess.run([dpkg, "--compare-versions", higher, "gt", lower]).returncode == 0
