"""IFG308 address-on-port (code: src/ifguard/lint/rules/ifg308_address_on_port.py; docs: `ifguard
explain IFG308`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages

CODE = "IFG308"
BRIDGE = "auto vmbr0\niface vmbr0 inet static\n    address 192.0.2.6/24\n    bridge-ports eno1\n"


def test_fires_on_the_ports_address() -> None:
    text = "auto eno1\niface eno1 inet static\n    address 198.51.100.5/24\n" + BRIDGE
    assert hits(CODE, text) == [(3, 5, 3, 28)]
    assert messages(CODE, text) == [
        "`eno1` is a port of `vmbr0` (bridge-ports); put the address on `vmbr0`"
    ]


def test_near_miss_stays_clean() -> None:
    """The port without an address (or with the 0.0.0.0 placeholder some guides use)."""
    assert codes("auto eno1\niface eno1 inet manual\n" + BRIDGE) == []
    assert CODE not in codes("auto eno1\niface eno1 inet static\n    address 0.0.0.0\n" + BRIDGE)
