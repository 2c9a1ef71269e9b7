"""IFG306–IFG309: layers that do not fit: VLAN parents, MTUs, addresses on ports, `auto`."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.parse import Kind
from ifguard.config.topology import defined_names, edge_list, vlan_parent
from ifguard.lint.rules.base import Context, Finding, rule

_ADDRESSED = ("static",)


@rule("IFG306", "vlan-parent-missing", Severity.WARNING)
def vlan_parent_missing(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds VLAN interfaces (`bond1.100`, or `vlan100` with `vlan-raw-device bond1`) whose
    parent is a virtual interface (bond, bridge) that no stanza defines; with the host's
    NIC inventory known, any parent that is neither defined nor a NIC of the host (a NIC
    name the host lacks is IFG310's).

    ## Why is this bad?
    The VLAN interface is created on top of its parent: without the parent it cannot exist,
    and the addresses and routes on it are never configured.

    ## Example
    ```
    iface bond1.100 inet static
        address 192.0.2.10/24
    ```

    ## Use instead
    ```
    iface bond1 inet manual
        bond-slaves eno1 eno2
    iface bond1.100 inet static
        address 192.0.2.10/24
    ```
    """
    from ifguard.config.topology import looks_like_nic, looks_virtual

    defined = defined_names(ctx.config)
    for iface in ctx.config.interfaces:
        if iface.stanza != "iface" or ("." not in iface.name and not iface.get("vlan-raw-device")):
            continue
        if any(iface.get(k) for k in ("bridge-ports", "bond-slaves", "ovs-type", "vlan-id")):
            continue  # a bridge or bond that merely has a dot in its name
        parent = vlan_parent(iface)
        if parent is None or parent[0] in defined:
            continue
        known_nic = ctx.inventory is not None and parent[0] in ctx.inventory
        if known_nic or (ctx.inventory is not None and looks_like_nic(parent[0])):
            continue  # a NIC of this host, or one it lacks (IFG310 says so)
        if ctx.inventory is not None or looks_virtual(parent[0]):
            yield Finding(
                iface.name_span,
                f"VLAN `{iface.name}` sits on `{parent[0]}`, which no stanza defines",
            )


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


@rule("IFG308", "address-on-port", Severity.WARNING)
def address_on_port(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds an IP address configured on an interface that is a Linux bridge port or a bond
    slave.

    ## Why is this bad?
    Once enslaved, the port no longer handles IP itself: the address answers nothing (or
    confuses ARP), and the address the admin expects to reach is effectively gone. It
    belongs on the bridge or the bond.

    ## Example
    ```
    iface eno1 inet static
        address 192.0.2.10/24
    iface vmbr0 inet manual
        bridge-ports eno1
    ```

    ## Use instead
    ```
    iface eno1 inet manual
    iface vmbr0 inet static
        address 192.0.2.10/24
        bridge-ports eno1
    ```
    """
    enslaved = {
        e.member: e for e in edge_list(ctx.options, ctx.config) if e.relation in ("bond", "bridge")
    }
    for iface, attr in ctx.attrs("address"):
        edge = enslaved.get(iface.name)
        if edge is not None and attr.value.strip() and not attr.value.startswith("0.0.0.0"):
            yield Finding(
                attr.span,
                f"`{iface.name}` is a port of `{edge.master.name}` "
                f"({edge.attribute.name}); put the address on `{edge.master.name}`",
            )


@rule("IFG309", "auto-without-stanza", Severity.WARNING)
def auto_without_stanza(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds names on `auto` lines that have no `iface` stanza in any file read.

    ## Why is this bad?
    Classic ifupdown fails with "unknown interface" at boot, and ifupdown2 only brings the
    link up with no configuration: usually a stanza was renamed or deleted and its `auto`
    line left behind.

    ## Example
    ```
    auto eth1
    iface eth0 inet dhcp
    ```

    ## Use instead
    ```
    auto eth0
    iface eth0 inet dhcp
    ```
    """
    defined = {i.name for i in ctx.config.interfaces}
    templated = any(
        "%" in d.text and any(ln.kind is Kind.TEMPLATE for ln in d.lines) for d in ctx.documents
    )
    if templated or ctx.loaded.issues:  # stanzas may come from templates or missing files
        return
    for st in ctx.config.statements:
        if st.keyword not in ("auto", "allow-auto"):
            continue
        for name in st.arguments:
            if name not in defined and name != "all" and not any(c in name for c in "[]*$%"):
                yield Finding(st.span, f"`auto {name}`: no `iface {name}` stanza")
