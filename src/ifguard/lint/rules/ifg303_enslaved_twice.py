"""IFG303 enslaved-twice."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.topology import Edge, edge_list, ovs_type
from ifguard.lint.rules.base import Context, Finding, rule


@rule("IFG303", "enslaved-twice", Severity.ERROR)
def enslaved_twice(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds an interface claimed by two masters: two bonds, two bridges, a bond and a bridge,
    two OVS bridges, or an OVS bond member that is also listed as a bridge port.

    ## Why is this bad?
    A port can have only one master. Whichever is brought up last steals it from the other,
    so which path works depends on the order of a reload.

    ## Example
    ```
    iface bond0 inet manual
        bond-slaves eno1 eno2
    iface vmbr0 inet manual
        bridge-ports eno1
    ```

    ## Use instead
    ```
    iface bond0 inet manual
        bond-slaves eno1 eno2
    iface vmbr0 inet manual
        bridge-ports bond0
    ```
    """
    owners: dict[tuple[str, bool], Edge] = {}
    int_ports = {i.name for i in ctx.config.interfaces if ovs_type(i) == "OVSIntPort"}
    for edge in edge_list(ctx.options, ctx.config):
        ovs_side = edge.relation.startswith("ovs")
        # An OVS internal port is an interface of its own: a Linux bridge may enslave it.
        key = (edge.member, ovs_side if edge.member in int_ports else False)
        first = owners.get(key)
        if first is None:
            owners[key] = edge
        elif first.master.name != edge.master.name and {first.relation, edge.relation} != {
            "ovs-bond",
            "ovs-bridge",
        }:  # IFG502's case
            yield Finding(
                edge.attribute.span,
                f"`{edge.member}` is claimed by `{edge.master.name}`"
                f" ({edge.attribute.name}) and already by `{first.master.name}` "
                f"({first.attribute.name}, line {first.attribute.line.lineno})",
            )
