"""IFG502 ovs-bond-member-as-port."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.topology import member_names
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.helpers import ovs_stanzas


@rule("IFG502", "ovs-bond-member-as-port", Severity.ERROR)
def ovs_bond_member_as_port(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds NICs that are members of an `OVSBond` (`ovs_bonds`) and also listed directly in a
    bridge's `ovs_ports`.

    ## Why is this bad?
    A NIC can be either a bond member or a bridge port, not both. `ovs-vsctl add-port`
    fails for the second role, and depending on order the bond loses a member or the bridge
    gets an unbonded uplink that loops traffic.

    ## Example
    ```
    iface bond0 inet manual
        ovs_type OVSBond
        ovs_bridge vmbr0
        ovs_bonds eth1 eth2
    iface vmbr0 inet manual
        ovs_type OVSBridge
        ovs_ports bond0 eth1
    ```

    ## Use instead
    ```
    iface bond0 inet manual
        ovs_type OVSBond
        ovs_bridge vmbr0
        ovs_bonds eth1 eth2
    iface vmbr0 inet manual
        ovs_type OVSBridge
        ovs_ports bond0
    ```
    """
    ovs = ovs_stanzas(ctx)
    members = {n: b for b in ovs for a in b.find("ovs-bonds") for n in member_names(a)}
    for br in ovs:
        for attr in br.find("ovs-ports"):
            for port in member_names(attr):
                if port in members:
                    yield Finding(
                        attr.span,
                        f"`{port}` is a member of OVS bond "
                        f"`{members[port].name}` and also a port of `{br.name}`",
                    )
