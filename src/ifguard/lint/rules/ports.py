"""IFG211, IFG311: bond options and port lists written the way another tool spells them."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Edit, Fix, Severity
from ifguard.config.dialect import Dialect
from ifguard.config.lazyre import lazy
from ifguard.config.model import Interface
from ifguard.config.topology import MEMBER_ATTRIBUTES, defined_names, ovs_type
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


# `swp[1-4]`, `eth[0-3].100`: a glob character class; `swp1-4`, `swp1-4.100`: ifupdown2's
# glob range. Without the `glob` keyword both are taken as one interface name.
_BRACKETS = lazy(r"\[[0-9]+-[0-9]+\]")
_DASH = lazy(r"^[A-Za-z]+[0-9]+-[0-9]+(\.[0-9]+)?$")


@rule("IFG311", "port-range-without-glob", Severity.ERROR)
def port_range_without_glob(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds a range of ports in `bridge-ports`, `bond-slaves` or an OVS port list written
    without ifupdown2's `glob` keyword: `swp[1-4]` (an error) or `swp1-4` (a warning, unless
    a stanza defines that name).

    ## Why is this bad?
    Without `glob` the range is one literal interface name that does not exist: the bridge
    or bond comes up without any of the ports.

    ## Example
    ```
    iface br0
        bridge-ports swp[1-4]
    ```

    ## Use instead
    ```
    iface br0
        bridge-ports glob swp[1-4]
    ```
    """
    defined = defined_names(ctx.config)
    keys = tuple(MEMBER_ATTRIBUTES)
    for iface, attr in ctx.attrs(*keys):
        words = attr.value.split()
        if not words or words[0] in ("glob", "regex"):
            continue
        for i, word in enumerate(words):
            if i and words[i - 1] in ("glob", "regex"):
                continue
            brackets = bool(_BRACKETS.search(word))
            if not brackets and (not _DASH.match(word) or word in defined):
                continue
            if "$" in word or "%" in word or "{" in word:
                continue  # a template
            doc, line = attr.document, attr.line
            at = _word_offset(line.raw, attr.value, i)
            fix = None
            if at is not None:
                pos = line.start + at
                fix = Fix(f"write `glob {word}`", (Edit(doc.path, pos, pos, "glob "),), safe=False)
            yield Finding(
                attr.span,
                f"`{word}` in `{attr.name}` of `{iface.name}` is a range of ports without "
                "the `glob` keyword: it is read as one interface name that does not exist",
                fix,
                severity=None if brackets else Severity.WARNING,
            )


def _word_offset(raw: str, value: str, index: int) -> int | None:
    """The offset in the line of the ``index``-th word of ``value``."""
    base = raw.find(value)
    if base < 0:
        return None
    pos = 0
    for n, word in enumerate(value.split()):
        pos = value.index(word, pos)
        if n == index:
            return base + pos
        pos += len(word)
    return None
