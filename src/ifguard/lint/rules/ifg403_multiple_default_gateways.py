"""IFG403 multiple-default-gateways."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.model import Interface
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.helpers import gateways


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
