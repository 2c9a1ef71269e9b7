"""IFG207 interface-name-too-long."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.lint.rules.base import Context, Finding, rule

IFNAMSIZ = 16  # include/uapi/linux/if.h, with the terminating NUL: 15 bytes of name


@rule("IFG207", "interface-name-too-long", Severity.ERROR)
def interface_name_too_long(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds `iface` stanzas whose interface name is longer than 15 bytes (UTF-8), the
    kernel's limit (`IFNAMSIZ` is 16 with the terminating NUL). An alias (`eth0:1`) is
    checked by its base name, as ifupdown2 does; a range (`swp[1-48]`) by its expansions.
    Classic ifupdown's *logical* interfaces (targets of `map` and `wpa-map`) are not links
    and are not checked.

    ## Why is this bad?
    The kernel refuses to create the link. ifupdown2 only warns while parsing ("interface
    name too long") and then fails to create it ("interface name exceeds max length of
    15"); classic ifupdown and ifupdown-ng fail the same way. A bridge or bond that never
    exists takes its ports, addresses and routes with it. The limit counts bytes: a name
    with non-ASCII letters reaches it sooner than it looks.

    ## Example
    ```
    auto vmbr0-uplink-storage
    iface vmbr0-uplink-storage inet manual
    ```

    ## Use instead
    ```
    auto vmbr0-storage
    iface vmbr0-storage inet manual
    ```
    """
    logical = _logical_names(ctx)
    for iface in ctx.config.interfaces:
        if iface.stanza != "iface" or not iface.name or iface.name in logical:
            continue
        name = iface.name.split(":", 1)[0]
        longest = _longest(name)
        size = len(longest.encode("utf-8", "surrogateescape"))
        if size < IFNAMSIZ:
            continue
        shown = f"`{longest}` (from `{name}`)" if longest != name else f"`{name}`"
        yield Finding(
            iface.name_span,
            f"interface name {shown} is {size} bytes: Linux allows at most {IFNAMSIZ - 1}, "
            'so the interface is never created (ifupdown2: "exceeds max length of 15"); '
            "choose a shorter name",
        )


def _logical_names(ctx: Context) -> frozenset[str]:
    """Names a `mapping` (`map`) or wpa-roam (`wpa-map*`) maps to: logical interfaces of
    classic ifupdown, configuration names rather than links, so not bound by IFNAMSIZ."""
    found: set[str] = set()
    for iface in ctx.config.interfaces:
        for attr in iface.attributes:
            if attr.key == "map" or attr.key.startswith("wpa-map"):
                found.update(w for part in attr.value.split() for w in part.split(":") if w)
    return frozenset(found)


def _longest(name: str) -> str:
    """The longest name a `prefix[a-b]suffix` range expands to (the name itself otherwise)."""
    head, sep, rest = name.partition("[")
    body, close, tail = rest.partition("]")
    low, dash, high = body.partition("-")
    if not (sep and close and dash and low.isdigit() and high.isdigit()):
        return name
    return f"{head}{max(int(low), int(high))}{tail}"
