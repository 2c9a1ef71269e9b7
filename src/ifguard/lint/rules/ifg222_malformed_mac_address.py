"""IFG222 malformed-mac-address."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.lazyre import lazy
from ifguard.lint.rules.base import Context, Finding, rule

_MAC = lazy(r"^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$")
_LOOSE_MAC = lazy(r"^([0-9A-Fa-f]{1,2}[:-]){5}[0-9A-Fa-f]{1,2}$")


@rule("IFG222", "malformed-mac-address", Severity.ERROR)
def malformed_mac_address(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks MAC addresses in `hwaddress` and `address-virtual`: six two-digit hex octets.
    One-digit octets (`42:38:39:FF:00:1`) are a warning, anything else an error.

    ## Why is this bad?
    A malformed MAC makes `ip link set address` fail and the interface keeps a different
    address than the one your DHCP reservations and firewall rules expect.

    ## Example
    ```
    iface eth0 inet dhcp
        hwaddress ether 00:11:22:33:44
    ```

    ## Use instead
    ```
    iface eth0 inet dhcp
        hwaddress ether 00:11:22:33:44:55
    ```
    """
    for _, attr in ctx.attrs("hwaddress", "address-virtual"):
        if attr.key == "hwaddress":
            words = attr.value.split()
            macs = words[1:2] if words[:1] == ["ether"] else words[:1]
        elif attr.key == "address-virtual":
            macs = [w for w in attr.value.split() if ":" in w and "/" not in w][:1]
        else:
            continue
        for mac in macs:
            if _MAC.match(mac) or "$" in mac or mac in ("random", "preserve"):
                continue
            if _LOOSE_MAC.match(mac):
                yield Finding(
                    attr.span,
                    f"MAC address `{mac}` is not in canonical form (two hex digits per octet)",
                    severity=Severity.WARNING,
                )
            else:
                yield Finding(attr.span, f"`{mac}` is not a MAC address")
