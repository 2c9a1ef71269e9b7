"""IFG405–IFG407: prefixes that contradict themselves or each other."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.lint.rules.addressing import Addr, addresses
from ifguard.lint.rules.base import Context, Finding, rule


@rule("IFG405", "network-address-as-host", Severity.WARNING)
def network_address_as_host(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds an IPv4 `address` that is the network address of its own prefix
    (`10.0.0.0/24`), i.e. host bits all zero, on prefixes shorter than /31.

    ## Why is this bad?
    Usually the subnet was pasted where the host's address belongs. The interface takes an
    address other hosts treat as the network itself; nothing on the LAN reaches it.

    ## Example
    ```
    iface eth0 inet static
        address 192.0.2.0/24
    ```

    ## Use instead
    ```
    iface eth0 inet static
        address 192.0.2.10/24
    ```
    """
    for addr in addresses(ctx):
        value = addr.value
        if (
            value.version == 4
            and value.network.prefixlen < 31
            and value.ip == value.network.network_address
            and not value.ip.is_unspecified
        ):
            yield Finding(
                addr.attr.span,
                f"{value} is the network address of {value.network}, not a host address",
            )


@rule("IFG406", "netmask-conflicts-with-prefix", Severity.WARNING)
def netmask_conflicts_with_prefix(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds a `netmask` that disagrees with the prefix length written on the `address`
    (`address 192.0.2.10/24` with `netmask 255.255.255.128`).

    ## Why is this bad?
    Which one wins differs between ifupdown versions and ifupdown2; the subnet (and so which
    neighbours and gateway are on-link) is not what one of the two lines says.

    ## Example
    ```
    iface eth0 inet static
        address 192.0.2.10/24
        netmask 255.255.255.128
    ```

    ## Use instead
    ```
    iface eth0 inet static
        address 192.0.2.10/25
    ```
    """
    import ipaddress

    for iface, attr in ctx.attrs("netmask"):
        mask = attr.value.split()[0] if attr.value.split() else ""
        try:
            prefix = (
                int(mask) if mask.isdigit() else ipaddress.IPv4Network(f"0.0.0.0/{mask}").prefixlen
            )
        except ValueError:
            continue  # IFG401 reports it
        for address in iface.find("address"):
            for word in address.value.split():
                if (
                    "/" in word
                    and word.rsplit("/", 1)[1].isdigit()
                    and int(word.rsplit("/", 1)[1]) != prefix
                ):
                    yield Finding(
                        attr.span,
                        f"netmask `{mask}` (/{prefix}) contradicts `{word}` on `{iface.name}`",
                    )


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


@rule("IFG408", "broadcast-outside-subnet", Severity.WARNING)
def broadcast_outside_subnet(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds an IPv4 `broadcast` address that is not in the subnet of the stanza's `address`
    (`address 192.168.1.10/24` with `broadcast 192.168.2.255`): usually copied from another
    stanza or host. (`+` and `-`, computed by ifupdown, are fine.)

    ## Why is this bad?
    The interface sends its broadcasts (DHCP relays, NetBIOS, Wake-on-LAN, some cluster
    heartbeats) to an address nobody on the LAN listens to, while unicast traffic works:
    the failure shows much later and elsewhere.

    ## Example
    ```
    iface eth0 inet static
        address 192.168.1.10/24
        broadcast 192.168.2.255
    ```

    ## Use instead
    ```
    iface eth0 inet static
        address 192.168.1.10/24
        broadcast 192.168.1.255
    ```
    """
    import ipaddress

    nets: dict[int, list[ipaddress.IPv4Network]] = {}
    for addr in addresses(ctx):
        if addr.value.version == 4 and addr.value.network.prefixlen < 31:
            nets.setdefault(id(addr.iface), []).append(addr.value.network)
    for iface, attr in ctx.attrs("broadcast"):
        words = attr.value.split()
        if not words or words[0] in ("+", "-") or id(iface) not in nets:
            continue
        try:
            value = ipaddress.IPv4Address(words[0])
        except ValueError:
            continue  # IFG401 or a template
        mine = nets[id(iface)]
        if any(value in net for net in mine):
            continue
        expected = mine[0].broadcast_address
        yield Finding(
            attr.span,
            f"broadcast {value} is outside {mine[0]} (the subnet of this stanza's address); "
            f"its broadcast address is {expected}",
        )
