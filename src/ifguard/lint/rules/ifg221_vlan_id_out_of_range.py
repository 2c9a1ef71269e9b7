"""IFG221 vlan-id-out-of-range."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.topology import vlan_parent
from ifguard.lint.rules.base import Context, Finding, rule


def _vid_ranges(value: str) -> Iterator[tuple[str, int, int]]:
    for part in value.replace(",", " ").split():
        low, _, high = part.partition("-")
        if low.isdigit() and (not high or high.isdigit()):
            yield part, int(low), int(high or low)


@rule("IFG221", "vlan-id-out-of-range", Severity.ERROR)
def vlan_id_out_of_range(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks VLAN ids in interface names (`eth0.4095`, `vlan5000` with `vlan-raw-device`) and
    in `bridge-vids` lists and ranges: they must be 1–4094.

    ## Why is this bad?
    0 and 4095 are reserved by 802.1Q; larger ids do not exist. The VLAN interface cannot be
    created and everything stacked on it stays down.

    ## Example
    ```
    iface eth0.4095 inet manual
    ```

    ## Use instead
    ```
    iface eth0.4094 inet manual
    ```
    """
    raw_device = {id(i) for i, _ in ctx.attrs("vlan-raw-device")}
    for iface in ctx.config.interfaces:
        if "." not in iface.name and id(iface) not in raw_device:
            continue
        parent = vlan_parent(iface)
        if parent and not 1 <= parent[1] <= 4094:
            yield Finding(
                iface.name_span, f"VLAN id {parent[1]} of `{iface.name}` is outside 1-4094"
            )
    for _, attr in ctx.attrs("bridge-vids"):
        for part, low, high in _vid_ranges(attr.value):
            if not (1 <= low <= high <= 4094):
                yield Finding(attr.span, f"`{part}` in `{attr.name}` is not within 1-4094")
