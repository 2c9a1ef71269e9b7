"""IFG111, IFG225: text that is not the option's value: a Python repr pasted as the value, the
next line of the file glued onto the end of a command."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ifguard.config.diagnostic import Edit, Fix, Severity
from ifguard.config.lazyre import lazy
from ifguard.config.schema import COMMAND_ATTRIBUTES
from ifguard.lint.rules.base import Context, Finding, rule

# `['eno1', 'eno2']`, `{'nameservers': {...}}`, `('a', 'b')`: brackets around quoted items
# separated the way Python prints them (`', '` or `': `).
_REPR = lazy(r"""^[\[{(]\s*(['"]).*?\1\s*(?:[,:]\s*.*)?[\]})]$""")
_REPR_SEPARATOR = lazy(r"""['"]\s*[,:]\s*['"\[{(\d]|^[\[(]\s*['"][^'"]*['"]\s*[\])]$""")
_QUOTED_ITEM = lazy(r"""(['"])([^'"]*)\1""")


@rule("IFG111", "python-repr-value", Severity.ERROR)
def python_repr_value(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds an option whose value is a Python list, tuple or dict as Python prints it
    (`['eno1', 'eno2']`, `{'nameservers': {'addresses': [...]}}`) or `None`: the output of a
    script or template pasted where the value belongs.

    ## Why is this bad?
    ifupdown takes the words literally: the bond's slaves are `['eno1',` and `'eno2']`,
    which do not exist, the resolver gets `{'nameservers':` as a server. Nothing fails at
    reload; the bond has no slaves and the host no DNS.

    ## Example
    ```
    iface bond0 inet manual
        bond-slaves ['eno1', 'eno2']
        bond-mode 802.3ad
    ```

    ## Use instead
    ```
    iface bond0 inet manual
        bond-slaves eno1 eno2
        bond-mode 802.3ad
    ```
    """
    for iface in ctx.config.interfaces:
        for attr in iface.attributes:
            value = attr.value.strip()
            if not value or attr.key in COMMAND_ATTRIBUTES or attr.name[0] in "[{(":
                continue  # a line that is all repr is not an option at all: IFG108's
            if value == "None":
                yield Finding(
                    attr.span,
                    f"`{attr.name} None`: Python's None pasted as the value (a template or "
                    "script had nothing to put here)",
                )
                continue
            if value[0] not in "[{(" or not _REPR.match(value) or not _REPR_SEPARATOR.search(value):
                continue
            fix = None
            items = [(m.group(1), m.group(2)) for m in _QUOTED_ITEM.finditer(value)]
            if value[0] in "[(" and items and all(i[1] and " " not in i[1] for i in items):
                doc, line = attr.document, attr.line
                at = doc.text.index(value, line.start, line.start + len(line.raw))
                words = " ".join(i[1] for i in items)
                fix = Fix(
                    f"write the items as words: `{words}`",
                    (Edit(doc.path, at, at + len(value), words),),
                    safe=False,
                )
            yield Finding(
                attr.span,
                f"the value of `{attr.name}` is a Python "
                f"{'dict' if value[0] == '{' else 'list'} as Python prints it; ifupdown reads "
                f"its words literally (`{value.split()[0]}` ...)",
                fix,
            )


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
