"""IFG503 ovs-bond-too-few-members."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.topology import member_names, ovs_type
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.helpers import ovs_stanzas


@rule("IFG503", "ovs-bond-too-few-members", Severity.ERROR)
def ovs_bond_too_few_members(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds an `OVSBond` with fewer than two interfaces in `ovs_bonds`.

    ## Why is this bad?
    Open vSwitch refuses to create a bond with one member (`ovs-vsctl add-bond` needs at
    least two), so the bond port and everything behind it is missing.

    ## Example
    ```
    iface bond0 inet manual
        ovs_type OVSBond
        ovs_bridge vmbr0
        ovs_bonds eth1
    ```

    ## Use instead
    ```
    iface bond0 inet manual
        ovs_type OVSBond
        ovs_bridge vmbr0
        ovs_bonds eth1 eth2
    ```
    """
    for iface in ovs_stanzas(ctx):
        if ovs_type(iface) not in ("OVSBond", "OVSDPDKBond"):
            continue
        names = [n for a in iface.find("ovs-bonds") for n in member_names(a)]
        if len(names) < 2:
            yield Finding(
                iface.span,
                f"OVS bond `{iface.name}` has {len(names)} member(s) in "
                "`ovs_bonds`; it needs at least two",
            )
