"""Addresses as ifupdown writes them: ``address 192.0.2.10/24``, or ``address 192.0.2.10``
with ``netmask 255.255.255.0`` (or ``netmask 24``). One parser for the linter's addressing
rules and the network model (``ifguard.network.state``).

``ipaddress`` is imported where it is used: ``ifguard lint`` start-up time matters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ifguard.config.lazyre import lazy
from ifguard.config.model import Interface

if TYPE_CHECKING:
    import ipaddress

    IPInterface = ipaddress.IPv4Interface | ipaddress.IPv6Interface

# ASCII digits, no leading zero (`010` is rejected by ipaddress, so by ifupdown2): `\d` would
# take any Unicode digit (`١٠`), which int() accepts and ifupdown2 does not.
_OCTET = "(0|[1-9][0-9]{0,2})"
_DOTTED = lazy(rf"{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}/([0-9]{{1,2}})")


def netmask_prefix(mask: str | None) -> int | None:
    """``netmask 255.255.255.0`` or ``netmask 24`` as a prefix length; None when absent or
    not a netmask."""
    import ipaddress

    if not mask:
        return None
    try:
        if mask.isascii() and mask.isdigit():
            return int(mask)
        return ipaddress.IPv4Network(f"0.0.0.0/{mask}").prefixlen
    except ValueError:
        return None


def parse_address(word: str, prefix: int | None = None) -> IPInterface:
    """One word of ``address``; ``prefix`` (from ``netmask``) applies when the word has none.
    Raises ValueError."""
    import ipaddress

    fast = _DOTTED.fullmatch(word)
    if fast:  # the common case, 3x faster than ipaddress parsing the string
        a, b, c, d, p = (int(x) for x in fast.groups())
        if a < 256 and b < 256 and c < 256 and d < 256 and p <= 32:
            return ipaddress.IPv4Interface(((a << 24) | (b << 16) | (c << 8) | d, p))
    if "/" not in word and prefix is not None:
        word = f"{word}/{prefix}"
    return ipaddress.ip_interface(word)


def interface_addresses(iface: Interface) -> list[str]:
    """Every ``address`` of a stanza as ``ADDRESS/PREFIX`` (the netmask applied); a word that
    does not parse is kept as written."""
    netmask = iface.get("netmask")
    prefix = netmask_prefix(netmask)
    out = []
    for word in iface.words("address"):
        if "/" not in word and netmask and prefix is None:
            out.append(word)  # a netmask that is not one: the address is not understood
            continue
        try:
            out.append(str(parse_address(word, prefix)))
        except ValueError:
            out.append(word)
    return out
