"""IFG206 keyword-not-in-dialect."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.dialect import Dialect
from ifguard.config.parse import Document, Kind, Line
from ifguard.lint.rules.base import Context, Finding, rule

_NOT_IN_NG = ("mapping", "no-auto-down", "no-scripts", "rename")
# ifupdown2 3.0 (Debian 12) knows iface, vlan, auto, allow-* and source; nothing else
_NOT_IN_IFUPDOWN2 = ("source-directory", "mapping", "no-auto-down", "no-scripts", "rename")
_IFUPDOWN2_KEYWORDS = frozenset({"iface", "vlan", "auto", "source"})


@rule(
    "IFG206",
    "keyword-not-in-dialect",
    Severity.ERROR,
    dialects=(Dialect.IFUPDOWN_NG, Dialect.IFUPDOWN2),
)
def keyword_not_in_dialect(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds classic-ifupdown statements the file's reader does not have: `mapping`,
    `no-auto-down`, `no-scripts` and `rename` under ifupdown-ng; those and
    `source-directory` under ifupdown2 3.0 (Debian 12), whose only keywords are `iface`,
    `vlan`, `auto`, `allow-*` and `source`.

    ## Why is this bad?
    ifupdown-ng ignores them or treats them as options: the mapping never runs and the
    renamed interface keeps its old name. ifupdown2 stores such a line as an *attribute* of
    the stanza above it (`source-directory` becomes an option of `lo`) or rejects it when no
    stanza is open: the directory is never read, so the interfaces defined there are not
    configured at boot.

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
    two = ctx.dialect is Dialect.IFUPDOWN2
    keywords = _NOT_IN_IFUPDOWN2 if two else _NOT_IN_NG
    for doc in ctx.documents:
        for line in doc.lines:
            if line.keyword in keywords and line.kind in (Kind.STANZA, Kind.STATEMENT):
                message = (
                    _ifupdown2_reading(doc, line)
                    if two
                    else f"ifupdown-ng does not support `{line.keyword}`"
                )
                yield Finding(doc.word_span(line, 0), message)


def _ifupdown2_reading(doc: Document, line: Line) -> str:
    """What ifupdown2 3.0 makes of a line whose first word is not one of its keywords."""
    owner = ""
    for earlier in reversed(doc.lines[: line.seq]):
        word = earlier.keyword
        if word in _IFUPDOWN2_KEYWORDS or word.startswith("allow"):
            if earlier.kind is Kind.STANZA and word in ("iface", "vlan"):
                words = earlier.words
                owner = words[1] if len(words) > 1 else ""
            break
    what = f"stores this line as an attribute `{line.keyword}` of `{owner}`"
    if not owner:
        what = "rejects this line ('error processing line')"
    effect = {
        "source-directory": "the directory is never read",
        "mapping": "the mapping never runs",
        "rename": "nothing is renamed",
    }.get(line.keyword, "it has no effect")
    hint = "; use `source DIR/*`" if line.keyword == "source-directory" else ""
    return (
        f"ifupdown2 3.0 has no `{line.keyword}` keyword: it {what} and {effect}{hint} "
        "(classic ifupdown reads it)"
    )
