"""Which implementation will read the file: ifupdown (classic), ifupdown2 or ifupdown-ng.

Detection looks at keywords and attributes only one dialect has; ``--dialect`` overrides it.
Open vSwitch ``ovs_*`` stanzas and Proxmox files are read by ifupdown2 on Proxmox and by classic
ifupdown (with openvswitch-switch's scripts) on plain Debian, so OVS is not a dialect of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from ifguard.config.parse import Document, Kind


class Dialect(StrEnum):
    IFUPDOWN = "ifupdown"
    IFUPDOWN2 = "ifupdown2"
    IFUPDOWN_NG = "ifupdown-ng"


ALL_DIALECTS = frozenset(Dialect)

_NG_HINTS = frozenset({"use", "inherit", "requires"})
_NG_STANZAS = frozenset({"template"})
_CLASSIC_HINTS = frozenset({"mapping", "no-auto-down", "no-scripts", "rename", "source-directory"})
_IFUPDOWN2_HINTS = frozenset(
    {
        "bridge-vids",
        "bridge-pvid",
        "bridge-vlan-aware",
        "bridge-access",
        "vrf",
        "vrf-table",
        "vxlan-id",
        "clag-id",
        "address-virtual",
        "link-type",
        "mstpctl-portadminedge",
    }
)

_IFUPDOWN2_HINTS_ANY = _IFUPDOWN2_HINTS | {h.replace("-", "_") for h in _IFUPDOWN2_HINTS}


def detect(documents: Iterable[Document]) -> Dialect:
    """Guess the dialect. Proxmox (ifupdown2) is the default when nothing decides it."""
    ng = classic = two = 0
    option, stanza, statement = Kind.OPTION, Kind.STANZA, Kind.STATEMENT
    hints2 = _IFUPDOWN2_HINTS_ANY
    for doc in documents:
        for line in doc.lines:
            kind = line.kind
            if kind is option:
                kw = line.keyword
                if kw in hints2:
                    two += 1
                elif kw in _NG_HINTS:
                    ng += 1
            elif kind is Kind.TEMPLATE:
                two += 1
            elif kind is stanza:
                if "inherits" in line.value.split():  # `iface a inherits b`: not ifupdown2
                    classic += 2
                if line.keyword in _NG_STANZAS:
                    ng += 2
                elif line.keyword == "mapping":
                    classic += 2
            elif kind is statement and line.keyword in _CLASSIC_HINTS:
                classic += 1
    if ng and ng >= max(two, classic):
        return Dialect.IFUPDOWN_NG
    if classic > two:
        return Dialect.IFUPDOWN
    return Dialect.IFUPDOWN2
