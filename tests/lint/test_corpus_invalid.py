"""Every real-world invalid file gets a diagnostic of the kind its MANIFEST row describes."""

from __future__ import annotations

from pathlib import Path

import pytest

from ifguard.lint.engine import lint_paths
from ifguard.lint.settings import Settings
from ifguard.system.root import Root

EXPECTED: dict[str, set[str]] = {
    "gh-ansible-bond-slave-typo": {"IFG301"},
    "gh-astra-ovs-bond-members-in-ovs_ports": {"IFG502", "IFG501"},
    "gh-bonding-howto-dash-separator-lines": {"IFG108"},
    "gh-guessnet-mapping-typos": {"IFG203", "IFG109", "IFG223"},
    "gh-hetzner-nat-placeholders": {"IFG223"},
    "gh-ocf-bridge-placeholder-host-part": {"IFG223"},
    "gh-ovs-lacp-continuation-placeholder": {"IFG223"},
    "gh-postmortem-ovs-pasted-ip-output": {"IFG101"},
    "gh-proxmox-single-ip-placeholders": {"IFG223", "IFG109"},
    "gh-pve-bond-hash-policy-capitalized": {"IFG220"},
    "gh-pve-docs-zh-nat-wrapped-iptables": {"IFG108", "IFG224"},
    "gh-pve-linux-bond-and-ovsbond-same-name": {"IFG302"},
    "gh-pve-nat-vmbr1-unbalanced-quote": {"IFG224"},
    "gh-pve-ovs-two-default-gateways": {"IFG403", "IFG501"},
    "gh-security-onion-before-bridge-stop-typo": {"IFG210"},
    "gh-security-onion-ovs-duplicate-intport": {"IFG302", "IFG303"},
    "gh-template-xxx-address": {"IFG223"},
    "ifupdown-test-iface-extra-param-inherits-missing": {"IFG203"},
    "ifupdown-test-iface-no-params": {"IFG203"},
    "ifupdown-test-inet6-bad-addresses": {"IFG401"},
    "ifupdown-test-inherits-missing-param": {"IFG203"},
    "ifupdown2-test-bridge-macvlans": {"IFG222"},
    "ng-dependency-loop": {"IFG304"},
    "ng-doc-vlan-qinq-bridge-valueless-option": {"IFG204", "IFG205"},
    "ng-doc-wireguard-bad-prefix": {"IFG401"},
    "ng-guide-bond-elision-placeholder": {"IFG108"},
}


def test_table_covers_every_invalid_file(corpus: Path) -> None:
    names = {p.name.removesuffix(".interfaces") for p in (corpus / "invalid").iterdir()}
    assert names == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_file_gets_the_described_diagnostics(
    name: str, corpus: Path, tmp_path: Path
) -> None:
    path = corpus / "invalid" / f"{name}.interfaces"
    codes = {d.code for d in lint_paths([path], Root(tmp_path), Settings()).diagnostics}
    assert EXPECTED[name] <= codes, f"missing {EXPECTED[name] - codes}; got {sorted(codes)}"
