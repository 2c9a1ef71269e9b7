"""IFG401 invalid-address."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.model import Interface
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.helpers import addresses, is_template, parse_address_word


@rule("IFG401", "invalid-address", Severity.ERROR)
def invalid_address(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks `address`, `gateway` and `netmask` values: a valid IPv4/IPv6 address, a prefix
    length that exists (≤ 32 / ≤ 128), a contiguous netmask, no empty address or lone `/`.

    ## Why is this bad?
    The address is not configured and ifupdown2 marks the interface failed; without its
    address (or default route) the host is unreachable.

    ## Example
    ```
    iface wg0
        address 192.0.2.23/42
    ```

    ## Use instead
    ```
    iface wg0
        address 192.0.2.23/24
    ```
    """
    counts: dict[int, int] = {}
    for a in addresses(ctx):
        counts[id(a.attr.line)] = counts.get(id(a.attr.line), 0) + 1
    for iface, attr in ctx.attrs("address", "gateway", "netmask"):
        if (
            attr.key == "address"
            and counts.get(id(attr.line), 0)
            == sum(not is_template(w) for w in attr.value.split())
            > 0
        ):
            continue  # every word parsed
        words = attr.value.split() or [""]
        checked = words if attr.key == "address" else words[:1]
        problems = [
            p for w in checked if not is_template(w) and (p := _problem(attr.key, w, iface))
        ]
        if problems:
            more = f" (and {len(problems) - 1} more word(s))" if len(problems) > 1 else ""
            yield Finding(attr.span, problems[0] + more)


def _problem(key: str, word: str, iface: Interface) -> str | None:
    import ipaddress

    try:
        if key == "address":
            parse_address_word(word, iface)
        elif key == "gateway":
            ipaddress.ip_address(word)
        elif word.isdigit():
            if int(word) > 128:
                return f"netmask `{word}` is not a prefix length"
        else:
            ipaddress.IPv4Network(f"0.0.0.0/{word}")
    except ValueError as exc:
        return f"`{key} {word}` is not valid: {_why(word) or exc}"
    return None


def _why(word: str) -> str:
    """The reason a human misses: a digit that is not ASCII, an octet with a leading zero."""
    import unicodedata

    for ch in word:
        if not ch.isascii() and ch.isdigit():
            return (
                f"U+{ord(ch):04X} {unicodedata.name(ch, '?')} is not an ASCII digit; "
                "ifupdown2 rejects the address and brings the interface up without it"
            )
    head = word.split("/", 1)[0]
    if "." in head and ":" not in head:
        for octet in head.split("."):
            if len(octet) > 1 and octet.startswith("0") and octet.isdigit():
                return (
                    f"octet `{octet}` has a leading zero (octal to some tools, refused by "
                    "ifupdown2, which brings the interface up without the address)"
                )
    return ""
