"""IFG105 control-character (code: src/ifguard/lint/rules/ifg105_control_character.py; docs:
`ifguard explain IFG105`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, fixed, hits

CODE = "IFG105"
HEAD = "auto eth0\niface eth0 inet dhcp\n"


def test_fires_on_a_terminal_escape_sequence() -> None:
    assert hits(CODE, HEAD + "    mtu 1500\x1b[0m\n") == [(3, 13, 3, 17)]


def test_fires_on_a_byte_order_mark() -> None:
    assert hits(CODE, "\ufeff" + HEAD) == [(1, 1, 1, 2)]


def test_near_miss_stays_clean() -> None:
    """Tabs are whitespace, not control characters."""
    assert codes(HEAD + "\tmtu 1500\n") == []


def test_fix_removes_the_escape_sequence_and_relints_clean() -> None:
    after = fixed(CODE, HEAD + "    mtu 1500\x1b[0m\n")
    assert after == HEAD + "    mtu 1500\n"
    assert codes(after) == []


def test_fix_removes_the_byte_order_mark_and_relints_clean() -> None:
    after = fixed(CODE, "\ufeff" + HEAD)
    assert after == HEAD
    assert codes(after) == []


def test_a_nul_byte_is_only_an_unsafe_fix() -> None:
    """A NUL may stand for lost data: removing it is offered, not done by plain --fix."""
    from tests.lint.rules.helpers import lint, only

    (diag,) = only(CODE, lint(HEAD + "    mtu 1500\x00\n"))
    assert diag.fix is not None and not diag.fix.safe
