"""IFG201–IFG202: `source` / `source-directory` lines that cannot be followed."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.lint.rules.base import Context, Finding, rule


@rule("IFG201", "source-not-found", Severity.WARNING)
def source_not_found(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds `source` and `source-directory` lines naming files or directories that do not
    exist or cannot be read (a glob that matches nothing in an existing directory is fine).

    ## Why is this bad?
    The stanzas you expect from that file are not part of the configuration: interfaces
    they define will not come up, and references to them dangle.

    ## Example
    ```
    source /nonexistent/interfaces.d/vlans
    ```

    ## Use instead
    ```
    source /etc/network/interfaces.d/*
    ```
    """
    for issue in ctx.loaded.issues:
        if issue.kind in ("missing", "unreadable"):
            what = "cannot be read: " + issue.detail if issue.detail else "does not exist"
            yield Finding(
                issue.document.line_span(issue.line),
                f"`{issue.line.keyword} {issue.target}`: {what}",
            )


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
                issue.document.line_span(issue.line),
                f"`source` includes {issue.target}, which is already being read (include cycle)",
            )
        elif issue.kind == "depth":
            yield Finding(
                issue.document.line_span(issue.line),
                f"include chain deeper than 32 files at {issue.target}",
            )
