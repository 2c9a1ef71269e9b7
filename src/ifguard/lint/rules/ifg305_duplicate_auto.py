"""IFG305 duplicate-auto."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Edit, Fix, Severity
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.helpers import auto_lines


@rule("IFG305", "duplicate-auto", Severity.WARNING, fixable=True)
def duplicate_auto(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds an interface named on `auto` (or `allow-auto`) lines more than once.

    ## Why is this bad?
    Harmless to ifup, but it is the trace of two edits of the same interface, often one
    half-reverted. The fix removes the repeat.

    ## Example
    ```
    auto eth0
    auto eth0
    iface eth0 inet dhcp
    ```

    ## Use instead
    ```
    auto eth0
    iface eth0 inet dhcp
    ```
    """
    seen: set[str] = set()
    for st in auto_lines(ctx):
        names = list(st.arguments)
        fresh: list[str] = []
        dups: list[str] = []
        for n in names:
            (dups if n in seen else fresh).append(n)
            seen.add(n)
        if not dups:
            continue
        doc, line = st.document, st.line
        body_end = line.start + len(line.body)
        if fresh:
            replacement = (
                line.raw[: len(line.raw) - len(line.raw.lstrip(" \t"))]
                + f"{st.keyword} {' '.join(fresh)}"
            )
            fix = Fix(
                "drop the repeated name(s)", (Edit(doc.path, line.start, body_end, replacement),)
            )
        else:
            fix = Fix("remove the repeated auto line", (Edit(doc.path, line.start, line.end, ""),))
        yield Finding(doc.line_span(line), f"`{' '.join(dups)}` is already marked `auto`", fix)
