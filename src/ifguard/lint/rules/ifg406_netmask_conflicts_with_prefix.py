"""IFG406 netmask-conflicts-with-prefix."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.lint.rules.base import Context, Finding, rule


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
