"""IFG211 bond-option-without-prefix."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Edit, Fix, Severity
from ifguard.config.dialect import Dialect
from ifguard.config.model import Interface
from ifguard.config.topology import ovs_type
from ifguard.lint.rules.base import Context, Finding, rule

# Bonding driver options, as `bond-NAME` options of ifenslave/ifupdown2/ifupdown-ng, that
# people write bare (the sysfs / modprobe / netplan spelling) inside a bond stanza.
_BOND_OPTIONS = frozenset(
    {
        "mode",
        "miimon",
        "lacp-rate",
        "xmit-hash-policy",
        "updelay",
        "downdelay",
        "primary",
        "primary-reselect",
        "min-links",
        "ad-select",
        "arp-interval",
        "arp-ip-target",
        "use-carrier",
        "fail-over-mac",
        "num-grat-arp",
    }
)


def _is_bond(iface: Interface) -> bool:
    """A Linux bond stanza: a `bond-*` option other than a slave's `bond-master`, or a
    `bondN` name, and no Open vSwitch type (an OVSBond takes `ovs_options`)."""
    if iface.stanza != "iface" or ovs_type(iface) or iface.method == "tunnel":
        return False
    if iface.name.startswith("bond") and iface.name[4:].isdigit():
        return True
    return any(a.key.startswith("bond-") and a.key != "bond-master" for a in iface.attributes)


@rule("IFG211", "bond-option-without-prefix", Severity.ERROR)
def bond_option_without_prefix(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds bonding options written without their `bond-` prefix inside a bond stanza
    (`mode 802.3ad`, `miimon 100`, `lacp_rate fast`; with ifupdown2 also `slaves`), the
    spelling of modprobe, sysfs and netplan.

    ## Why is this bad?
    ifupdown passes the unknown option to scripts that never read it: the bond comes up in
    the default `balance-rr` mode without link monitoring, so LACP is never negotiated and
    the switch's port channel stays down.

    ## Example
    ```
    iface bond0 inet manual
        bond-slaves eno1 eno2
        mode 802.3ad
        miimon 100
    ```

    ## Use instead
    ```
    iface bond0 inet manual
        bond-slaves eno1 eno2
        bond-mode 802.3ad
        bond-miimon 100
    ```
    """
    bare = _BOND_OPTIONS | ({"slaves"} if ctx.dialect is Dialect.IFUPDOWN2 else set())
    for iface in ctx.config.interfaces:
        if not _is_bond(iface):
            continue
        for attr in iface.attributes:
            if attr.key not in bare or iface.get(f"bond-{attr.key}") is not None:
                continue
            start = attr.line.start + len(attr.line.raw) - len(attr.line.raw.lstrip(" \t"))
            fix = Fix(
                f"write `bond-{attr.name}`",
                (Edit(attr.document.path, start, start, "bond-"),),
                safe=False,
            )
            yield Finding(
                attr.name_span,
                f"`{attr.name}` in bond `{iface.name}` is not a bond option: ifupdown ignores "
                f"it; the bonding option is `bond-{attr.name}`",
                fix,
            )
