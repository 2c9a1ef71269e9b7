"""IFG408 broadcast-outside-subnet (code: src/ifguard/lint/rules/ifg408_broadcast_outside_subnet.py;
docs: `ifguard explain IFG408`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages

CODE = "IFG408"


def test_fires_on_the_broadcast_line() -> None:
    text = (
        "auto eth0\niface eth0 inet static\n    address 192.168.1.10\n"
        "    netmask 255.255.255.0\n    broadcast 192.168.2.255\n    gateway 192.168.1.1\n"
    )
    assert hits(CODE, text) == [(5, 5, 5, 28)]
    assert messages(CODE, text) == [
        "broadcast 192.168.2.255 is outside 192.168.1.0/24 (the subnet of this stanza's "
        "address); its broadcast address is 192.168.1.255"
    ]


def test_near_miss_stays_clean() -> None:
    """The right broadcast, ifupdown's computed `+`/`-`, a non-standard one inside the
    subnet (all-zero host bits, old BSD style), and a stanza without an address."""
    text = (
        "iface eth0 inet static\n    address 192.168.1.10/24\n    broadcast 192.168.1.255\n"
        "iface eth1 inet static\n    address 10.0.0.2/8\n    broadcast +\n"
        "iface eth2 inet static\n    address 172.16.5.4/24\n    broadcast 172.16.5.0\n"
        "iface eth3 inet dhcp\n    broadcast 10.255.255.255\n"
    )
    assert CODE not in codes(text)
