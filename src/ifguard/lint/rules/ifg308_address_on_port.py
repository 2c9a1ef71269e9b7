"""IFG308 address-on-port."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.topology import edge_list
from ifguard.lint.rules.base import Context, Finding, rule


@rule("IFG308", "address-on-port", Severity.WARNING)
def address_on_port(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds an IP address configured on an interface that is a Linux bridge port or a bond
    slave.

    ## Why is this bad?
    Once enslaved, the port no longer handles IP itself: the address answers nothing (or
    confuses ARP), and the address the admin expects to reach is effectively gone. It
    belongs on the bridge or the bond.

    ## Example
    ```
    iface eno1 inet static
        address 192.0.2.10/24
    iface vmbr0 inet manual
        bridge-ports eno1
    ```

    ## Use instead
    ```
    iface eno1 inet manual
    iface vmbr0 inet static
        address 192.0.2.10/24
        bridge-ports eno1
    ```
    """
    enslaved = {
        e.member: e for e in edge_list(ctx.options, ctx.config) if e.relation in ("bond", "bridge")
    }
    for iface, attr in ctx.attrs("address"):
        edge = enslaved.get(iface.name)
        if edge is not None and attr.value.strip() and not attr.value.startswith("0.0.0.0"):
            yield Finding(
                attr.span,
                f"`{iface.name}` is a port of `{edge.master.name}` "
                f"({edge.attribute.name}); put the address on `{edge.master.name}`",
            )
