"""IFG240 invalid-ovs-option (code: src/ifguard/lint/rules/ifg240_invalid_ovs_option.py; docs:
`ifguard explain IFG240`)."""

from __future__ import annotations

from ifguard.config.diagnostic import Severity
from tests.lint.rules.helpers import codes, lint, only, position

CODE = "IFG240"
BRIDGE = "auto vmbr0\niface vmbr0 inet manual\n    ovs_type OVSBridge\n    ovs_ports bond0\n"
BOND = (
    "auto bond0\niface bond0 inet manual\n    ovs_type OVSBond\n    ovs_bonds eno1 eno2\n"
    "    ovs_bridge vmbr0\n"
)


def test_fires_on_the_ovs_options_line_once_per_bad_pair() -> None:
    text = BRIDGE + BOND + "    ovs_options bond_mode=balance-rr lacp=yes tag=5000 foo=1\n"
    found = only(CODE, lint(text))
    assert {position(d) for d in found} == {(10, 5, 10, 61)}
    assert [(d.message.split(":")[0].split(" ")[0], d.severity) for d in found] == [
        ("`bond_mode=balance-rr`", Severity.ERROR),
        ("`lacp=yes`", Severity.ERROR),
        ("`tag=5000`", Severity.ERROR),
        ("`foo`", Severity.WARNING),  # unknown keys are warnings: OVS grows new ones
    ]


def test_a_bond_option_on_a_bridge_is_a_warning() -> None:
    (diag,) = only(CODE, lint(BRIDGE + "    ovs_options lacp=active\n" + BOND))
    assert position(diag)[:2] == (5, 5) and diag.severity == Severity.WARNING


def test_near_miss_stays_clean() -> None:
    text = (
        BRIDGE
        + BOND
        + "    ovs_options bond_mode=balance-tcp lacp=active other_config:lacp-time=fast tag=1\n"
    )
    assert codes(text) == []
