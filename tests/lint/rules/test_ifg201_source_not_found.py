"""IFG201 source-not-found (code: src/ifguard/lint/rules/ifg201_source_not_found.py; docs: `ifguard
explain IFG201`). Sources are followed only when the host's files are linted, so these tests write a
Debian-like root and lint it as `ifguard lint --root ROOT` does."""

from __future__ import annotations

from pathlib import Path

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
