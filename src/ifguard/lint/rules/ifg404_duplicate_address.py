"""IFG404 duplicate-address."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.helpers import Addr, addresses


@rule("IFG404", "duplicate-address", Severity.WARNING)
def duplicate_address(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds the same IP address with a shared subnet (not a /32 or /128) configured with
    `address` on two interfaces that are both brought up at boot (`auto`).

    ## Why is this bad?
    Both interfaces answer ARP/ND for it: traffic goes to whichever answers first, and the
    route for its subnet points two ways. (Shared gateway addresses belong in
    `address-virtual` or VRR, which this rule does not look at.)

    ## Example
    ```
    auto vmbr0 vmbr1
    iface vmbr0 inet static
        address 192.0.2.10/24
    iface vmbr1 inet static
        address 192.0.2.10/24
    ```

    ## Use instead
    ```
    auto vmbr0 vmbr1
    iface vmbr0 inet static
        address 192.0.2.10/24
    iface vmbr1 inet static
        address 192.0.2.11/24
    ```
    """
    owner: dict[object, Addr] = {}
    for addr in addresses(ctx):
        net = addr.value.network
        if addr.value.ip.is_unspecified or net.prefixlen >= net.max_prefixlen - 1:
            continue  # unnumbered / point-to-point addresses are shared by design
        if addr.iface.name not in ctx.config.auto:
            continue
        key = (addr.iface.get("vrf") or "", addr.value.ip)  # per VRF: EVPN reuses gateways
        first = owner.get(key)
        if first is None:
            owner[key] = addr
        elif first.iface.name != addr.iface.name:
            yield Finding(
                addr.attr.span,
                f"{key[1]} is also configured on `{first.iface.name}` "
                f"(line {first.attr.line.lineno})",
            )
