"""IFG210 misspelt-attribute."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.schema import closest_attribute
from ifguard.lint.rules.base import Context, Finding, rule

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
