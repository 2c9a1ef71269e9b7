"""IFG309 auto-without-stanza."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.parse import Kind
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.helpers import auto_lines


@rule("IFG309", "auto-without-stanza", Severity.WARNING)
def auto_without_stanza(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds names on `auto` lines that have no `iface` stanza in any file read.

    ## Why is this bad?
    Classic ifupdown fails with "unknown interface" at boot, and ifupdown2 only brings the
    link up with no configuration: usually a stanza was renamed or deleted and its `auto`
    line left behind.

    ## Example
    ```
    auto eth1
    iface eth0 inet dhcp
    ```

    ## Use instead
    ```
    auto eth0
    iface eth0 inet dhcp
    ```
    """
    defined = {i.name for i in ctx.config.interfaces}
    templated = any(
        "%" in d.text and any(ln.kind is Kind.TEMPLATE for ln in d.lines) for d in ctx.documents
    )
    if templated or ctx.loaded.issues:  # stanzas may come from templates or missing files
        return
    for st in auto_lines(ctx):
        for name in st.arguments:
            if name not in defined and name != "all" and not any(c in name for c in "[]*$%"):
                yield Finding(st.span, f"`auto {name}`: no `iface {name}` stanza")
