"""IFG405 network-address-as-host."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.helpers import addresses


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
