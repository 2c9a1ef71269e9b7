"""IFG109 trailing-comment (code: src/ifguard/lint/rules/ifg109_trailing_comment.py; docs: `ifguard
explain IFG109`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits

CODE = "IFG109"
ETH0 = "auto eth0\niface eth0 inet static\n    address 192.0.2.5/24\n"


def test_fires_on_its_line() -> None:
    # the span is the comment: from `#` to the last non-blank character
    assert hits(CODE, ETH0 + "    mtu 9000 # jumbo\n") == [(4, 14, 4, 21)]


def test_fires_on_an_auto_line() -> None:
    assert hits(CODE, "auto eth0 # uplink\niface eth0 inet dhcp\n") == [(1, 11, 1, 19)]


def test_near_miss_stays_clean() -> None:
    """A comment on its own line, a `#` inside a word, and `#` in a hook command (the shell
    reads that one as a comment) are all fine."""
    text = (
        ETH0
        + "    # mtu 9000 # jumbo\n"
        + "    alias uplink#1\n"
        + "    post-up ip route add 10.0.0.0/8 via 192.0.2.1 # lab\n"
    )
    assert codes(text) == []
