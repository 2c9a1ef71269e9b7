"""IFG407 overlapping-subnets."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.helpers import Addr, addresses


@rule("IFG407", "overlapping-subnets", Severity.WARNING)
def overlapping_subnets(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds the same or overlapping IPv4/IPv6 subnets on two different interfaces brought up
    at boot (in the same VRF), ignoring /31, /32, /127 and /128 addresses (point-to-point and
    loopback style).

    ## Why is this bad?
    The kernel installs two routes for the same destinations; replies leave by whichever it
    prefers, often not the interface the request came in on, and reverse-path filtering
    drops them.

    ## Example
    ```
    auto vmbr0 vmbr1
    iface vmbr0 inet static
        address 192.0.2.10/24
    iface vmbr1 inet static
        address 192.0.2.200/25
    ```

    ## Use instead
    ```
    auto vmbr0 vmbr1
    iface vmbr0 inet static
        address 192.0.2.10/25
    iface vmbr1 inet static
        address 192.0.2.200/25
    ```
    """
    nets: list[tuple[str, int, int, int, Addr]] = []
    started = ctx.config.auto.union(*ctx.config.allow.values())
    for addr in addresses(ctx):
        if addr.iface.name not in started:
            continue  # templates, mapping targets and manual interfaces are alternatives
        net = addr.value.network
        if net.prefixlen >= net.max_prefixlen - 1 or addr.value.ip.is_unspecified:
            continue
        vrf = addr.iface.get("vrf") or ""
        start = int(addr.value.ip) & ~((1 << (net.max_prefixlen - net.prefixlen)) - 1)
        end = start | ((1 << (net.max_prefixlen - net.prefixlen)) - 1)
        nets.append((f"{vrf}/v{net.version}", start, end, net.version, addr))
    nets.sort(key=lambda n: (n[0], n[1], -n[2]))
    reported: set[tuple[str, str]] = set()
    open_until: tuple[str, int, Addr] | None = None  # widest network still covering
    for scope, start, end, _, addr in nets:
        if open_until and open_until[0] == scope and start <= open_until[1]:
            other = open_until[2]
            pair = (other.iface.name, addr.iface.name)
            if other.iface.name != addr.iface.name and pair not in reported:
                reported.add(pair)
                yield Finding(
                    addr.attr.span,
                    f"{addr.value.network} on `{addr.iface.name}` "
                    f"overlaps {other.value.network} on `{other.iface.name}`",
                )
            if end > open_until[1]:
                open_until = (scope, end, addr)
        else:
            open_until = (scope, end, addr)
