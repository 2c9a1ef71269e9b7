"""IFG504 ovs-port-incomplete."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.boot import Break, ovs_breaks
from ifguard.config.diagnostic import Severity
from ifguard.config.model import Attribute
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.helpers import boot_graph, cuts, management


@rule("IFG504", "ovs-port-incomplete", Severity.WARNING)
def ovs_port_incomplete(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds an Open vSwitch port stanza (`OVSIntPort`, `OVSBond`, `OVSPort`, ...) that has only
    one half of the pair ifupdown2 needs to add it: `ovs_type` without `ovs_bridge`, or
    `ovs_bridge` without `ovs_type`; and a stanza an `OVSBridge` lists in `ovs_ports` that
    has neither. Severity by impact: an error when the port is on the management path and
    nothing else carries it (the management int-port, the only uplink bond), a warning
    elsewhere.

    ## Why is this bad?
    ifupdown2 adds a port to an OVS bridge from the port's own stanza, and only when it has
    both `ovs_type` and `ovs_bridge`; the bridge's `ovs_ports` only lists the ports (and on a
    reload removes the ones it does not list). A reload leaves the running port in place,
    so nothing looks wrong until the next reboot: then the port does not exist, and when it
    is the management int-port the host is unreachable.

    ## Example
    ```
    auto vmbr0
    iface vmbr0 inet manual
        ovs_type OVSBridge
        ovs_ports vlan1
    auto vlan1
    iface vlan1 inet static
        address 192.0.2.10/24
        ovs_type OVSIntPort
        ovs_options tag=1
    ```

    ## Use instead
    ```
    auto vmbr0
    iface vmbr0 inet manual
        ovs_type OVSBridge
        ovs_ports vlan1
    auto vlan1
    iface vlan1 inet static
        address 192.0.2.10/24
        ovs_type OVSIntPort
        ovs_bridge vmbr0
        ovs_options tag=1
    ```
    """
    if not ctx.attrs("ovs-type", "ovs-bridge"):
        return  # no Open vSwitch port in the file
    graph = boot_graph(ctx)
    found = ovs_breaks(graph)
    path = management(ctx)
    cutting = {_key(b) for b in path.breaks}
    keys = {_key(b) for b in found}
    # on the path: a listed port with no stanza at all (off the path that is IFG301's)
    found += [b for b in path.breaks if b.kind == "ovs-incomplete" and _key(b) not in keys]
    for item in found:
        where = item.where
        span = where.span if isinstance(where, Attribute) else where.name_span
        if _key(item) in cutting:
            yield Finding(span, item.message + cuts(path), severity=Severity.ERROR)
        else:
            yield Finding(span, item.message)


def _key(item: Break) -> tuple[str, str, str, int]:
    return (item.interface, item.kind, item.where.document.path, item.where.line.seq)
