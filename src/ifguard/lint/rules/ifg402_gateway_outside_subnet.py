"""IFG402 gateway-outside-subnet."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ifguard.config.diagnostic import Severity
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.helpers import addresses, gateways

if TYPE_CHECKING:  # ipaddress is imported where it is used: start-up time matters
    import ipaddress

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
    # per (interface, family): the distinct subnets in file order and their prefix lengths.
    # A gateway is looked up by its supernet at each prefix length in use (at most 129),
    # never against every address: a name in 10,000 stanzas stays linear (was quadratic).
    nets: dict[tuple[str, int], dict[str, None]] = {}
    prefixes: dict[tuple[str, int], set[int]] = {}
    for addr in addresses(ctx):
        key = (addr.iface.name, addr.value.version)
        nets.setdefault(key, {})[str(addr.value.network)] = None
        prefixes.setdefault(key, set()).add(addr.value.network.prefixlen)
    shown: dict[tuple[str, int], str] = {}
    for iface, attr, gw in gateways(ctx):
        if gw.version == 6 and gw.is_link_local:
            continue  # fe80::/64 is on every IPv6 link: `gateway fe80::1` is on-link by design
        key = (iface.name, gw.version)
        if key not in nets or _on_link(gw, nets[key], prefixes[key]):
            continue
        if key not in shown:
            shown[key] = _some(iter(nets[key]))
        yield Finding(attr.span, f"gateway {gw} is outside {shown[key]} on `{iface.name}`")


def _on_link(gw: IPAddress, nets: dict[str, None], prefixes: set[int]) -> bool:
    """Whether ``gw`` is in one of ``nets`` (by their text), or one of them is
    point-to-point (/31, /32, /127, /128: the gateway is on-link by design)."""
    import ipaddress

    if any(p >= gw.max_prefixlen - 1 for p in prefixes):
        return True
    return any(str(ipaddress.ip_interface(f"{gw}/{p}").network) in nets for p in prefixes)


def _some(names: Iterator[str], most: int = 8) -> str:
    """At most ``most`` names joined, then how many more."""
    out: list[str] = []
    more = 0
    for name in names:
        if len(out) < most:
            out.append(name)
        else:
            more += 1
    return ", ".join(out) + (f" and {more} more" if more else "")
