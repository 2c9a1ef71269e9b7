"""IFG112 backslash-joins-lines (code: src/ifguard/lint/rules/ifg112_backslash_joins_lines.py;
docs: `ifguard explain IFG112`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages

CODE = "IFG112"
HEAD = "auto eth0\niface eth0 inet static\n    address 192.0.2.10/24\n"
SWALLOWED = HEAD + "    # old gateway \\\n    gateway 192.0.2.1\n"


def test_fires_on_the_line_a_comment_swallows() -> None:
    """ifupdown2 (reproduced with its parser): the gateway is part of the comment."""
    assert hits(CODE, SWALLOWED) == [(5, 5, 5, 22)]
    (message,) = messages(CODE, SWALLOWED)
    assert "comment on line 4 ends in `\\`" in message
    assert "`gateway 192.0.2.1` is never read (classic ifupdown reads it)" in message
    assert hits(CODE, SWALLOWED, dialect="ifupdown") == [(5, 5, 5, 22)]


def test_fires_where_ifupdown2_joins_lines_that_look_apart() -> None:
    trailing = HEAD + "    mtu 1500 \\  \n    gateway 192.0.2.1\n"
    blank = HEAD + "    mtu 1500 \\\n\n    gateway 192.0.2.1\n"
    leading = HEAD + "    mtu 1500\n\\   gateway 192.0.2.1\n"
    assert hits(CODE, trailing) == [(4, 14, 4, 15)]
    assert hits(CODE, blank) == [(4, 14, 4, 15)]
    assert hits(CODE, leading) == [(5, 1, 5, 2)]
    assert "spaces after `\\` do not end the continuation" in messages(CODE, trailing)[0]
    assert hits(CODE, trailing, dialect="ifupdown") == []  # classic: `\` must be last


def test_a_backslash_inside_a_line_is_an_error_for_ifupdown2() -> None:
    """The command that runs is not the one written (`echo a tb`)."""
    text = HEAD + "    post-up echo a\\tb\n"
    assert hits(CODE, text) == [(4, 19, 4, 20)]
    assert "`a\\tb` loses its `\\`" in messages(CODE, text)[0]


def test_near_miss_stays_clean() -> None:
    """A plain continuation; a comment continued by a comment; backslashes in comments."""
    text = HEAD + "    bridge-ports eth1 \\\n        eth2\n    # see C:\\docs \\\n    # more\n"
    assert codes(text) == []


def test_a_backslash_at_the_end_of_the_file_is_dropped_by_ifupdown2() -> None:
    text = HEAD + "    bridge-ports eth1 \\\r\n"
    assert hits(CODE, text) == [(4, 23, 4, 24)]
    assert "continues into nothing" in messages(CODE, text)[0]
