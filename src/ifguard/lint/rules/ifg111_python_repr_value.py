"""IFG111 python-repr-value."""

from __future__ import annotations

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
