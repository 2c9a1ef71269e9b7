"""Linux bonds from ``/proc/net/bonding/NAME`` (under a root directory, so tests and the lab
read their own copies). 802.3ad bonds report whether LACP found a partner: an all-zero
partner MAC on the active aggregator means nobody answered.
"""

from __future__ import annotations

from ifguard.network.readers.types import Bond, BondMember
from ifguard.system.readfile import describe, read_regular
from ifguard.system.root import Root

_MAX = 1 << 20  # a /proc/net/bonding file is a few kB

NO_PARTNER = "00:00:00:00:00:00"


def parse_bonding(name: str, text: str) -> Bond:
    mode = ""
    active: str | None = None
    partner: str | None = None
    members: list[BondMember] = []
    member: str | None = None
    member_up = False
    member_partner: str | None = None

    def flush() -> None:
        if member is not None:
            members.append(BondMember(member, member_up, member_partner))

    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("details ") and line.endswith(":"):
            section = line  # "details actor lacp pdu:" / "details partner lacp pdu:"
            continue
        key, sep, value = line.partition(":")
        if not sep:
            continue
        key, value = key.strip(), value.strip()
        if key == "Slave Interface":
            flush()
            member, member_up, member_partner, section = value, False, None, ""
        elif member is None:
            if key == "Bonding Mode":
                mode = value
            elif key == "Currently Active Slave":
                active = None if value == "None" else value
            elif key == "Partner Mac Address":
                partner = value
        elif key == "MII Status":
            member_up = value == "up"
        elif key == "system mac address" and "partner" in section:
            member_partner = value
    flush()
    if "802.3ad" not in mode:
        lacp = "off"
    else:
        lacp = "negotiated" if partner and partner != NO_PARTNER else "configured"
    return Bond(name, "linux", mode, lacp, tuple(members), active)


def read_bonds(root: Root | None = None) -> tuple[dict[str, Bond], list[str]]:
    """Every bond the kernel reports; errors in words (an unreadable file is not a crash)."""
    directory = (root or Root()).path("/proc/net/bonding")
    bonds: dict[str, Bond] = {}
    errors: list[str] = []
    if not directory.is_dir():
        return bonds, errors  # no bonding driver loaded: no Linux bonds
    for path in sorted(directory.iterdir()):
        try:
            data, _ = read_regular(path, limit=_MAX, pseudo=True)  # (a FIFO must not hang)
            bonds[path.name] = parse_bonding(path.name, data.decode(errors="replace"))
        except OSError as exc:
            errors.append(f"{path}: {describe(exc)}")
    return bonds, errors
