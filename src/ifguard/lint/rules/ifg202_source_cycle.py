"""IFG202 source-cycle."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.lint.rules.base import Context, Finding, rule


@rule("IFG202", "source-cycle", Severity.ERROR)
def source_cycle(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds `source` lines that include a file already being read (directly or through other
    files), and include chains deeper than 32 files.

    ## Why is this bad?
    ifupdown2 recurses until Python's recursion limit and fails; classic ifupdown reads the
    stanzas again and reports duplicates. Nothing comes up the way you meant.

    ## Example
    ```
    source /etc/network/interfaces
    ```

    ## Use instead
    ```
    source /etc/network/interfaces.d/*
    ```
    """
    for issue in ctx.loaded.issues:
        if issue.kind == "cycle":
            yield Finding(
                issue.span,
                f"`source` includes {issue.target}, which is already being read (include cycle)",
            )
        elif issue.kind == "depth":
            yield Finding(
                issue.span,
                f"include chain deeper than 32 files at {issue.target}",
            )
