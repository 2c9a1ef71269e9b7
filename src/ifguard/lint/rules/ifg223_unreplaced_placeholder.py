"""IFG223 unreplaced-placeholder."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.helpers import placeholder

_ADDRESS_KEYS = frozenset(
    {
        "address",
        "gateway",
        "netmask",
        "broadcast",
        "pointopoint",
        "point-to-point",
        "dns-nameservers",
        "address-virtual",
        "vxlan-local-tunnelip",
        "endpoint",
        "local",
        "hwaddress",
    }
)


@rule("IFG223", "unreplaced-placeholder", Severity.ERROR)
def unreplaced_placeholder(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds template placeholders left in values: `<ip>/24`, `<Gateway-IP>`, `172.22.2.XXX`,
    `148.x.x.x`, `2a01:x:x::x`, `####`, an ellipsis `…`.

    ## Why is this bad?
    Copied from a guide and never filled in: the address cannot be parsed, the interface
    comes up without it, and the default route is missing. The host is unreachable.

    ## Example
    ```
    iface vmbr0 inet static
        address <ip>/24
    ```

    ## Use instead
    ```
    iface vmbr0 inet static
        address 192.0.2.10/24
    ```
    """
    for _, attr in ctx.attrs(*_ADDRESS_KEYS):
        found = placeholder(attr.value)
        if found:
            yield Finding(
                attr.span, f"`{attr.name}` holds a placeholder (`{found}`), not a real value"
            )
