"""IFG404 duplicate-address (code: src/ifguard/lint/rules/ifg404_duplicate_address.py; docs:
`ifguard explain IFG404`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages


def two(address: str, auto_second: bool = True) -> str:
    return (
        f"auto eth0\niface eth0 inet static\n    address {address}\n"
        + ("auto eth1\n" if auto_second else "")
        + f"iface eth1 inet static\n    address {address}\n"
    )


CODE = "IFG404"


def test_fires_on_the_second_interface() -> None:
    assert hits(CODE, two("192.0.2.10/24")) == [(6, 5, 6, 26)]
    assert messages(CODE, two("192.0.2.10/24")) == [
        "192.0.2.10 is also configured on `eth0` (line 3)"
    ]


def test_near_miss_stays_clean() -> None:
    """A /32 shared on purpose (anycast, unnumbered), or a second interface not up at boot."""
    assert codes(two("192.0.2.10/32")) == []
    assert codes(two("192.0.2.10/24", auto_second=False)) == []
