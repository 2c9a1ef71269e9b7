"""IFG205 duplicate-option."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.schema import SINGLE
from ifguard.lint.rules.base import Context, Finding, rule


@rule("IFG205", "duplicate-option", Severity.WARNING)
def duplicate_option(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds an option that takes a single value (`mtu`, `bond-mode`, `ovs_type`,
    `bridge-vlan-aware` ...) given twice in one stanza.

    ## Why is this bad?
    Which one wins differs between ifupdown, ifupdown2 and ifupdown-ng, and usually one of
    the two is a leftover of an edit. Say it once.

    ## Example
    ```
    iface eth0 inet manual
        mtu 1500
        mtu 9000
    ```

    ## Use instead
    ```
    iface eth0 inet manual
        mtu 9000
    ```
    """
    for iface in ctx.config.interfaces:
        seen: dict[str, str] = {}
        for attr in iface.attributes:
            if attr.key not in SINGLE:
                continue
            if attr.key in seen:
                yield Finding(
                    attr.span,
                    f"`{attr.name}` is given twice in `{iface.name}` "
                    f"(first `{seen[attr.key]}`, then `{attr.value}`)",
                )
            else:
                seen[attr.key] = attr.value
