"""IFG225 text-glued-to-command."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ifguard.config.diagnostic import Edit, Fix, Severity
from ifguard.config.lazyre import lazy
from ifguard.config.schema import COMMAND_ATTRIBUTES
from ifguard.lint.rules.base import Context, Finding, rule

# A keyword of the interfaces file glued to the end of a command word: the newline between
# two lines lost by an unfinished edit (`-j MASQUERADEpost-down iptables ...`).
_GLUED = lazy(
    r"(?<=[A-Za-z0-9])(?P<kw>post-up|pre-up|post-down|pre-down|iface|allow-hotplug|allow-auto|"
    r"source-directory)(?=\s|$)|(?<=[A-Z0-9])(?P<short>auto|up|down|source)(?=\s+[\w/.-])"
)


@rule("IFG225", "text-glued-to-command", Severity.ERROR)
def text_glued_to_command(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds a command (`up`, `post-up`, `pre-down` ...) whose last words are another line of
    the file glued on: a keyword such as `post-down`, `iface` or `auto` stuck to the end of a
    word (`-j ACCEPTpost-down iptables ...`), where an edit lost a line break.

    ## Why is this bad?
    The shell runs one command with the next line's words as extra arguments: iptables
    rejects `MASQUERADEpost-down`, so the NAT rule is never added, and the stanza or option
    that was meant to follow does not exist at all.

    ## Example
    ```
    iface vmbr1 inet static
        address 10.10.10.1/24
        post-up iptables -A FORWARD -i vmbr1 -j ACCEPTpost-down iptables -F FORWARD
    ```

    ## Use instead
    ```
    iface vmbr1 inet static
        address 10.10.10.1/24
        post-up iptables -A FORWARD -i vmbr1 -j ACCEPT
        post-down iptables -F FORWARD
    ```
    """
    for _, attr in ctx.attrs(*COMMAND_ATTRIBUTES):
        match = _GLUED.search(attr.value)
        if match is None or _quoted(attr.value, match.start()):
            continue
        keyword = match.group("kw") or match.group("short")
        doc, line = attr.document, attr.line
        at = doc.text.find(attr.value, line.start, line.start + len(line.raw))
        fix = None
        if at >= 0 and line.physical_lines == 1:
            cut = at + match.start()
            indent = line.raw[: len(line.raw) - len(line.raw.lstrip(" \t"))]
            if keyword not in COMMAND_ATTRIBUTES:  # a stanza or file keyword: column 1
                indent = ""
            fix = Fix(
                f"break the line before `{keyword}`",
                (Edit(doc.path, cut, cut, "\n" + indent),),
                safe=False,
            )
        word = attr.value[: match.end()].split()[-1]
        yield Finding(
            attr.span,
            f"`{keyword}` is glued to the end of `{word[: -len(keyword)]}` in the "
            f"`{attr.name}` command: a line break was lost, and the shell gets the next "
            "line's words as arguments",
            fix,
        )


def _quoted(text: str, at: int) -> bool:
    """Whether position ``at`` is inside single or double quotes (a glued-looking word in a
    quoted string is data, not a lost line break)."""
    return sum(1 for c in re.findall(r"['\"]", text[:at])) % 2 == 1
