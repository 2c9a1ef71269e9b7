"""IFG210–IFG224: attribute names and values the tools will reject or misread."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.lazyre import lazy
from ifguard.config.schema import COMMAND_ATTRIBUTES, ENUMS, RANGES, closest_attribute
from ifguard.config.topology import vlan_parent
from ifguard.lint.rules.base import Context, Finding, rule

_MAC = lazy(r"^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$")
_LOOSE_MAC = lazy(r"^([0-9A-Fa-f]{1,2}[:-]){5}[0-9A-Fa-f]{1,2}$")
_PLACEHOLDER = lazy(
    r"<[^<>\s]*[A-Za-z][^<>\s]*>"  # <ip>, <Haupt-IP>
    r"|…"  # elided value
    r"|(?<![\w.])\d{1,3}(\.(\d{1,3}|[xX]{1,3})){3}(?![\w.])"  # 172.22.2.XXX, 148.x.x.x
    r"|(^|[\s:/])(x{1,4}|X{1,4})(:|$|/)"  # 2a01:x:x::x
    r"|#{3,}"  # ####.####
)


def placeholder(value: str) -> str | None:
    """The first placeholder in a value (``x.x.x.x``, ``<ip>``, ``192.168.1.XX``), or None."""
    for match in _PLACEHOLDER.finditer(value):
        text = match.group()
        if text[:1].isdigit() and not re.search("[xX]", text):
            continue  # a real IPv4 address
        return text.strip(" :/")
    return None


_ADDRESS_KEYS = frozenset(
    {
        "address",
        "gateway",
        "netmask",
        "broadcast",
        "pointopoint",
        "point-to-point",
        "dns-nameservers",
        "address-virtual",
        "vxlan-local-tunnelip",
        "endpoint",
        "local",
        "hwaddress",
    }
)
_SMART_QUOTES = "‘’“”"
_QUOTES = "'\"" + _SMART_QUOTES
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
        for _, attr in ctx.attrs(key):
            yield Finding(
                attr.name_span,
                f"unknown option `{attr.name}`; did you mean `{guess}`? As written it is ignored",
            )


def _int(value: str) -> int | None:
    return int(value) if re.fullmatch(r"[0-9]+", value) else None


@rule("IFG220", "invalid-value", Severity.ERROR)
def invalid_value(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks values with a fixed set of choices or a numeric range: bond mode, transmit hash
    policy, LACP rate, STP, `ovs_type`, MTU (68–65535), VLAN ids (1–4094), timers.

    ## Why is this bad?
    The kernel and OVS compare these strings exactly: `Layer3+4` is not `layer3+4`. ifupdown2
    logs an error and leaves the bond or bridge half configured; the reload still "succeeds".

    ## Example
    ```
    iface bond0 inet manual
        bond-slaves eno1 eno2
        bond-mode 802.3ad
        bond-xmit-hash-policy Layer3+4
    ```

    ## Use instead
    ```
    iface bond0 inet manual
        bond-slaves eno1 eno2
        bond-mode 802.3ad
        bond-xmit-hash-policy layer3+4
    ```
    """
    for _, attr in ctx.attrs(*ENUMS, *RANGES):
        key, value = attr.key, attr.value.strip()
        if not value or "$" in value:
            continue
        choices = ENUMS.get(key)
        if choices is not None and value.split()[0] not in choices:
            first = value.split()[0]
            same = [c for c in choices if c.lower() == first.lower()]
            hint = (
                f"; did you mean `{same[0]}`? (values are case-sensitive)"
                if same
                else f" (expected one of: {', '.join(sorted(choices))})"
            )
            yield Finding(attr.span, f"`{attr.name} {first}` is not a valid value{hint}")
            continue
        bounds = RANGES.get(key)
        if bounds is not None:
            number = _int(value.split()[0])
            if number is None or not bounds[0] <= number <= bounds[1]:
                yield Finding(
                    attr.span,
                    f"`{attr.name}` must be a whole number from "
                    f"{bounds[0]} to {bounds[1]}, not `{value}`",
                )
            elif key in ("mtu", "ovs-mtu") and number > 9216:
                yield Finding(
                    attr.span,
                    f"MTU {number} is above what most NICs and switches support (9216)",
                    severity=Severity.WARNING,
                )


