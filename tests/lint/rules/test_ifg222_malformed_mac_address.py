"""IFG222 malformed-mac-address (code: src/ifguard/lint/rules/ifg222_malformed_mac_address.py; docs:
`ifguard explain IFG222`)."""

from __future__ import annotations

from ifguard.config.diagnostic import Severity
from tests.lint.rules.helpers import codes, lint, only, position

CODE = "IFG222"


def test_fires_on_its_line_error_or_warning() -> None:
    text = (
        "auto eth0\niface eth0 inet manual\n    hwaddress ether 42:38:39:FF:00:1\n"
        "auto eth1\niface eth1 inet manual\n    hwaddress 42:38:39:FF:00\n"
    )
    found = only(CODE, lint(text))
    assert [(position(d), d.severity) for d in found] == [
        ((3, 5, 3, 37), Severity.WARNING),  # one-digit octet: a sloppy but readable MAC
        ((6, 5, 6, 29), Severity.ERROR),  # five octets: not a MAC at all
    ]


def test_near_miss_stays_clean() -> None:
    text = (
        "auto eth0\niface eth0 inet manual\n    hwaddress ether 42:38:39:ff:00:01\n"
        "auto eth1\niface eth1 inet manual\n    hwaddress random\n"
    )
    assert codes(text) == []
