"""IFG106 crlf-line-ending (code: src/ifguard/lint/rules/ifg106_crlf_line_ending.py; docs: `ifguard
explain IFG106`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, fixed, hits, messages

CODE = "IFG106"


def test_fires_once_at_the_first_cr() -> None:
    text = "auto eth0\niface eth0 inet dhcp\r\n    mtu 1500\r\n"
    assert hits(CODE, text) == [(2, 21, 2, 22)]
    assert messages(CODE, text)[0].startswith("2 line(s) end with CRLF")


def test_near_miss_stays_clean() -> None:
    """A lone carriage return (in a comment, or at the very end without LF) is no CRLF."""
    assert codes("auto eth0\niface eth0 inet dhcp\n# a\rb\n") == []
    assert codes("auto eth0\niface eth0 inet dhcp\n    mtu 1500\r") == []


def test_fix_converts_every_line_and_relints_clean() -> None:
    after = fixed(CODE, "auto eth0\r\niface eth0 inet dhcp\r\n    mtu 1500\n")
    assert after == "auto eth0\niface eth0 inet dhcp\n    mtu 1500\n"
    assert codes(after) == []
