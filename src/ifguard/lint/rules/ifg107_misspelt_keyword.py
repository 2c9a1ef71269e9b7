"""IFG107 misspelt-keyword."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.parse import Kind
from ifguard.lint.classify import verdicts
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.helpers import keyword_typo, owner_note

_JUDGED = (Kind.OPTION, Kind.UNKNOWN)


@rule("IFG107", "misspelt-keyword", Severity.ERROR)
def misspelt_keyword(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds a misspelt top-level keyword (`ifcae`, `auot`, `Auto`, `sourc`) and suggests the
    keyword it is closest to.

    ## Why is this bad?
    Before the first stanza ifupdown2 only prints "error processing line". After a stanza it is
    worse: `ifcae eth1 inet static` becomes an attribute of the previous interface and every
    option below it silently moves to that interface.

    ## Example
    ```
    auot eth0
    iface eth0 inet dhcp
    ```

    ## Use instead
    ```
    auto eth0
    iface eth0 inet dhcp
    ```
    """
    for doc in ctx.documents:
        junk = verdicts(doc)
        for line in doc.lines:
            if line.kind not in _JUDGED or line.seq in junk:
                continue
            guess = keyword_typo(line)
            if guess:
                where = (
                    "" if line.kind is Kind.UNKNOWN else f"; as written, {owner_note(doc, line)}"
                )
                yield Finding(
                    doc.word_span(line, 0),
                    f"`{line.keyword}` is not a keyword; did you mean `{guess}`?{where}",
                )