def _vid_ranges(value: str) -> Iterator[tuple[str, int, int]]:
    for part in value.replace(",", " ").split():
        low, _, high = part.partition("-")
        if low.isdigit() and (not high or high.isdigit()):
            yield part, int(low), int(high or low)


@rule("IFG221", "vlan-id-out-of-range", Severity.ERROR)
def vlan_id_out_of_range(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks VLAN ids in interface names (`eth0.4095`, `vlan5000` with `vlan-raw-device`) and
    in `bridge-vids` lists and ranges: they must be 1–4094.

    ## Why is this bad?
    0 and 4095 are reserved by 802.1Q; larger ids do not exist. The VLAN interface cannot be
    created and everything stacked on it stays down.

    ## Example
    ```
    iface eth0.4095 inet manual
    ```

    ## Use instead
    ```
    iface eth0.4094 inet manual
    ```
    """
    raw_device = {id(i) for i, _ in ctx.attrs("vlan-raw-device")}
    for iface in ctx.config.interfaces:
        if "." not in iface.name and id(iface) not in raw_device:
            continue
        parent = vlan_parent(iface)
        if parent and not 1 <= parent[1] <= 4094:
            yield Finding(
                iface.name_span, f"VLAN id {parent[1]} of `{iface.name}` is outside 1-4094"
            )
    for _, attr in ctx.attrs("bridge-vids"):
        for part, low, high in _vid_ranges(attr.value):
            if not (1 <= low <= high <= 4094):
                yield Finding(attr.span, f"`{part}` in `{attr.name}` is not within 1-4094")


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


@rule("IFG223", "unreplaced-placeholder", Severity.ERROR)
def unreplaced_placeholder(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds template placeholders left in values: `<ip>/24`, `<Gateway-IP>`, `172.22.2.XXX`,
    `148.x.x.x`, `2a01:x:x::x`, `####`, an ellipsis `…`.

    ## Why is this bad?
    Copied from a guide and never filled in: the address cannot be parsed, the interface
    comes up without it, and the default route is missing. The host is unreachable.

    ## Example
    ```
    iface vmbr0 inet static
        address <ip>/24
    ```

    ## Use instead
    ```
    iface vmbr0 inet static
        address 192.0.2.10/24
    ```
    """
    for _, attr in ctx.attrs(*_ADDRESS_KEYS):
        found = placeholder(attr.value)
        if found:
            yield Finding(
                attr.span, f"`{attr.name}` holds a placeholder (`{found}`), not a real value"
            )


@rule("IFG224", "broken-shell-command", Severity.ERROR)
def broken_shell_command(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks the commands in `up`, `post-up`, `pre-down` ... for unbalanced quotes and for
    typographic quotes (‘ ’ “ ”) that a document or chat program put in place of ' and ".

    ## Why is this bad?
    `/bin/sh` fails on the command when the interface goes up or down: the NAT or route it
    was meant to add (or remove) is never there, and ifupdown2 may mark the interface failed.

    ## Example
    ```
    iface vmbr1 inet static
        post-down iptables -t nat -D POSTROUTING -s '10.0.0.0/24’ -j MASQUERADE
    ```

    ## Use instead
    ```
    iface vmbr1 inet static
        post-down iptables -t nat -D POSTROUTING -s '10.0.0.0/24' -j MASQUERADE
    ```
    """
    for _, attr in ctx.attrs(*COMMAND_ATTRIBUTES):
        if not any(q in attr.value for q in _QUOTES):
            continue
        import shlex

        try:
            shlex.split(attr.value, comments=True)
        except ValueError as exc:
            yield Finding(
                attr.span,
                f"the `{attr.name}` command does not parse as a shell "
                f"command ({exc}): it fails every time",
            )
            continue
        smart = [c for c in attr.value if c in _SMART_QUOTES]
        if smart:
            yield Finding(
                attr.span,
                f"typographic quote `{smart[0]}` in the `{attr.name}` "
                "command reaches the shell literally; use ' or \"",
                severity=Severity.WARNING,
            )
