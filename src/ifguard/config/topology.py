"""Who enslaves whom, derived from the model: bond slaves, bridge ports, OVS bridges, ports and
bonds, VLAN parents. Pure functions over a ``Config``; used by the reference/OVS rules and by
anything that needs to walk from a bridge down to physical NICs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from ifguard.config.lazyre import lazy
from ifguard.config.model import Attribute, Config, Interface

# attribute (canonical) → relation it expresses from the stanza to the listed names
MEMBER_ATTRIBUTES: dict[str, str] = {
    "bond-slaves": "bond",
    "slaves": "bond",
    "bond-members": "bond",
    "bridge-ports": "bridge",
    "ovs-ports": "ovs-bridge",
    "ovs-bonds": "ovs-bond",
}
_NOT_NAMES = frozenset({"none", "all", "glob", "regex", "+"})
_TEMPLATED = lazy(r"[$%{}*?\[\]]")
# Kinds nothing but the interfaces file creates. (VLAN sub-interfaces such as `eth0.100` are
# created implicitly by ifupdown2 for bridge ports; tap/vxlan devices by other tools.)
_VIRTUAL = lazy(r"^(bond|vmbr|br|team)\d+$")
_VLAN_NAME = lazy(r"^(?P<parent>.+)\.(?P<vid>\d+)$")
# Kernel and udev names of physical NICs: eth0, eno1, ens18, enp1s0f1, enx0123456789ab,
# em1, p1p2, ib0, wlan0/wlp2s0, swp1 (switch ports).
_NIC = lazy(r"^(eth\d+|en[opsx][0-9a-z]+|em\d+|p\d+p\d+|ib\d+|wl[a-z0-9]+|wlan\d+|swp\d+(s\d+)?)$")


class Edge(NamedTuple):
    master: Interface
    member: str
    relation: str  # "bond" | "bridge" | "ovs-bridge" | "ovs-bond"
    attribute: Attribute


def member_names(attr: Attribute) -> list[str]:
    """Interface names in a member list, without `none`, regex/glob forms or templates."""
    words = attr.value.split()
    if words[:1] in (["regex"], ["glob"]):
        return []
    return [w for w in words if w not in _NOT_NAMES and not _TEMPLATED.search(w)]


def edges(config: Config) -> Iterator[Edge]:
    """Every master → member relation the file declares, in file order."""
    relations = MEMBER_ATTRIBUTES
    for iface in config.interfaces:
        if iface.stanza != "iface":
            continue
        for attr in iface.attributes:
            relation = relations.get(attr.key)
            if relation:
                for name in member_names(attr):
                    yield Edge(iface, name, relation, attr)


def edge_list(cache: dict[str, object], config: Config) -> list[Edge]:
    """``edges(config)`` computed once and kept in a per-run cache dict."""
    found = cache.get("edges")
    if not isinstance(found, list):
        found = list(edges(config))
        cache["edges"] = found
    return found


def looks_virtual(name: str) -> bool:
    """Names of kinds that only exist when configured (bonds, bridges, VLANs)."""
    return bool(_VIRTUAL.search(name))


def looks_like_nic(name: str) -> bool:
    """A name the kernel or udev gives a physical NIC (not a bond, bridge or VLAN)."""
    return bool(_NIC.match(name))


def vlan_parent(iface: Interface) -> tuple[str, int] | None:
    """(parent, vid) for `eth0.100`, or `vlan100` with `vlan-raw-device eth0`."""
    raw = iface.get("vlan-raw-device")
    match = _VLAN_NAME.match(iface.name)
    vid_text = iface.get("vlan-id")
    if match and not raw:
        return match.group("parent"), int(match.group("vid"))
    if raw:
        digits = re.search(r"(\d+)$", iface.name)
        vid = vid_text if vid_text and vid_text.isdigit() else (digits.group(1) if digits else "")
        if vid.isdigit():
            return raw.split()[0], int(vid)
    return None


def ovs_type(iface: Interface) -> str | None:
    value = iface.get("ovs-type")
    return value.split()[0] if value else None


def parse_ovs_options(words: Iterable[str]) -> list[tuple[str, str | None]]:
    """``bond_mode=balance-tcp lacp=active other_config:lacp-time=fast`` (split in words) ->
    ``(key, value)`` pairs in order; a word without ``=`` has the value None."""
    pairs: list[tuple[str, str | None]] = []
    for word in words:
        key, sep, value = word.partition("=")
        pairs.append((key, value if sep else None))
    return pairs


def ovs_options(iface: Interface) -> dict[str, str]:
    """The ``key=value`` options of every ``ovs_options`` line of a stanza."""
    return {k: v for k, v in parse_ovs_options(iface.words("ovs-options")) if v is not None}


def defined_names(config: Config) -> frozenset[str]:
    return frozenset(i.name for i in config.interfaces if i.stanza == "iface")
