"""IFG302 conflicting-duplicate-interface (code: src/ifguard/lint/rules/references.py; docs:
`ifguard explain IFG302`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages

CODE = "IFG302"


def test_fires_on_the_second_stanza() -> None:
    text = "auto eth0\niface eth0 inet dhcp\niface eth0 inet static\n    address 192.0.2.5/24\n"
    assert hits(CODE, text) == [(3, 1, 3, 23)]
    assert messages(CODE, text)[0].endswith(
        "(first at line 2) and the two disagree: method `dhcp` vs `static`"
    )


def test_fires_on_two_ovs_types() -> None:
    text = (
        "auto bond0\niface bond0 inet manual\n    ovs_type OVSBond\n"
        "iface bond0 inet manual\n    ovs_type OVSPort\n"
    )
    assert hits(CODE, text) == [(4, 1, 4, 24)]


def test_near_miss_stays_clean() -> None:
    """Two stanzas that agree (ifupdown merges extra addresses) and the other family."""
    text = (
        "auto eth0\niface eth0 inet static\n    address 192.0.2.5/24\n"
        "iface eth0 inet static\n    address 192.0.2.6/24\n"
        "iface eth0 inet6 dhcp\n"
    )
    assert CODE not in codes(text)
