"""IFG303 enslaved-twice (code: src/ifguard/lint/rules/ifg303_enslaved_twice.py; docs: `ifguard
explain IFG303`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages

CODE = "IFG303"
BOND = "auto bond0\niface bond0 inet manual\n    bond-slaves eno1 eno2\n"


def test_fires_on_the_second_claim() -> None:
    text = BOND + "auto vmbr0\niface vmbr0 inet manual\n    bridge-ports eno1\n"
    assert hits(CODE, text) == [(6, 5, 6, 22)]
    assert messages(CODE, text) == [
        "`eno1` is claimed by `vmbr0` (bridge-ports) and already by `bond0` (bond-slaves, line 3)"
    ]


def test_near_miss_stays_clean() -> None:
    """The bond in the bridge (not its slaves) is the normal stack."""
    text = BOND + "auto vmbr0\niface vmbr0 inet manual\n    bridge-ports bond0\n"
    assert codes(text) == []
