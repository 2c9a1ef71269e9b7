"""IFG306 vlan-parent-missing."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.topology import defined_names, vlan_parent
from ifguard.lint.rules.base import Context, Finding, rule


@rule("IFG306", "vlan-parent-missing", Severity.WARNING)
def vlan_parent_missing(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds VLAN interfaces (`bond1.100`, or `vlan100` with `vlan-raw-device bond1`) whose
    parent is a virtual interface (bond, bridge) that no stanza defines; with the host's
    NIC inventory known, any parent that is neither defined nor a NIC of the host (a NIC
    name the host lacks is IFG310's).

    ## Why is this bad?
    The VLAN interface is created on top of its parent: without the parent it cannot exist,
    and the addresses and routes on it are never configured.

    ## Example
    ```
    iface bond1.100 inet static
        address 192.0.2.10/24
    ```

    ## Use instead
    ```
    iface bond1 inet manual
        bond-slaves eno1 eno2
    iface bond1.100 inet static
        address 192.0.2.10/24
    ```
    """
    from ifguard.config.topology import looks_like_nic, looks_virtual

    defined = defined_names(ctx.config)
    for iface in ctx.config.interfaces:
        if iface.stanza != "iface" or ("." not in iface.name and not iface.get("vlan-raw-device")):
            continue
        if any(iface.get(k) for k in ("bridge-ports", "bond-slaves", "ovs-type", "vlan-id")):
            continue  # a bridge or bond that merely has a dot in its name
        parent = vlan_parent(iface)
        if parent is None or parent[0] in defined:
            continue
        known_nic = ctx.inventory is not None and parent[0] in ctx.inventory
        if known_nic or (ctx.inventory is not None and looks_like_nic(parent[0])):
            continue  # a NIC of this host, or one it lacks (IFG310 says so)
        if ctx.inventory is not None or looks_virtual(parent[0]):
            yield Finding(
                iface.name_span,
                f"VLAN `{iface.name}` sits on `{parent[0]}`, which no stanza defines",
            )
