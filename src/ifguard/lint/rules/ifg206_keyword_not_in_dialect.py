"""IFG206 keyword-not-in-dialect."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.dialect import Dialect
from ifguard.config.parse import Kind
from ifguard.lint.rules.base import Context, Finding, rule


@rule("IFG206", "keyword-not-in-dialect", Severity.ERROR, dialects=(Dialect.IFUPDOWN_NG,))
def keyword_not_in_dialect(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds classic-ifupdown statements that ifupdown-ng does not read (`mapping`,
    `no-auto-down`, `no-scripts`, `rename`) in a file read by ifupdown-ng.

    ## Why is this bad?
    ifupdown-ng ignores them or treats them as options: the mapping never runs and the
    renamed interface keeps its old name.

    ## Example
    ```
    auto eth0
    iface eth0
        use dhcp
    rename eth0=lan
    ```

    ## Use instead
    ```
    auto eth0
    iface eth0
        use dhcp
    ```
    """
    for doc in ctx.documents:
        for line in doc.lines:
            if line.keyword in (
                "mapping",
                "no-auto-down",
                "no-scripts",
                "rename",
            ) and line.kind in (Kind.STANZA, Kind.STATEMENT):
                yield Finding(
                    doc.word_span(line, 0), f"ifupdown-ng does not support `{line.keyword}`"
                )
