"""IFG311 port-range-without-glob (code: src/ifguard/lint/rules/ifg311_port_range_without_glob.py;
docs: `ifguard explain IFG311`)."""

from __future__ import annotations

from ifguard.config.diagnostic import Severity
from tests.lint.rules.helpers import codes, fixed, hits, lint, messages, only

CODE = "IFG311"


def test_fires_on_a_bracket_range_as_an_error() -> None:
    text = "auto br0\niface br0\n    bridge-ports swp[1-4]\n"
    assert hits(CODE, text) == [(3, 5, 3, 26)]
    assert messages(CODE, text) == [
        "`swp[1-4]` in `bridge-ports` of `br0` is a range of ports without the `glob` "
        "keyword: it is read as one interface name that does not exist"
    ]
    assert [d.severity for d in only(CODE, lint(text))] == [Severity.ERROR]


def test_fires_on_a_dash_range_as_a_warning() -> None:
    text = "iface bond0\n    bond-slaves swp1 swp5-6.100\n"
    assert hits(CODE, text) == [(2, 5, 2, 32)]
    assert [d.severity for d in only(CODE, lint(text))] == [Severity.WARNING]


def test_the_suggested_fix_adds_glob() -> None:
    text = "iface br0\n    bridge-ports swp1 swp[2-4]\n"
    assert fixed(CODE, text, unsafe=True) == "iface br0\n    bridge-ports swp1 glob swp[2-4]\n"


def test_near_miss_stays_clean() -> None:
    """With `glob` (first or mid-list), `regex`, and a defined name that merely has a dash."""
    text = (
        "iface br0\n    bridge-ports glob swp[1-4] swp7\n"
        "iface br1\n    bridge-ports swp9 glob swp10-12.100\n"
        "iface br2\n    bridge-ports regex swp[5-6]\n"
        "iface veth1-2 inet manual\n"
        "iface br3\n    bridge-ports veth1-2\n"
    )
    assert CODE not in codes(text, dialect="ifupdown2")
