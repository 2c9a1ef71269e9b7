"""IFG211 bond-option-without-prefix (code:
src/ifguard/lint/rules/ifg211_bond_option_without_prefix.py; docs: `ifguard explain IFG211`)."""

from __future__ import annotations

from ifguard.config.diagnostic import Severity
from tests.lint.rules.helpers import codes, fixed, hits, lint, messages, only

CODE = "IFG211"
BOND = "auto bond0\niface bond0 inet manual\n    bond-slaves eno1 eno2\n"


def test_fires_on_each_bare_bonding_option_on_its_name() -> None:
    text = BOND + "    mode 802.3ad\n    miimon 100\n    lacp_rate fast\n"
    assert hits(CODE, text) == [(4, 5, 4, 9), (5, 5, 5, 11), (6, 5, 6, 14)]
    assert messages(CODE, text)[0] == (
        "`mode` in bond `bond0` is not a bond option: ifupdown ignores it; "
        "the bonding option is `bond-mode`"
    )
    assert {d.severity for d in only(CODE, lint(text))} == {Severity.ERROR}


def test_fires_on_bare_slaves_with_ifupdown2() -> None:
    text = "iface bond1 inet manual\n    slaves eno3 eno4\n    bond-mode active-backup\n"
    assert hits(CODE, text, dialect="ifupdown2") == [(2, 5, 2, 11)]
    assert hits(CODE, text, dialect="ifupdown") == []  # ifenslave's old spelling


def test_the_suggested_fix_adds_the_prefix() -> None:
    text = BOND + "    mode 802.3ad\n"
    assert fixed(CODE, text, unsafe=True) == BOND + "    bond-mode 802.3ad\n"


def test_near_miss_stays_clean() -> None:
    """`mode` of a tunnel, a slave's `bond-master`, an OVS bond, prefixed options."""
    text = (
        "iface tun0 inet tunnel\n    mode gre\n    address 10.0.0.1\n    netmask 30\n"
        "    endpoint 192.0.2.9\n"
        "iface eno1 inet manual\n    bond-master bond0\n    mtu 9000\n"
        "iface bond2 inet manual\n    ovs_type OVSBond\n    ovs_bridge vmbr0\n"
        "    ovs_bonds eno5 eno6\n    ovs_options bond_mode=balance-slb\n"
        + BOND
        + "    bond-mode 802.3ad\n    bond-miimon 100\n"
    )
    assert CODE not in codes(text, dialect="ifupdown2")
