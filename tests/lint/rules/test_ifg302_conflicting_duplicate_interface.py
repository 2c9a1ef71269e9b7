"""IFG302 conflicting-duplicate-interface (code:
src/ifguard/lint/rules/ifg302_conflicting_duplicate_interface.py; docs: `ifguard explain
IFG302`)."""

from __future__ import annotations

from ifguard.config.diagnostic import Severity
from tests.lint.rules.helpers import codes, hits, lint, messages, only

CODE = "IFG302"


def test_fires_as_a_warning_on_the_second_of_static_and_dhcp() -> None:
    """Both stanzas apply (interfaces(5)): static address and a DHCP client, surprising."""
    text = "auto eth0\niface eth0 inet dhcp\niface eth0 inet static\n    address 192.0.2.5/24\n"
    assert hits(CODE, text) == [(3, 1, 3, 23)]
    assert messages(CODE, text)[0].endswith(
        "(first at line 2): both stanzas apply, so the interface gets `dhcp` and `static` "
        "addressing at once"
    )
    assert [d.severity for d in only(CODE, lint(text))] == [Severity.WARNING]


def test_fires_as_an_error_on_a_linux_bond_and_an_ovs_bond() -> None:
    text = (
        "iface bond0 inet manual\n    bond-slaves eno1 eno2\n"
        "iface bond0 inet manual\n    ovs_type OVSBond\n    ovs_bonds eno1 eno2\n"
    )
    (diag,) = only(CODE, lint(text))
    assert diag.line == 3 and diag.severity == Severity.ERROR
    assert "cannot both apply: a Linux bond and an OVS bond" in diag.message


def test_fires_as_an_error_on_two_ovs_bridges() -> None:
    text = (
        "iface p1 inet manual\n    ovs_type OVSPort\n    ovs_bridge vmbr0\n"
        "iface p1 inet manual\n    ovs_type OVSPort\n    ovs_bridge vmbr1\n"
    )
    (diag,) = only(CODE, lint(text))
    assert diag.line == 4 and diag.severity == Severity.ERROR
    assert "ovs_bridge `vmbr0` vs `vmbr1`" in diag.message


def test_legal_repeats_stay_clean() -> None:
    """inet6 static + auto is a static address plus SLAAC; manual beside static adds
    nothing; cloud-init's repeated static stanzas add addresses."""
    for text in (
        "iface eth0 inet6 static\n    address 2001:db8::5/64\niface eth0 inet6 auto\n",
        "iface eth0 inet6 dhcp\niface eth0 inet6 static\n    address 2001:db8::5/64\n",
        "iface eth0 inet manual\niface eth0 inet static\n    address 192.0.2.5/24\n",
    ):
        assert only(CODE, lint(text)) == [], text


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
