"""IFG402 gateway-outside-subnet."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ifguard.config.diagnostic import Severity
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.helpers import addresses, gateways

if TYPE_CHECKING:  # ipaddress is imported where it is used: start-up time matters
    import ipaddress

    IPInterface = ipaddress.IPv4Interface | ipaddress.IPv6Interface
    IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@rule("IFG402", "gateway-outside-subnet", Severity.WARNING)
def gateway_outside_subnet(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds a `gateway` that lies in none of the subnets configured on that interface. An IPv6
    link-local gateway (`fe80::1`, as hosting providers hand out) is on every link: not reported.

    ## Why is this bad?
    The kernel refuses the route ("Nexthop has invalid gateway") unless it is declared
    on-link, so the host comes up without a default route. (On-link setups, common at
    hosting providers, are legitimate: then add the route with `onlink` yourself.)

    ## Example
    ```
    iface eth0 inet static
        address 192.0.2.10/24
        gateway 198.51.100.1
    ```

    ## Use instead
    ```
    iface eth0 inet static
        address 192.0.2.10/24
        gateway 192.0.2.1
    ```
    """
    nets: dict[str, list[IPInterface]] = {}
    for addr in addresses(ctx):
        nets.setdefault(addr.iface.name, []).append(addr.value)
    for iface, attr, gw in gateways(ctx):
        if gw.version == 6 and gw.is_link_local:
            continue  # fe80::/64 is on every IPv6 link: `gateway fe80::1` is on-link by design
        mine = [n for n in nets.get(iface.name, []) if n.version == gw.version]
        if any(n.network.prefixlen >= n.max_prefixlen - 1 for n in mine):
            continue  # /32, /31, /128, /127: point-to-point by design, gateway on-link
        if mine and not any(gw in n.network for n in mine):
            shown = ", ".join(str(n.network) for n in mine)
            yield Finding(attr.span, f"gateway {gw} is outside {shown} on `{iface.name}`")
