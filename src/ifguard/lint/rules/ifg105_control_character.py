"""IFG105 control-character."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Edit, Fix, Severity
from ifguard.config.lazyre import lazy
from ifguard.lint.rules.base import Context, Finding, rule

_CONTROL = lazy("\x1b\\[[0-9;?]*[A-Za-z~]|\x1b\\][^\x07]*\x07|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@rule("IFG105", "control-character", Severity.ERROR, fixable=True)
def control_character(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds NUL bytes, terminal escape sequences (colours, bracketed-paste markers), other
    control characters and a byte-order mark at the start of the file.

    ## Why is this bad?
    They come from pasting coloured terminal output or from binary corruption. They are
    invisible in most editors, but they become part of names and values: `\\ufeffauto` is not
    the keyword `auto`.

    ## Example
    ```
    iface eth0 inet static
        address 192.0.2.10/24\x1b[0m
    ```

    ## Use instead
    ```
    iface eth0 inet static
        address 192.0.2.10/24
    ```
    """
    for doc in ctx.documents:
        text = doc.text
        if text.startswith("\ufeff"):
            fix = Fix("remove the byte-order mark", (Edit(doc.path, 0, 1, ""),), True)
            yield Finding(
                doc.span(0, 1),
                "file starts with a UTF-8 byte-order mark: the first keyword is not recognised",
                fix,
            )
        if text.isprintable() or not _CONTROL.search(text):
            continue
        for match in _CONTROL.finditer(text):
            raw = match.group()
            shown = raw.encode("unicode_escape").decode("ascii")
            fix = Fix(
                "remove the control characters",
                (Edit(doc.path, match.start(), match.end(), ""),),
                safe=raw[0] == "\x1b",
            )
            yield Finding(
                doc.span(match.start(), match.end()),
                f"control character(s) `{shown}` in the file (pasted terminal output "
                "or binary data); remove them",
                fix,
            )
