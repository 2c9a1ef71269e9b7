"""IFG401–IFG404: addresses, prefixes and gateways."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from ifguard.config.address import netmask_prefix, parse_address
from ifguard.config.diagnostic import Severity
from ifguard.config.model import Attribute, Interface
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.values import placeholder

if TYPE_CHECKING:  # ipaddress is imported where it is used: start-up time matters
    import ipaddress

    IPInterface = ipaddress.IPv4Interface | ipaddress.IPv6Interface
    IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class Addr(NamedTuple):
    iface: Interface
    attr: Attribute
    value: IPInterface


_TEMPLATE_CHARS = frozenset("$%{}<>…")


def _skip(word: str) -> bool:
    return not _TEMPLATE_CHARS.isdisjoint(word) or (
        ("x" in word or "X" in word or "#" in word) and placeholder(word) is not None
    )


def _parse(word: str, iface: Interface) -> IPInterface:
    prefix = None if "/" in word else netmask_prefix(iface.get("netmask"))
    return parse_address(word, prefix)


def addresses(ctx: Context) -> list[Addr]:
    """Every parseable static address, with the stanza and attribute it comes from
    (parsed once per lint run and shared by the addressing rules)."""
    cached = ctx.options.get("addresses")
    if isinstance(cached, list):
        return cached
    found: list[Addr] = []
    for iface, attr in ctx.attrs("address"):
        for word in attr.value.split():
            if _skip(word):
                continue
            try:
                found.append(Addr(iface, attr, _parse(word, iface)))
            except ValueError:
                continue
    ctx.options["addresses"] = found
    return found


def gateways(ctx: Context) -> list[tuple[Interface, Attribute, IPAddress]]:
    """Every parseable `gateway`, with its stanza and attribute."""
    import ipaddress

    found = []
    for iface, attr in ctx.attrs("gateway"):
        words = attr.value.split()
        if not words or _skip(words[0]):
            continue
        try:
            found.append((iface, attr, ipaddress.ip_address(words[0])))
        except ValueError:
            continue
    return found


@rule("IFG401", "invalid-address", Severity.ERROR)
def invalid_address(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks `address`, `gateway` and `netmask` values: a valid IPv4/IPv6 address, a prefix
    length that exists (≤ 32 / ≤ 128), a contiguous netmask, no empty address or lone `/`.

    ## Why is this bad?
    The address is not configured and ifupdown2 marks the interface failed; without its
    address (or default route) the host is unreachable.

    ## Example
    ```
    iface wg0
        address 192.0.2.23/42
    ```

    ## Use instead
    ```
    iface wg0
        address 192.0.2.23/24
    ```
    """
    counts: dict[int, int] = {}
    for a in addresses(ctx):
        counts[id(a.attr.line)] = counts.get(id(a.attr.line), 0) + 1
    for iface, attr in ctx.attrs("address", "gateway", "netmask"):
        if (
            attr.key == "address"
            and counts.get(id(attr.line), 0) == sum(not _skip(w) for w in attr.value.split()) > 0
        ):
            continue  # every word parsed
        words = attr.value.split() or [""]
        checked = words if attr.key == "address" else words[:1]
        problems = [p for w in checked if not _skip(w) and (p := _problem(attr.key, w, iface))]
        if problems:
            more = f" (and {len(problems) - 1} more word(s))" if len(problems) > 1 else ""
            yield Finding(attr.span, problems[0] + more)


def _problem(key: str, word: str, iface: Interface) -> str | None:
    import ipaddress

    try:
        if key == "address":
            _parse(word, iface)
        elif key == "gateway":
            ipaddress.ip_address(word)
        elif word.isdigit():
            if int(word) > 128:
                return f"netmask `{word}` is not a prefix length"
        else:
            ipaddress.IPv4Network(f"0.0.0.0/{word}")
    except ValueError as exc:
        return f"`{key} {word}` is not valid: {exc}"
    return None


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


@rule("IFG403", "multiple-default-gateways", Severity.WARNING)
def multiple_default_gateways(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds more than one `gateway` per address family in the main routing table among the
    interfaces brought up automatically (`auto`/`allow-*`); interfaces in a VRF are counted
    per VRF.

    ## Why is this bad?
    The second `ip route add default` fails with "File exists" and ifupdown2 marks that
    interface failed; which gateway the host really uses depends on bring-up order.

    ## Example
    ```
    auto vlan92 vlan1920
    iface vlan92 inet static
        address 192.0.2.10/24
        gateway 192.0.2.1
    iface vlan1920 inet static
        address 198.51.100.10/24
        gateway 198.51.100.1
    ```

    ## Use instead
    ```
    auto vlan92 vlan1920
    iface vlan92 inet static
        address 192.0.2.10/24
        gateway 192.0.2.1
    iface vlan1920 inet static
        address 198.51.100.10/24
    ```
    """
    first: dict[tuple[str, int], tuple[Interface, str]] = {}
    started = ctx.config.auto.union(*ctx.config.allow.values())
    for iface, attr, gw in gateways(ctx):
        if iface.stanza != "iface" or iface.name not in started:
            continue
        table = iface.get("vrf") or iface.get("vrf-table") or "main"
        key = (table, gw.version)
        if key not in first:
            first[key] = (iface, str(gw))
        elif first[key][0].name != iface.name:
            other, other_gw = first[key]
            yield Finding(
                attr.span,
                f"second IPv{gw.version} default gateway {gw} on "
                f"`{iface.name}`; `{other.name}` already sets {other_gw} "
                f"(line {other.line.lineno})",
            )


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
