"""IFG208 relative-source-path."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.dialect import Dialect
from ifguard.lint.rules.base import Context, Finding, rule


@rule("IFG208", "relative-source-path", Severity.ERROR, dialects=(Dialect.IFUPDOWN2,))
def relative_source_path(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds `source` lines with a relative path or pattern in a file read by ifupdown2: an
    error when the same pattern names files next to the including file (they are not read
    at boot), a warning otherwise (what is read still depends on the working directory).

    ## Why is this bad?
    ifupdown2 3.0 globs the pattern from its *working directory*, not from the directory of
    the file that contains the line: `/` when networking.service runs it at boot, wherever
    the admin happens to be for a hand-run `ifreload -a`. `source interfaces.d/*` in
    /etc/network/interfaces reads /etc/network/interfaces.d/* only when run from
    /etc/network, and nothing (or /interfaces.d/*) at boot: the bridges defined there are
    not configured. lint reads it as the boot does. (Classic ifupdown and ifupdown-ng take
    a relative path from the including file's directory; this rule is for ifupdown2.)

    ## Example
    ```
    auto lo
    iface lo inet loopback
    source interfaces.d/*
    ```

    ## Use instead
    ```
    auto lo
    iface lo inet loopback
    source /etc/network/interfaces.d/*
    ```
    """
    for issue in ctx.loaded.issues:
        if issue.kind != "relative":
            continue
        beside = int(issue.detail or 0)
        lost = (
            f"; the {beside} file(s) it names next to this file are not read at boot"
            if beside
            else ""
        )
        yield Finding(
            issue.document.word_span(issue.line, 1),
            f"relative `source {issue.target}`: ifupdown2 globs it from its working "
            f"directory (`/` at boot), not from this file's directory{lost}; write the "
            "absolute path",
            severity=None if beside else Severity.WARNING,
        )
