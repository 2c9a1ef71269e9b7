"""IFG409 netmask-of-another-address."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.dialect import Dialect
from ifguard.config.model import Attribute, Interface
from ifguard.lint.rules.base import Context, Finding, rule

# stored by ifupdown2 at the index of the `address` above them
_ALIGNED = frozenset({"netmask", "broadcast", "scope", "preferred-lifetime"})


@rule("IFG409", "netmask-of-another-address", Severity.ERROR, dialects=(Dialect.IFUPDOWN2,))
def netmask_of_another_address(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks the order of `address` and `netmask` (also `broadcast`, `scope`,
    `preferred-lifetime`) in a stanza read by ifupdown2. ifupdown2 stores each of them at the
    index of the `address` line above it: one placed before any `address` is dropped, and an
    `address` without a prefix length gets only the netmask that follows it.

    ## Why is this bad?
    The address comes up as a /32 (no route to its subnet, no gateway reachable), and no
    tool complains: ifupdown2 logs nothing. Classic ifupdown, with one address and one
    netmask per stanza, does not care about their order.

    ## Example
    ```
    auto eth0
    iface eth0 inet static
        netmask 255.255.255.0
        address 192.0.2.10
    ```

    ## Use instead
    ```
    auto eth0
    iface eth0 inet static
        address 192.0.2.10
        netmask 255.255.255.0
    ```
    """
    for iface in ctx.config.interfaces:
        if not any(a.key in _ALIGNED for a in iface.attributes):
            continue
        yield from _stanza(iface)


def _stanza(iface: Interface) -> Iterator[Finding]:
    addresses: list[Attribute] = []
    netmasks: list[Attribute | None] = []
    dropped = False
    for attr in iface.attributes:
        if attr.key == "address":
            addresses.append(attr)
        elif attr.key in _ALIGNED and not addresses:
            dropped = dropped or attr.key == "netmask"
            yield Finding(
                attr.span,
                f"`{attr.name}` before any `address`: ifupdown2 stores it with the address "
                "above it, so it is dropped; move it below its `address`",
            )
        elif attr.key == "netmask":
            netmasks.extend([None] * (len(addresses) - 1 - len(netmasks)))
            netmasks.append(attr)
    if not any(netmasks) and not dropped:
        return
    for index, address in enumerate(addresses):
        mask = netmasks[index] if index < len(netmasks) else None
        if mask is None and any("/" not in w for w in address.value.split()):
            yield Finding(
                address.span,
                f"`address {address.value}` has no prefix length and no `netmask` of its own "
                "below it: ifupdown2 applies each netmask only to the address just above "
                "it, so this one is configured as a /32; write ADDRESS/PREFIX",
            )
