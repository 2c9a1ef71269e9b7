"""IFG201 source-not-found."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.lint.rules.base import Context, Finding, rule


@rule("IFG201", "source-not-found", Severity.WARNING)
def source_not_found(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds `source` and `source-directory` lines naming files or directories that do not
    exist or cannot be read (a glob that matches nothing in an existing directory is fine).
    A file that exists but cannot be read (permission denied, a FIFO or device, a link
    loop, larger than 16 MiB) is an error: its stanzas were not checked, so a gate must not
    pass. A missing file is a warning (ifupdown skips it too). A quoted path is read with
    its quotes by ifupdown2, so it names nothing: an error when the path without quotes
    names files (they are not read).

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
        if issue.kind == "quoted":
            named = int(issue.detail or 0)
            yield Finding(
                issue.span,
                f"`source {issue.target}`: ifupdown2 does not remove quotes, so it reads "
                + (
                    f"nothing, not the {named} file(s) the path names without them"
                    if named
                    else "nothing"
                )
                + "; write the path without quotes",
                severity=Severity.ERROR if named else None,
            )
        elif issue.kind == "missing":
            yield Finding(
                issue.span,
                f"`{issue.line.keyword} {issue.target}`: does not exist",
            )
        elif issue.kind == "unreadable":
            yield Finding(
                issue.span,
                f"`{issue.line.keyword} {issue.target}`: cannot be read "
                f"({issue.detail or 'unknown error'}); its configuration was not checked",
                severity=Severity.ERROR,
            )
