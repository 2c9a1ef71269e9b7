"""IFG302 conflicting-duplicate-interface."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.model import Interface
from ifguard.config.topology import ovs_type
from ifguard.lint.rules.base import Context, Finding, rule


@rule("IFG302", "conflicting-duplicate-interface", Severity.ERROR)
def duplicate_interface(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds the same interface defined twice for the same address family where the two
    stanzas cannot both apply: a Linux bond and an OVS bond, two `ovs_type`s or two
    `ovs_bridge`s (errors). Two IPv4 methods that both configure addresses (`static` and
    `dhcp`) are a warning. Repeating a stanza is otherwise legal and not reported: every
    stanza of an interface is applied (`inet6 static` + `inet6 auto` is a static address
    plus SLAAC; a `manual` stanza beside a `static` one adds nothing).

    ## Why is this bad?
    ifupdown2 and ifupdown-ng merge the stanzas into one interface with both sets of
    options: an interface cannot be a Linux bond and an OVS bond, nor sit on two OVS
    bridges, so the result is neither of the two things you wrote.

    ## Example
    ```
    iface bond0 inet manual
        ovs_type OVSBond
        ovs_bridge vmbr0
    iface bond0 inet manual
        ovs_type OVSBond
        ovs_bridge vmbr1
    ```

    ## Use instead
    ```
    iface bond0 inet manual
        ovs_type OVSBond
        ovs_bridge vmbr0
    ```
    """
    for name, stanzas in ctx.config.by_name.items():
        ifaces = [i for i in stanzas if i.stanza == "iface"]
        seen: dict[str, Interface] = {}
        for iface in ifaces:
            family = iface.family or "inet"
            first = seen.get(family)
            if first is None:
                seen[family] = iface
                continue
            conflict = _conflict(first, iface)
            if conflict:
                yield Finding(
                    iface.span,
                    f"`{name}` ({family}) is defined again (first at line "
                    f"{first.line.lineno}) and the two cannot both apply: {conflict}",
                )
                continue
            methods = _surprising_methods(family, first, iface)
            if methods:
                yield Finding(
                    iface.span,
                    f"`{name}` ({family}) is defined again (first at line "
                    f"{first.line.lineno}): both stanzas apply, {methods}",
                    severity=Severity.WARNING,
                )


# Methods that configure an address themselves; `manual` and friends add nothing to another.
_ADDRESSING = frozenset({"static", "dhcp", "bootp", "ppp", "loopback", "tunnel", "v4tunnel"})


def _surprising_methods(family: str, a: Interface, b: Interface) -> str:
    """Two stanzas of one family whose methods both configure addresses (IPv4 `static` and
    `dhcp`); IPv6 `static` + `auto`/`dhcp` is the ordinary static address plus SLAAC."""
    ma, mb = a.method, b.method
    if not ma or not mb or ma == mb or family == "inet6":
        return ""
    if ma in _ADDRESSING and mb in _ADDRESSING:
        return f"so the interface gets `{ma}` and `{mb}` addressing at once"
    return ""


def _conflict(a: Interface, b: Interface) -> str:
    ta, tb = ovs_type(a), ovs_type(b)
    if ta and tb and ta != tb:
        return f"ovs_type `{ta}` vs `{tb}`"
    linux_bond = [i for i in (a, b) if i.get("bond-slaves") or i.get("slaves")]
    if linux_bond and (ta == "OVSBond" or tb == "OVSBond"):
        return "a Linux bond and an OVS bond with the same name"
    ba, bb = a.get("ovs-bridge"), b.get("ovs-bridge")
    if ba and bb and ba != bb:
        return f"ovs_bridge `{ba}` vs `{bb}`"
    return ""
