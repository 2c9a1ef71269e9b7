"""IFG104 invalid-utf8."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.lazyre import lazy
from ifguard.lint.rules.base import Context, Finding, rule

_SURROGATE = lazy("[\udc80-\udcff]+")


@rule("IFG104", "invalid-utf8", Severity.ERROR)
def invalid_utf8(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds bytes that are not valid UTF-8 (binary data, a file saved in Latin-1, a truncated
    multi-byte character).

    ## Why is this bad?
    ifupdown2 and ifupdown-ng read the file as UTF-8 text; invalid bytes make values unusable
    or the parser fail. They are usually the trace of binary content written into the file.

    ## Example
    ```
    iface eth0 inet dhcp
        hostname caf\xe9
    ```

    ## Use instead
    ```
    iface eth0 inet dhcp
        hostname cafe
    ```
    """
    for doc in ctx.documents:
        if doc.text.isascii():
            continue
        for match in _SURROGATE.finditer(doc.text):
            raw = match.group().encode("utf-8", "surrogateescape")
            yield Finding(
                doc.span(match.start(), match.end()),
                f"invalid UTF-8 byte(s) {raw.hex(' ')}; re-save the file as UTF-8 "
                "and check what wrote binary data into it",
            )
