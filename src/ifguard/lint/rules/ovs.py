"""IFG501–IFG503: Open vSwitch stanzas that disagree with each other."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.model import Interface
from ifguard.config.topology import member_names, ovs_type
from ifguard.lint.rules.base import Context, Finding, rule


def _ovs(ctx: Context) -> list[Interface]:
    return [i for i in ctx.config.interfaces if i.stanza == "iface" and ovs_type(i)]


@rule("IFG501", "ovs-bridge-port-mismatch", Severity.ERROR)
def ovs_bridge_port_mismatch(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks both directions of OVS membership: a port's `ovs_bridge` must be an `OVSBridge`
    that lists the port in `ovs_ports`, and every stanza a bridge lists must point back with
    `ovs_bridge`. (A bridge defined in another file is not judged.)

    ## Why is this bad?
    ifupdown's OVS integration adds ports from the bridge's `ovs_ports` and creates them from
    the port's stanza. When the two disagree the port is never added (or added to another
    bridge), and the VLAN or uplink it carries is gone after the next reload.

    ## Example
    ```
    iface vmbr0 inet manual
        ovs_type OVSBridge
        ovs_ports eth0
    iface eth1 inet manual
        ovs_type OVSPort
        ovs_bridge vmbr0
    ```

    ## Use instead
    ```
    iface vmbr0 inet manual
        ovs_type OVSBridge
        ovs_ports eth1
    iface eth1 inet manual
        ovs_type OVSPort
        ovs_bridge vmbr0
    ```
    """
    ovs = _ovs(ctx)
    bridges = {i.name: i for i in ovs if ovs_type(i) in ("OVSBridge", "OVSUserspaceBridge")}
    listed: dict[str, set[str]] = {
        name: {n for a in br.find("ovs-ports") for n in member_names(a)}
        for name, br in bridges.items()
    }
    for iface in ovs:
        if iface.name in bridges:
            continue
        for attr in iface.find("ovs-bridge"):
            target = attr.value.split()[0] if attr.value.split() else ""
            if target not in bridges:
                other = ctx.config.iface(target)
                # Undefined or without ovs_type: it may be completed in another file.
                if other is not None and ovs_type(other) is not None:
                    yield Finding(
                        attr.span,
                        f"`{iface.name}` names `{target}` as its OVS "
                        "bridge, but that stanza is not an OVSBridge",
                    )
            elif iface.name not in listed[target]:
                yield Finding(
                    attr.span,
                    f"`{iface.name}` says `ovs_bridge {target}`, but "
                    f"`{target}`'s `ovs_ports` does not list it",
                )
    for name, br in bridges.items():
        for attr in br.find("ovs-ports"):
            for port in member_names(attr):
                stanzas = [i for i in ctx.config.by_name.get(port, ()) if i.stanza == "iface"]
                targets = {
                    v.split()[0] for i in stanzas if (v := i.get("ovs-bridge")) and v.split()
                }
                if targets and name not in targets:
                    yield Finding(
                        attr.span,
                        f"`{name}` lists `{port}` in `ovs_ports`, but "
                        f"`{port}` says `ovs_bridge {sorted(targets)[0]}`",
                    )


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
    ovs = _ovs(ctx)
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
    for iface in _ovs(ctx):
        if ovs_type(iface) not in ("OVSBond", "OVSDPDKBond"):
            continue
        names = [n for a in iface.find("ovs-bonds") for n in member_names(a)]
        if len(names) < 2:
            yield Finding(
                iface.span,
                f"OVS bond `{iface.name}` has {len(names)} member(s) in "
                "`ovs_bonds`; it needs at least two",
            )
