"""IFG112 backslash-joins-lines."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.dialect import Dialect
from ifguard.config.parse import Document
from ifguard.lint.rules.base import Context, Finding, rule


@rule("IFG112", "backslash-joins-lines", Severity.ERROR)
def backslash_joins_lines(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds backslashes that make the file read differently from how it looks. ifupdown2 3.0
    joins the text at *every* backslash, dropping the whitespace and newlines on both sides
    and putting one space instead. So:

    - a comment ending in `\\` takes the next line into the comment (the `gateway` below it
      disappears); classic ifupdown skips comment lines first and reads that line;
    - a `\\` followed by spaces, or by blank lines, still joins the next non-blank line;
    - a line *starting* with `\\` is joined to the line above;
    - a `\\` inside a line becomes a space (`echo a\\tb` runs `echo a tb`).

    A plain continuation (`\\` as the very last character, the next line not blank) is
    read alike by every dialect and is not reported.

    ## Why is this bad?
    A line the author can see is not configuration, or two lines become one: an address or
    a gateway is silently lost or glued to another option's value, and nothing fails.

    ## Example
    ```
    auto eth0
    iface eth0 inet static
        address 192.0.2.10/24
        # old gateway was 192.0.2.254 \\\\
        gateway 192.0.2.1
    ```

    ## Use instead
    ```
    auto eth0
    iface eth0 inet static
        address 192.0.2.10/24
        # old gateway was 192.0.2.254
        gateway 192.0.2.1
    ```
    """
    two = ctx.dialect is Dialect.IFUPDOWN2
    for doc in ctx.documents:
        text = doc.text
        pos = text.find("\\")
        while pos >= 0:
            finding = _at(doc, pos, two)
            if finding:
                yield finding
            pos = text.find("\\", pos + 1)


def _at(doc: Document, pos: int, two: bool) -> Finding | None:
    text = doc.text
    line = doc.line_at(pos)
    if line.templated:
        return None
    left = pos
    while left > 0 and text[left - 1].isspace():
        left -= 1
    right = pos + 1
    while right < len(text) and text[right].isspace():
        right += 1
    before, after = text[left:pos], text[pos + 1 : right]
    newlines = after.replace("\r\n", "\n").replace("\r", "\n").count("\n")
    if right == len(text) and not _in_comment(doc, pos):
        return Finding(
            doc.span(pos, pos + 1),
            f"a backslash at the end of the file continues into nothing: ifupdown2 drops "
            f"it (`{_word(text, pos)}` is read without it), classic ifupdown keeps it; "
            "remove it",
        )
    plain = "\n" not in before and after.startswith(("\n", "\r\n")) and newlines == 1
    if plain:
        if not _in_comment(doc, pos) or text[right : right + 1] in ("#", ""):
            return None
        return _swallowed(doc, pos, right)
    if not two:
        return None  # classic ifupdown: only a final `\` continues a line (and not in comments)
    if "\n" in before or "\r" in before:
        what = "a line starting with `\\` is read as part of the line above"
    elif newlines:
        what = (
            "spaces after `\\` do not end the continuation: the next line"
            if not after.startswith(("\n", "\r\n"))
            else "blank lines do not end the continuation: the next non-blank line"
        ) + " is read as part of this one"
    else:
        what = ""
    if what:
        return Finding(
            doc.span(pos, pos + 1),
            f"ifupdown2 joins lines at every backslash: {what}; make `\\` the last "
            "character of a continued line, or remove it",
        )
    if _in_comment(doc, pos):
        return None
    return Finding(
        doc.span(pos, pos + 1),
        "ifupdown2 reads a backslash inside a line as a line join: it is replaced by a space "
        f"(`{_word(text, pos)}` loses its `\\`)",
    )


def _word(text: str, pos: int) -> str:
    start, end = pos, pos + 1
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end]


def _in_comment(doc: Document, pos: int) -> bool:
    """Whether the physical line holding ``pos`` is a comment."""
    start = doc.text.rfind("\n", 0, pos) + 1
    return doc.text[start:pos].lstrip(" \t").startswith("#")


def _swallowed(doc: Document, pos: int, right: int) -> Finding:
    text = doc.text
    end = text.find("\n", right)
    end = len(text) if end < 0 else end
    shown = text[right:end].rstrip(" \t\r")
    comment_line = doc.position(pos)[0]
    return Finding(
        doc.span(right, right + len(shown)),
        f"the comment on line {comment_line} ends in `\\`: ifupdown2 joins this line into "
        f"the comment, so `{shown}` is never read (classic ifupdown reads it); remove the "
        "backslash",
    )
