"""IFG307 mtu-above-parent."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.topology import edge_list, vlan_parent
from ifguard.lint.rules.base import Context, Finding, rule


def _mtu(value: str | None) -> int | None:
    if value is None or not value.split() or not value.split()[0].isdigit():
        return None
    return int(value.split()[0])


@rule("IFG307", "mtu-above-parent", Severity.ERROR)
def mtu_above_parent(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds an interface whose `mtu` is larger than the `mtu` of the interface it sits on:
    a VLAN above its parent, a bond or bridge above its members.

    ## Why is this bad?
    The kernel refuses an MTU larger than the lower device's (`RTNETLINK answers: Invalid
    argument`), or large frames are dropped silently on the smaller link: jumbo-frame
    storage and migration traffic stalls while pings still work.

    ## Example
    ```
    iface eno1 inet manual
        mtu 1500
    iface eno1.50 inet manual
        mtu 9000
    ```

    ## Use instead
    ```
    iface eno1 inet manual
        mtu 9000
    iface eno1.50 inet manual
        mtu 9000
    ```
    """
    mtus: dict[str, int] = {}
    for iface, attr in ctx.attrs("mtu"):
        value = _mtu(attr.value)
        if value is not None:
            mtus.setdefault(iface.name, value)
    if not mtus:
        return
    for iface in ctx.config.interfaces:
        mine = mtus.get(iface.name)
        parent = vlan_parent(iface) if "." in iface.name or iface.get("vlan-raw-device") else None
        if mine is not None and parent and parent[0] in mtus and mine > mtus[parent[0]]:
            yield Finding(
                iface.span,
                f"`{iface.name}` has mtu {mine} but its parent "
                f"`{parent[0]}` has mtu {mtus[parent[0]]}",
            )
    for edge in edge_list(ctx.options, ctx.config):
        mine = mtus.get(edge.master.name)
        lower = mtus.get(edge.member)
        if (
            mine is not None
            and lower is not None
            and mine > lower
            and edge.relation in ("bond", "bridge")
        ):
            yield Finding(
                edge.attribute.span,
                f"`{edge.master.name}` has mtu {mine} but its "
                f"member `{edge.member}` has mtu {lower}",
            )
