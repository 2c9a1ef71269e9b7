"""IFG103 stray-marker."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.parse import Line
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.helpers import junk_finding, junk_lines, owner_note


@rule("IFG103", "stray-marker", Severity.ERROR, fixable=True)
def stray_marker(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds heredoc end markers (`EOF`), diff and patch lines (`--- a/...`, `@@ -1 +1 @@`,
    `+iface ...`) and merge-conflict markers (`<<<<<<<`, `=======`, `>>>>>>>`).
    Heredoc markers and patch headers have a fix (delete the line); conflict markers and
    `+`/`-` lines do not: there is no safe side to pick.

    ## Why is this bad?
    They show the file was produced by an interrupted heredoc, a half-applied patch or a
    conflicted merge: the configuration around them may be incomplete or doubled.

    ## Example
    ```
    auto lo
    iface lo inet loopback
    EOF
    ```

    ## Use instead
    ```
    auto lo
    iface lo inet loopback
    ```
    """
    for doc, line, verdict in junk_lines(ctx, ("marker",)):
        if _no_safe_side(line):
            yield Finding(
                doc.line_span(line),
                f"line looks like {verdict.what}, not configuration; {owner_note(doc, line)}. "
                "No automatic fix: the lines around it may hold two versions of the "
                "configuration (or one half of a patch) and there is no safe side to pick. "
                "Resolve it by hand, then lint again.",
            )
            continue
        yield junk_finding(doc, line, verdict, "Remove it and check the stanzas around it.")


_CONFLICT = re.compile(r"^(<{7}( |$)|={7}$|>{7}( |$)|\|{7}( |$))")


def _no_safe_side(line: Line) -> bool:
    """A merge-conflict marker, or a `+`/`-` line of a diff: deleting it would keep both
    sides of a conflict, or drop configuration someone meant to add."""
    stripped = line.body.strip(" \t\r")
    return bool(_CONFLICT.match(stripped)) or (
        stripped[:1] in ("+", "-") and not (stripped.startswith(("+++ ", "--- ")))
    )
