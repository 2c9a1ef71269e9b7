"""IFG109 trailing-comment."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.lazyre import lazy
from ifguard.config.parse import Kind
from ifguard.lint.rules.base import Context, Finding, rule

_HASH_AFTER_SPACE = lazy(r"[ \t]#")
_COMMANDS = frozenset({"up", "down", "pre-up", "post-up", "pre-down", "post-down", "script", "map"})


@rule("IFG109", "trailing-comment", Severity.WARNING)
def trailing_comment(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds a `# ...` after a value on an option, `auto` or `iface` line.

    ## Why is this bad?
    In interfaces(5) `#` starts a comment only at the start of a line. A trailing `# note`
    is part of the value: `address 192.0.2.10/24 # main` is not an address, and
    `auto wlan0 # up by default` marks interfaces named `#`, `up`, `by` and `default`.
    Shell commands (`up`, `post-up`, ...) are not reported: there the shell reads `#`.

    ## Example
    ```
    iface eth0 inet static
        address 192.0.2.10/24 # main address
    ```

    ## Use instead
    ```
    iface eth0 inet static
        # main address
        address 192.0.2.10/24
    ```
    """
    kinds = (Kind.OPTION, Kind.STATEMENT, Kind.STANZA)
    for doc in ctx.documents:
        seen: set[int] = set()
        for match in _HASH_AFTER_SPACE.finditer(doc.text):
            line = doc.line_at(match.start())
            if line.seq in seen or line.kind not in kinds or line.keyword in _COMMANDS:
                continue
            seen.add(line.seq)
            body = line.body
            pos = _comment_start(body)
            if pos < 0:
                continue
            end = len(body.rstrip(" \t\r"))
            what = "interface names" if line.kind is not Kind.OPTION else "the value"
            yield Finding(
                doc.span(line.start + pos, line.start + end),
                f"`#` here does not start a comment: the text is read as part of "
                f"{what} of `{line.keyword}`; move the comment to its own line",
            )


def _comment_start(body: str) -> int:
    for i, ch in enumerate(body):
        if ch == "#" and i and body[i - 1] in " \t":
            return i
    return -1
