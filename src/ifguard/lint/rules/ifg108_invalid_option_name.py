"""IFG108 invalid-option-name."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.parse import Document, Kind, Line
from ifguard.lint.classify import valid_name, verdicts
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.fixes import delete_line, replace
from ifguard.lint.rules.helpers import HOOK_KEYWORDS, owner_note


@rule("IFG108", "invalid-option-name", Severity.ERROR, fixable=True)
def invalid_option_name(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds lines inside a stanza whose first word cannot be an option name: it starts with a
    digit or punctuation (`27:`, `-`, `[...]`, `…`) or contains characters no option has.

    ## Why is this bad?
    Such lines are leftovers (separator lines, elisions from documentation, fragments of
    pasted text). ifupdown2 keeps them as attributes of the stanza and says nothing.

    ## Example
    ```
    iface bond0 inet manual
        bond-slaves eno1 eno2
    [...]
    ```

    ## Use instead
    ```
    iface bond0 inet manual
        bond-slaves eno1 eno2
    ```
    """
    for doc in ctx.documents:
        for line in doc.lines:
            if (
                line.kind is Kind.OPTION
                and not valid_name(line.keyword)
                and line.seq not in verdicts(doc)
            ):
                yield _invalid_name(doc, line)


# options whose value is a list of key=value settings
_OPTION_LIST = re.compile(r"^(ovs[-_]options|ovs[-_]extra|bond[-_]options|bridge[-_]options)$")


def _invalid_name(doc: Document, line: Line) -> Finding:
    prev = doc.lines[line.seq - 1] if line.seq else None
    if (
        line.keyword.startswith("-")
        and len(line.keyword) > 1
        and prev is not None
        and prev.kind is Kind.OPTION
        and prev.keyword in HOOK_KEYWORDS
    ):
        # `-j MASQUERADE` under `post-up iptables ...`: a command wrapped without a backslash.
        eol = prev.eol
        at = prev.end - len(eol)
        fix = replace(doc, at, at, " \\", "end the line above with a backslash to continue it")
        return Finding(
            doc.line_span(line),
            f"`{line.body.strip()}` looks like the rest of the `{prev.keyword}` command "
            "above, wrapped without a trailing backslash: the command runs without it "
            f"and {owner_note(doc, line)}",
            fix,
        )
    if (
        prev is not None
        and prev.kind is Kind.OPTION
        and _OPTION_LIST.match(prev.keyword)
        and all("=" in w for w in line.words)
    ):
        # `bond_mode=balance-tcp tag=1` under `ovs_options ...`: a long line wrapped by a
        # paste. Deleting it would drop settings (the incident lab lost its tag that way).
        at = prev.end - len(prev.eol)
        fix = replace(
            doc,
            at,
            line.start + len(line.indent),
            " ",
            f"join it to the `{prev.keyword}` line above",
        )
        return Finding(
            doc.line_span(line),
            f"`{line.body.strip()}` looks like the rest of the `{prev.keyword}` line "
            f"above, wrapped onto its own line: those settings are not applied and "
            f"{owner_note(doc, line)}. Join it to the line above",
            fix,
        )
    msg = (
        f"`{line.keyword}` is not an option name; {owner_note(doc, line)}. "
        "Delete the line or turn it into a `#` comment."
    )
    return Finding(doc.line_span(line), msg, delete_line(doc, line, "remove the line"))
