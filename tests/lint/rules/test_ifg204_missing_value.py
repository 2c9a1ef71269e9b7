"""IFG204 missing-value (code: src/ifguard/lint/rules/ifg204_missing_value.py; docs: `ifguard
explain IFG204`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits

CODE = "IFG204"
BRIDGE = "auto vmbr0\niface vmbr0 inet manual\n    bridge-ports none\n"


def test_fires_on_an_option_without_a_value() -> None:
    assert hits(CODE, BRIDGE + "    bridge-vlan-aware\n") == [(4, 5, 4, 22)]


def test_fires_on_a_bare_auto_line() -> None:
    assert hits(CODE, BRIDGE + "auto\n") == [(4, 1, 4, 5)]


def test_near_miss_stays_clean() -> None:
    assert codes(BRIDGE + "    bridge-vlan-aware yes\n") == []
