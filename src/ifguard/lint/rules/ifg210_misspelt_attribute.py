"""IFG210 misspelt-attribute."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.schema import closest_attribute
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.helpers import management

# What the management path needs of its stanzas: misspelt on the path, they cut it.
_PATH_NEEDS = frozenset(
    {
        "bridge-ports",
        "bond-slaves",
        "slaves",
        "bond-members",
        "bond-master",
        "vlan-raw-device",
        "vlan-id",
        "ovs-type",
        "ovs-bridge",
        "ovs-ports",
        "ovs-bonds",
        "address",
        "netmask",
        "gateway",
        "requires",
    }
)
# Option families read by hook scripts that accept options we cannot enumerate.
_OPEN_FAMILIES = frozenset({"wpa", "wireless", "dns", "test", "hostapd", "ethtool", "tc"})


@rule("IFG210", "misspelt-attribute", Severity.WARNING)
def misspelt_attribute(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds option names no dialect knows that are one or two letters away from one that
    exists (`bridge-stop` for `bridge-stp`, `bond-slave` for `bond-slaves`).

    ## Why is this bad?
    Unknown options are ignored or handed to hook scripts that do not look for them: the
    setting silently does not happen (STP stays on, the bond has no slaves).

    Severity by impact: an error when the stanza is on the management path (the interface
    with the default route, down to its NICs) and the option meant is one the path needs
    (`bridge-ports`, `bond-slaves`, `vlan-raw-device`, `ovs_type`, `ovs_bridge`, `address`,
    `gateway`, ...): `bridge_prots` leaves the management bridge without ports at boot. A
    warning elsewhere (docs/boot.md).

    ## Example
    ```
    iface vmbr0 inet manual
        bridge-ports eno1
        bridge-stop off
    ```

    ## Use instead
    ```
    iface vmbr0 inet manual
        bridge-ports eno1
        bridge-stp off
    ```
    """
    for key in ctx.attribute_keys():
        if key.split("-", 1)[0] in _OPEN_FAMILIES or key[-1:].isdigit():
            continue
        guess = closest_attribute(key)
        if not guess:
            continue
        for iface, attr in ctx.attrs(key):
            message = (
                f"unknown option `{attr.name}`; did you mean `{guess}`? As written it is ignored"
            )
            cut = _cut(ctx, iface.name, guess)
            if cut:
                yield Finding(attr.name_span, message + cut, severity=Severity.ERROR)
            else:
                yield Finding(attr.name_span, message)


def _cut(ctx: Context, name: str, meant: str) -> str:
    """What the misspelling does to the management path ("" when it does not cut it)."""
    if meant == "gateway" and not ctx.attrs("gateway"):
        return (
            "; without it no interface has a default route: after the next reload or boot "
            "this host is unreachable from other networks"
        )
    if meant not in _PATH_NEEDS:
        return ""
    path = management(ctx)
    if name not in path.interfaces:
        return ""
    return (
        f"; `{name}` is on the management path ({path.summary()}) and needs `{meant}`: "
        "after the next boot this host is unreachable"
    )
