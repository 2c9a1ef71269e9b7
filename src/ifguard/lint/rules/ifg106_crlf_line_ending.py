"""IFG106 crlf-line-ending."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Edit, Fix, Severity
from ifguard.config.dialect import Dialect
from ifguard.config.parse import STANZA_KEYWORDS, Document, Kind, is_statement_keyword
from ifguard.lint.rules.base import Context, Finding, rule


@rule("IFG106", "crlf-line-ending", Severity.WARNING, fixable=True)
def crlf_line_ending(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds lines that end with CR LF (Windows line endings). One diagnostic per file; the fix
    converts every line. A carriage return *not* followed by a newline (classic Mac OS line
    endings, or a CR pasted mid-line) is an error with no automatic fix, reported where the
    two readers part ways. ifupdown2 opens the file with universal newlines: a bare CR ends
    the line, so the text after it is a line of its own - even inside a comment, where a
    terminal shows only the comment (`# note\r  gateway 192.0.2.99` is a `gateway`).
    Classic ifupdown and ifupdown-ng split lines on LF only: a CR-only file is one long line.

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
    two = ctx.dialect is Dialect.IFUPDOWN2
    for doc in ctx.documents:
        if "\r" not in doc.text:
            continue
        if two:
            yield from _universal_newlines(doc)
        else:
            lone = _cr_line_break(doc)
            if lone >= 0:
                count = doc.text.count("\r") - doc.text.count("\r\n")
                yield Finding(
                    doc.span(lone, lone + 1),
                    f"{count} carriage return(s) not followed by a newline (CR-only line "
                    f"endings): {ctx.dialect} splits lines on LF only, so what follows is "
                    "read as part of this line. Convert the file to LF line endings (e.g. "
                    "`tr '\\r' '\\n'`) and lint it again",
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


def _universal_newlines(doc: Document) -> Iterator[Finding]:
    """ifupdown2: each line holding a bare CR with text after it, the hidden text spanned."""
    text = doc.text
    pos = text.find("\r")
    while pos >= 0:
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        hidden = text[pos + 1 : end].replace("\r", "\n").strip()
        line = doc.line_at(pos)
        only_comments = all(part.strip()[:1] in ("", "#") for part in hidden.split("\n"))
        if hidden and not (only_comments and line.kind is Kind.COMMENT):
            first = hidden.split("\n", 1)[0].strip() or hidden.split()[0]
            what = (
                "configuration, not part of this comment"
                if line.kind is Kind.COMMENT
                else "a line of its own"
            )
            stop = len(text[:end].rstrip(" \t\r"))
            yield Finding(
                doc.span(pos + 1, max(stop, pos + 1)),
                f"a carriage return without a newline ends the line for ifupdown2 (it "
                f"opens the file with universal newlines): `{first}` after it is {what}. "
                "Remove the carriage return or make it a newline",
                severity=Severity.ERROR,
            )
        pos = text.find("\r", end)


def _cr_positions(raw: str) -> Iterator[int]:
    pos = raw.find("\r\n")
    while pos >= 0:
        yield pos
        pos = raw.find("\r\n", pos + 2)
