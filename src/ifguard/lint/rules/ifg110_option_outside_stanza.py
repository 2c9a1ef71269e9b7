"""IFG110 option-outside-stanza."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.parse import Kind
from ifguard.lint.classify import verdicts
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.helpers import keyword_typo


@rule("IFG110", "option-outside-stanza", Severity.ERROR)
def option_outside_stanza(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds option lines (`address ...`, `bridge-ports ...`) that belong to no `iface` stanza:
    before the first stanza, or after an `auto`/`source` line that ended the stanza.

    ## Why is this bad?
    ifupdown2 reports "error processing line" and ignores the option; classic ifupdown refuses
    the file. Either way the setting you wrote is not applied.

    ## Example
    ```
    address 192.0.2.10/24
    auto eth0
    iface eth0 inet static
    ```

    ## Use instead
    ```
    auto eth0
    iface eth0 inet static
        address 192.0.2.10/24
    ```
    """
    for doc in ctx.documents:
        for line in doc.lines:
            if line.kind is not Kind.UNKNOWN or line.seq in verdicts(doc):
                continue
            if keyword_typo(line) is None:
                yield Finding(
                    doc.line_span(line),
                    f"`{line.keyword}` is outside any iface stanza; move it under the "
                    "`iface` line it belongs to",
                )
