"""IFG104 invalid-utf8 (code: src/ifguard/lint/rules/ifg104_invalid_utf8.py; docs: `ifguard explain
IFG104`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits

CODE = "IFG104"
HEAD = b"auto eth0\niface eth0 inet dhcp\n"


def test_fires_on_the_bad_bytes() -> None:
    # a comment saved in Latin-1: `é` is the single byte e9, column 6 of line 3
    assert hits(CODE, HEAD + b"# caf\xe9 uplink\n") == [(3, 6, 3, 7)]


def test_a_run_of_bad_bytes_is_one_finding() -> None:
    assert hits(CODE, HEAD + b"# \xff\xfe\xfd\n") == [(3, 3, 3, 6)]


def test_near_miss_stays_clean() -> None:
    """The same text saved as UTF-8."""
    assert codes(HEAD + "# café uplink\n".encode()) == []
