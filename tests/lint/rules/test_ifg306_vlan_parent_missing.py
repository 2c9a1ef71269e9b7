"""IFG306 vlan-parent-missing (code: src/ifguard/lint/rules/ifg306_vlan_parent_missing.py; docs:
`ifguard explain IFG306`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages

CODE = "IFG306"
NIC_VLAN = "auto eno1.100\niface eno1.100 inet manual\n"


def test_fires_on_the_vlan_name() -> None:
    text = (
        "auto bond1.100\niface bond1.100 inet manual\n"
        "auto vlan20\niface vlan20 inet manual\n    vlan-raw-device vmbr9\n"
    )
    assert hits(CODE, text) == [(2, 7, 2, 16), (4, 7, 4, 13)]
    assert messages(CODE, text)[1] == "VLAN `vlan20` sits on `vmbr9`, which no stanza defines"


def test_with_the_hosts_nic_list_a_missing_nic_parent_is_ifg310s_warning() -> None:
    """A NIC needs no stanza: that the host lacks it is an inventory finding (IFG310),
    worded for what it is, not "no stanza defines it"."""
    assert hits(CODE, NIC_VLAN, nics=frozenset({"eno2"})) == []
    assert hits("IFG310", NIC_VLAN, nics=frozenset({"eno2"})) == [(2, 7, 2, 15)]


def test_with_the_hosts_nic_list_a_missing_virtual_parent_fires() -> None:
    text = "auto vlan20\niface vlan20 inet manual\n    vlan-raw-device vmbr9\n"
    assert hits(CODE, text, nics=frozenset({"eno2"})) == [(2, 7, 2, 13)]


def test_near_miss_stays_clean() -> None:
    """A VLAN on a NIC without a stanza is normal (without NIC list, or when the host has it);
    a VLAN on a defined bond is fine."""
    assert codes(NIC_VLAN) == []
    assert codes(NIC_VLAN, nics=frozenset({"eno1"})) == []
    text = (
        "auto bond1\niface bond1 inet manual\n    bond-slaves eno1 eno2\n"
        "auto bond1.100\niface bond1.100 inet manual\n"
    )
    assert codes(text) == []
