"""IFG201 source-not-found (code: src/ifguard/lint/rules/ifg201_source_not_found.py; docs: `ifguard
explain IFG201`). Sources are followed only when the host's files are linted, so these tests write a
Debian-like root and lint it as `ifguard lint --root ROOT` does."""

from __future__ import annotations

from pathlib import Path

from ifguard.lint.engine import lint_paths
from ifguard.lint.settings import Settings
from ifguard.system.root import Root
from tests.lint.rules.helpers import lint_host, only, position

CODE = "IFG201"
MAIN = "etc/network/interfaces"
LO = "auto lo\niface lo inet loopback\n"


def test_fires_on_the_source_line(tmp_path: Path) -> None:
    text = LO + "source /etc/network/interfaces.d/*\nsource /etc/network/vlans.cfg\n"
    found = only(CODE, lint_host(tmp_path, {MAIN: text, "etc/network/interfaces.d/a": LO}))
    assert [position(d) for d in found] == [(4, 1, 4, 30)]
    assert found[0].path.endswith(MAIN)


def test_fires_on_a_missing_source_directory(tmp_path: Path) -> None:
    found = only(CODE, lint_host(tmp_path, {MAIN: LO + "source-directory /etc/network/more.d\n"}))
    assert [position(d) for d in found] == [(3, 1, 3, 37)]


def test_near_miss_stays_clean(tmp_path: Path) -> None:
    """A glob that matches nothing in a directory that exists is fine (Debian's default
    `source /etc/network/interfaces.d/*` on a host with an empty interfaces.d)."""
    (tmp_path / "etc/network/interfaces.d").mkdir(parents=True)
    diags = lint_host(tmp_path, {MAIN: LO + "source /etc/network/interfaces.d/*\n"})
    assert diags == []


def test_a_quoted_source_reads_nothing_under_ifupdown2(tmp_path: Path) -> None:
    """ifupdown2 globs `"/etc/network/interfaces.d/*"` quotes and all (its parser, through
    tests/differential): vmbr0 is never read."""
    net = tmp_path / "etc" / "network"
    (net / "interfaces.d").mkdir(parents=True)
    (net / "interfaces.d" / "vmbr0").write_text("auto vmbr0\niface vmbr0 inet manual\n")
    (net / "interfaces").write_text(
        'auto lo\niface lo inet loopback\nsource "/etc/network/interfaces.d/*"\n'
    )
    result = lint_paths(None, Root(tmp_path), Settings())
    assert [Path(d.path).name for d in result.loaded.documents] == ["interfaces"]
    assert [(d.code, d.line, d.severity) for d in result.diagnostics] == [("IFG201", 3, "error")]
    assert "not the 1 file(s) the path names without them" in result.diagnostics[0].message
