"""IFG104–IFG106, IFG109: bytes and characters the tools mis-read."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Edit, Fix, Severity
from ifguard.config.lazyre import lazy
from ifguard.config.parse import STANZA_KEYWORDS, Document, Kind, is_statement_keyword
from ifguard.lint.rules.base import Context, Finding, rule

_SURROGATE = lazy("[\udc80-\udcff]+")
_CONTROL = lazy("\x1b\\[[0-9;?]*[A-Za-z~]|\x1b\\][^\x07]*\x07|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HASH_AFTER_SPACE = lazy(r"[ \t]#")
_COMMANDS = frozenset({"up", "down", "pre-up", "post-up", "pre-down", "post-down", "script", "map"})


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


@rule("IFG106", "crlf-line-ending", Severity.WARNING, fixable=True)
def crlf_line_ending(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds lines that end with CR LF (Windows line endings). One diagnostic per file; the fix
    converts every line. A carriage return *not* followed by a newline (classic Mac OS line
    endings, or a CR pasted mid-line) is an error with no automatic fix: ifupdown splits lines
    on LF only, so a CR-only file is one long line and nothing in it was checked as written.

    ## Why is this bad?
    The carriage return stays glued to the last word of the line in some tools and scripts
    (`eth0\\r`), so names and values stop matching. Files edited on Windows or pasted through
    some terminals get them.

    ## Example
    ```
    auto eth0\r
    iface eth0 inet dhcp\r
    ```

    ## Use instead
    ```
    auto eth0
    iface eth0 inet dhcp
    ```
    """
    for doc in ctx.documents:
        if "\r" not in doc.text:
            continue
        lone = _cr_line_break(doc)
        if lone >= 0:
            count = doc.text.count("\r") - doc.text.count("\r\n")
            yield Finding(
                doc.span(lone, lone + 1),
                f"{count} carriage return(s) not followed by a newline (CR-only line "
                "endings): ifupdown splits lines on LF only, so what follows is read as "
                "part of this line. Convert the file to LF line endings (e.g. `tr '\\r' "
                "'\\n'`) and lint it again",
                severity=Severity.ERROR,
            )
        if "\r\n" not in doc.text:
            continue
        edits = tuple(
            Edit(doc.path, line.start + idx, line.start + idx + 1, "")
            for line in doc.lines
            for idx in _cr_positions(line.raw)
        )
        first = edits[0].start
        yield Finding(
            doc.span(first, first + 1),
            f"{len(edits)} line(s) end with CRLF; convert the file to LF line endings",
            Fix("convert CRLF line endings to LF", edits, True),
        )


def _is_keyword(word: str) -> bool:
    return word in STANZA_KEYWORDS or is_statement_keyword(word)


def _cr_line_break(doc: Document) -> int:
    """Offset of the first CR used as a line break: not followed by LF but by more text on
    the same line (in a comment: by a keyword, the sign of a CR-only file whose first line is
    a comment). A CR at the end of the file or inside comment prose is not one."""
    text = doc.text
    pos = text.find("\r")
    while pos >= 0:
        rest = text[pos + 1 : pos + 200].split("\n", 1)[0]  # (bounded: linear overall)
        after = rest.replace("\r", " ").split(None, 1)
        if after and text[pos + 1 : pos + 2] != "\n":
            line = doc.line_at(pos)
            if line.kind is not Kind.COMMENT or _is_keyword(after[0]):
                return pos
        pos = text.find("\r", pos + 1)
    return -1


def _cr_positions(raw: str) -> Iterator[int]:
    pos = raw.find("\r\n")
    while pos >= 0:
        yield pos
        pos = raw.find("\r\n", pos + 2)


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
