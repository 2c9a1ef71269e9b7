"""IFG408 broadcast-outside-subnet."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.helpers import addresses


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
