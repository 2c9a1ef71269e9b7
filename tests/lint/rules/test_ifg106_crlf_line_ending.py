"""IFG106 crlf-line-ending (code: src/ifguard/lint/rules/ifg106_crlf_line_ending.py; docs: `ifguard
explain IFG106`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, fixed, hits, messages

CODE = "IFG106"
HIDDEN = (
    "auto eth0\niface eth0 inet static\n    address 192.0.2.10/24\n"
    "    # note\r    gateway 192.0.2.99\n    gateway 192.0.2.1\n"
)


def test_fires_once_at_the_first_cr() -> None:
    text = "auto eth0\niface eth0 inet dhcp\r\n    mtu 1500\r\n"
    assert hits(CODE, text) == [(2, 21, 2, 22)]
    assert messages(CODE, text)[0].startswith("2 line(s) end with CRLF")


def test_fires_on_a_line_hidden_in_a_comment_by_a_bare_cr_under_ifupdown2() -> None:
    """ifupdown2 opens the file with universal newlines: the CR ends the comment and the
    `gateway` after it is configuration (reproduced with its parser, tests/differential)."""
    assert hits(CODE, HIDDEN) == [(4, 12, 4, 34)]
    (message,) = messages(CODE, HIDDEN)
    assert "`gateway 192.0.2.99` after it is configuration, not part of this comment" in message
    assert "ifupdown splits lines on LF only" not in message


def test_classic_ifupdown_reads_the_cr_inside_the_line() -> None:
    """Classic ifupdown splits on LF only: a CR-only file is one line; CR in prose is not."""
    cr_only = "auto eth0\riface eth0 inet dhcp\r"
    (message,) = messages(CODE, cr_only, dialect="ifupdown")
    assert "ifupdown splits lines on LF only" in message
    assert codes("auto eth0\niface eth0 inet dhcp\n# a\rb\n", dialect="ifupdown") == []


def test_a_bare_cr_ends_an_option_s_value_for_ifupdown2() -> None:
    """`mtu 1500\r# note`: ifupdown2 reads `mtu 1500` and a comment; the value written is
    `1500\r# note` to classic ifupdown."""
    text = "auto eth0\niface eth0 inet dhcp\n    mtu 1500\r# note\n"
    assert hits(CODE, text) == [(3, 14, 3, 20)]


def test_near_miss_stays_clean() -> None:
    """A bare CR with only a comment or nothing after it hides nothing from ifupdown2."""
    assert codes("auto eth0\niface eth0 inet dhcp\n# a\r# b\n") == []
    assert codes("auto eth0\niface eth0 inet dhcp\n    mtu 1500\r") == []


def test_fix_converts_every_line_and_relints_clean() -> None:
    after = fixed(CODE, "auto eth0\r\niface eth0 inet dhcp\r\n    mtu 1500\n")
    assert after == "auto eth0\niface eth0 inet dhcp\n    mtu 1500\n"
    assert codes(after) == []
