"""IFG311 port-range-without-glob."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Edit, Fix, Severity
from ifguard.config.lazyre import lazy
from ifguard.config.topology import MEMBER_ATTRIBUTES, defined_names
from ifguard.lint.rules.base import Context, Finding, rule

# `swp[1-4]`, `eth[0-3].100`: a glob character class; `swp1-4`, `swp1-4.100`: ifupdown2's
# glob range. Without the `glob` keyword both are taken as one interface name.
_BRACKETS = lazy(r"\[[0-9]+-[0-9]+\]")
_DASH = lazy(r"^[A-Za-z]+[0-9]+-[0-9]+(\.[0-9]+)?$")


@rule("IFG311", "port-range-without-glob", Severity.ERROR)
def port_range_without_glob(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds a range of ports in `bridge-ports`, `bond-slaves` or an OVS port list written
    without ifupdown2's `glob` keyword: `swp[1-4]` (an error) or `swp1-4` (a warning, unless
    a stanza defines that name).

    ## Why is this bad?
    Without `glob` the range is one literal interface name that does not exist: the bridge
    or bond comes up without any of the ports.

    ## Example
    ```
    iface br0
        bridge-ports swp[1-4]
    ```

    ## Use instead
    ```
    iface br0
        bridge-ports glob swp[1-4]
    ```
    """
    defined = defined_names(ctx.config)
    keys = tuple(MEMBER_ATTRIBUTES)
    for iface, attr in ctx.attrs(*keys):
        words = attr.value.split()
        if not words or words[0] in ("glob", "regex"):
            continue
        for i, word in enumerate(words):
            if i and words[i - 1] in ("glob", "regex"):
                continue
            brackets = bool(_BRACKETS.search(word))
            if not brackets and (not _DASH.match(word) or word in defined):
                continue
            if "$" in word or "%" in word or "{" in word:
                continue  # a template
            doc, line = attr.document, attr.line
            at = _word_offset(line.raw, attr.value, i)
            fix = None
            if at is not None:
                pos = line.start + at
                fix = Fix(f"write `glob {word}`", (Edit(doc.path, pos, pos, "glob "),), safe=False)
            yield Finding(
                attr.span,
                f"`{word}` in `{attr.name}` of `{iface.name}` is a range of ports without "
                "the `glob` keyword: it is read as one interface name that does not exist",
                fix,
                severity=None if brackets else Severity.WARNING,
            )


def _word_offset(raw: str, value: str, index: int) -> int | None:
    """The offset in the line of the ``index``-th word of ``value``."""
    base = raw.find(value)
    if base < 0:
        return None
    pos = 0
    for n, word in enumerate(value.split()):
        pos = value.index(word, pos)
        if n == index:
            return base + pos
        pos += len(word)
    return None
