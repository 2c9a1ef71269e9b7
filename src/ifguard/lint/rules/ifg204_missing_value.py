"""IFG204 missing-value."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.lint.classify import valid_name, verdicts
from ifguard.lint.rules.base import Context, Finding, rule


@rule("IFG204", "missing-value", Severity.ERROR)
def missing_value(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds options written without a value (`bridge-vlan-aware`) and `auto`, `allow-*`,
    `source`, `source-directory` or `inherits` lines with nothing after the keyword.

    ## Why is this bad?
    ifupdown2 reports "invalid syntax" and skips the option; classic ifupdown refuses the
    file ("option with empty value"). The setting you meant is not applied.

    ## Example
    ```
    iface br0
        bridge-vlan-aware
    ```

    ## Use instead
    ```
    iface br0
        bridge-vlan-aware yes
    ```
    """
    for iface in ctx.config.interfaces:
        for attr in iface.attributes:
            if attr.value or not valid_name(attr.name) or attr.line.seq in verdicts(attr.document):
                continue
            yield Finding(attr.span, f"`{attr.name}` option has no value")
    for st in ctx.config.statements:
        if not st.arguments:
            yield Finding(st.span, f"`{st.keyword}` line has no value")
