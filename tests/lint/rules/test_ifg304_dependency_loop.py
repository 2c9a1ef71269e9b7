"""IFG304 dependency-loop (code: src/ifguard/lint/rules/ifg304_dependency_loop.py; docs: `ifguard
explain IFG304`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages

CODE = "IFG304"


def test_fires_once_on_the_first_stanza_of_the_loop() -> None:
    text = (
        "auto br0\niface br0 inet manual\n    bridge-ports br1\n"
        "auto br1\niface br1 inet manual\n    bridge-ports br0\n"
    )
    assert hits(CODE, text) == [(2, 1, 2, 22)]
    assert messages(CODE, text) == ["dependency loop: br0 -> br1 -> br0"]


def test_fires_on_a_loop_through_a_vlan_parent() -> None:
    text = (
        "auto bond0\niface bond0 inet manual\n    bond-slaves bond0.10\n"
        "auto bond0.10\niface bond0.10 inet manual\n"
    )
    assert hits(CODE, text) == [(2, 1, 2, 24)]
    assert messages(CODE, text) == ["dependency loop: bond0 -> bond0.10 -> bond0"]


def test_near_miss_stays_clean() -> None:
    """A VLAN on a bridge on a bond is a stack, not a loop."""
    text = (
        "auto bond0\niface bond0 inet manual\n    bond-slaves eno1 eno2\n"
        "auto vmbr0\niface vmbr0 inet manual\n    bridge-ports bond0\n"
        "auto vmbr0.10\niface vmbr0.10 inet manual\n"
    )
    assert codes(text) == []
