"""IFG206 keyword-not-in-dialect (code: src/ifguard/lint/rules/ifg206_keyword_not_in_dialect.py;
docs: `ifguard explain IFG206`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages

CODE = "IFG206"
TEXT = "auto eth0\niface eth0 inet dhcp\nmapping eth1\n    script /usr/local/bin/map\n"
SOURCE_DIRECTORY = (
    "auto lo\niface lo inet loopback\nsource-directory /etc/network/interfaces.d\n"
    "auto eth0\niface eth0 inet dhcp\n"
)


def test_fires_on_its_line_under_ifupdown_ng() -> None:
    assert hits(CODE, TEXT, dialect="ifupdown-ng") == [(3, 1, 3, 8)]


def test_fires_on_source_directory_under_ifupdown2_naming_the_stanza_it_joins() -> None:
    """ifupdown2 3.0: `source-directory` is an attribute of `lo`, the directory unread."""
    assert hits(CODE, SOURCE_DIRECTORY, dialect="ifupdown2") == [(3, 1, 3, 17)]
    (message,) = messages(CODE, SOURCE_DIRECTORY, dialect="ifupdown2")
    assert "attribute `source-directory` of `lo`" in message
    assert "never read" in message and "classic ifupdown reads it" in message


def test_a_keyword_with_no_stanza_open_is_rejected_by_ifupdown2() -> None:
    text = "auto eth0\nsource-directory /etc/network/d\niface eth0 inet dhcp\n"
    (message,) = messages(CODE, text, dialect="ifupdown2")
    assert "rejects this line" in message


def test_near_miss_stays_clean() -> None:
    """The same files read by classic ifupdown, which has `mapping` and `source-directory`."""
    assert codes(TEXT, dialect="ifupdown") == []
    assert CODE not in codes(SOURCE_DIRECTORY, dialect="ifupdown")
    assert codes(SOURCE_DIRECTORY.replace("source-directory", "source"), dialect="ifupdown2") == []
