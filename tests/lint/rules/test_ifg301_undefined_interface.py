"""IFG301 undefined-interface (code: src/ifguard/lint/rules/ifg301_undefined_interface.py; docs:
`ifguard explain IFG301`)."""

from __future__ import annotations

from ifguard.config.diagnostic import Severity
from tests.lint.rules.helpers import codes, hits, lint, messages, only, position

CODE = "IFG301"
BRIDGE = "auto vmbr0\niface vmbr0 inet manual\n"


def test_fires_on_a_virtual_port_no_stanza_creates() -> None:
    text = BRIDGE + "    bridge-ports bond1\nauto bond0\niface bond0 inet manual\n"
    assert hits(CODE, text) == [(3, 5, 3, 23)]
    assert messages(CODE, text) == [
        "`bond1` in `bridge-ports` of `vmbr0` has no stanza: nothing creates it"
    ]


def test_fires_on_a_typo_of_a_defined_nic() -> None:
    text = "auto enp0s10\niface enp0s10 inet manual\n" + BRIDGE + "    bridge-ports enp0s1O\n"
    assert hits(CODE, text) == [(5, 5, 5, 25)]
    assert "did you mean `enp0s10`?" in messages(CODE, text)[0]


def test_with_the_hosts_nic_list_an_unknown_nic_is_ifg310s_warning_not_an_error() -> None:
    """A NIC name the host lacks is an inventory finding (IFG310, a warning), never an error:
    the same file must not fail on one machine and pass on another."""
    found = lint(BRIDGE + "    bridge-ports eno3\n", nics=frozenset({"eno1"}))
    assert only(CODE, found) == []
    (diag,) = only("IFG310", found)
    assert position(diag) == (3, 5, 3, 22) and diag.severity == Severity.WARNING


def test_fires_on_a_virtual_port_with_the_nic_list_too() -> None:
    found = lint(BRIDGE + "    bridge-ports bond7\n", nics=frozenset({"eno1"}))
    (diag,) = only(CODE, found)
    assert position(diag) == (3, 5, 3, 23) and diag.severity == Severity.WARNING


def test_near_miss_stays_clean() -> None:
    """A NIC name without a stanza is normal (NICs need none) when the host's NICs are not
    known, and a NIC of the host is fine when they are."""
    assert codes(BRIDGE + "    bridge-ports eno3\n") == []
    assert codes(BRIDGE + "    bridge-ports eno3\n", nics=frozenset({"eno3"})) == []
