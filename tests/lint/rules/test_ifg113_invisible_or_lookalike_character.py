"""IFG113 invisible-or-lookalike-character (code:
src/ifguard/lint/rules/ifg113_invisible_or_lookalike_character.py; docs: `ifguard explain
IFG113`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages

CODE = "IFG113"


def test_fires_on_a_cyrillic_letter_in_a_name_naming_it() -> None:
    text = "auto \u0435no1\niface \u0435no1 inet dhcp\n"
    assert hits(CODE, text) == [(1, 6, 1, 7), (2, 7, 2, 8)]
    assert "U+0435 CYRILLIC SMALL LETTER IE, which looks like `e`" in messages(CODE, text)[0]


def test_fires_on_invisible_characters_anywhere_but_comments() -> None:
    text = (
        "auto eno1\niface eno1\u200b inet dhcp\n"
        "    post-up echo \u202eok\n# a comment with \u200b is fine\n"
    )
    assert hits(CODE, text) == [(2, 11, 2, 12), (3, 18, 3, 19)]
    found = messages(CODE, text)
    assert found[0].startswith("`eno1\\u200b` contains U+200B ZERO WIDTH SPACE")
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in found[1]


def test_fires_on_a_space_that_is_not_a_space() -> None:
    """ifupdown2 does not strip a leading NBSP: `address ...` becomes an attribute ``."""
    text = "auto eth0\niface eth0 inet static\n\u00a0   address 192.0.2.1/24\n"
    assert hits(CODE, text) == [(3, 1, 3, 2)]
    assert "U+00A0 NO-BREAK SPACE is not a plain space" in messages(CODE, text)[0]


def test_fires_on_a_byte_order_mark_inside_the_file() -> None:
    assert hits(CODE, "auto eth0\n\ufeffiface eth0 inet dhcp\n") == [(2, 1, 2, 2)]


def test_near_miss_stays_clean() -> None:
    """Non-ASCII text in values that are not names, and in comments, is legitimate."""
    text = (
        "# Büro-Switch, Стойка 3\nauto eno1\niface eno1 inet dhcp\n"
        "    description Café ü\n    post-up logger 'Bürο up'\n"
    )
    assert codes(text) == []
