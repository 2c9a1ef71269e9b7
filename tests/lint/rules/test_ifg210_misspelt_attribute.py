"""IFG210 misspelt-attribute (code: src/ifguard/lint/rules/ifg210_misspelt_attribute.py; docs:
`ifguard explain IFG210`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages

CODE = "IFG210"
BRIDGE = "auto vmbr0\niface vmbr0 inet manual\n    bridge-ports eno1\n"


def test_fires_on_the_option_name() -> None:
    text = BRIDGE + "    bridge-stop off\n    bond-slave eno1\n"
    assert hits(CODE, text) == [(4, 5, 4, 16), (5, 5, 5, 15)]
    assert "did you mean `bridge-stp`?" in messages(CODE, text)[0]
    assert "did you mean `bond-slaves`?" in messages(CODE, text)[1]


def test_near_miss_stays_clean() -> None:
    """The real names, and names of option families hook scripts own (`dns-*`), are fine."""
    text = BRIDGE + "    bridge-stp off\n    dns-nameserver 192.0.2.53\n"
    assert codes(text) == []
