"""IFG103 stray-marker (code: src/ifguard/lint/rules/ifg103_stray_marker.py; docs: `ifguard explain
IFG103`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, fixed, hits, lint

CODE = "IFG103"
LO = "auto lo\niface lo inet loopback\n"
ETH = "auto eno1\niface eno1 inet dhcp\n"


def test_fires_on_each_merge_conflict_marker() -> None:
    text = LO + "<<<<<<< HEAD\n" + ETH + "=======\n>>>>>>> branch\n"
    assert hits(CODE, text) == [(3, 1, 3, 13), (6, 1, 6, 8), (7, 1, 7, 15)]


def test_fires_on_a_heredoc_end_marker() -> None:
    assert hits(CODE, LO + "EOF\n") == [(3, 1, 3, 4)]


def test_near_miss_stays_clean() -> None:
    """A comment drawn with `=` signs is a comment, not a merge marker."""
    assert codes("# ======= uplinks =======\n" + LO + "# EOF\n") == []


def test_conflict_markers_get_no_fix() -> None:
    """Issue 13: deleting the markers keeps both sides of the conflict and reports "All
    clear"; there is no safe side to pick, so no automatic fix at all."""
    text = LO + "<<<<<<< HEAD\n" + ETH + "=======\n" + ETH + ">>>>>>> branch\n"
    found = [d for d in lint(text) if d.code == CODE]
    assert len(found) == 3 and all(d.fix is None for d in found)
    diff_body = LO + "+iface eno2 inet dhcp\n"
    assert [d.fix for d in lint(diff_body) if d.code == CODE] == [None]


def test_fix_deletes_a_heredoc_marker_and_relints_clean() -> None:
    text = LO + "EOF\n"
    after = fixed(CODE, text)
    assert after == LO
    assert codes(after) == []
