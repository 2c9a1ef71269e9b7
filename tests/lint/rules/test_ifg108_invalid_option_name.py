"""IFG108 invalid-option-name (code: src/ifguard/lint/rules/ifg108_invalid_option_name.py; docs:
`ifguard explain IFG108`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, fixed, hits, lint, only

CODE = "IFG108"
BOND = "iface bond0 inet manual\n    bond-slaves eno1 eno2\n"
OVS_BOND = (
    "auto bond0\niface bond0 inet manual\n    ovs_type OVSBond\n    ovs_bridge vmbr0\n"
    "    ovs_bonds eno1 eno2\n    ovs_options bond_mode=balance-tcp\n"
)
POST_UP = "auto eth0\niface eth0 inet dhcp\n    post-up iptables -t nat -A POSTROUTING\n"


def test_fires_on_its_line() -> None:
    assert hits(CODE, BOND + "    ---\n    bond-mode 802.3ad\n") == [(3, 5, 3, 8)]


def test_near_miss_stays_clean() -> None:
    """Option names with digits, dots and underscores inside are option names."""
    text = BOND + "    bond-mode 802.3ad\n    post-up sysctl -w net.ipv6.conf.all.x=0\n"
    assert codes(text) == []
    assert codes(BOND + "    bond_xmit_hash_policy layer3+4\n    mtu 9000\n") == []


def test_fix_deletes_the_line_and_relints_clean() -> None:
    after = fixed(CODE, BOND + "    ---\n    bond-mode 802.3ad\n")
    assert after == BOND + "    bond-mode 802.3ad\n"
    assert codes(after) == []


def test_a_wrapped_ovs_options_line_is_joined_not_deleted() -> None:
    text = OVS_BOND + "    lacp=active tag=1\n"
    assert hits(CODE, text) == [(7, 5, 7, 22)]
    (diag,) = only(CODE, lint(text))
    assert diag.fix is not None and not diag.fix.safe  # offered, not applied by plain --fix
    after = fixed(CODE, text, unsafe=True)
    assert after == OVS_BOND.replace("balance-tcp\n", "balance-tcp lacp=active tag=1\n")
    assert codes(after) == []


def test_a_command_wrapped_without_backslash_gets_one() -> None:
    text = POST_UP + "    -j MASQUERADE\n"
    assert hits(CODE, text) == [(4, 5, 4, 18)]
    after = fixed(CODE, text, unsafe=True)
    assert after == POST_UP.replace("POSTROUTING\n", "POSTROUTING \\\n") + "    -j MASQUERADE\n"
    assert codes(after) == []
