"""IFG206 keyword-not-in-dialect (code: src/ifguard/lint/rules/ifg206_keyword_not_in_dialect.py;
docs: `ifguard explain IFG206`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits

CODE = "IFG206"
TEXT = "auto eth0\niface eth0 inet dhcp\nmapping eth1\n    script /usr/local/bin/map\n"


def test_fires_on_its_line_under_ifupdown_ng() -> None:
    assert hits(CODE, TEXT, dialect="ifupdown-ng") == [(3, 1, 3, 8)]


def test_near_miss_stays_clean() -> None:
    """The same file read by classic ifupdown, which has `mapping`."""
    assert codes(TEXT, dialect="ifupdown") == []
