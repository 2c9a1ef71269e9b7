"""``--format text``: ``path:line:col: CODE severity message``, the source line and a caret.

Colour only when writing to a terminal (rich, imported only then)."""

from __future__ import annotations

from collections.abc import Sequence

from ifguard.config.diagnostic import Diagnostic, Severity
from ifguard.config.parse import Document
from ifguard.system.sanitize import printable

_WIDTH = 200  # the longest source excerpt shown under a diagnostic

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() or ch == "\t" else "�" for ch in text)


def _snippet(d: Diagnostic, doc: Document | None) -> tuple[str, str] | None:
    if doc is None:
        return None
    raw = doc.source_line(d.line)
    column = d.column
    if len(raw) > _WIDTH:  # a bounded excerpt around the column: output stays linear
        start = max(0, column - 1 - 40)
        raw = raw[start : start + _WIDTH]
        column -= start
    source = _printable(raw).replace("\t", " ")
    if not source.strip():
        return None
    width = (d.end_column - d.column) if d.end_line == d.line else len(source) - column + 1
    width = min(width, len(source) - column + 1)
    return source, " " * (column - 1) + "^" * max(1, width)


def summary(diagnostics: Sequence[Diagnostic], files: int) -> str:
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = sum(d.severity is Severity.WARNING for d in diagnostics)
    fixable = sum(1 for d in diagnostics if d.fix and d.fix.safe)
    if not diagnostics:
        return f"All clear: {files} file(s) checked, no problems."
    text = f"Found {errors} error(s) and {warnings} warning(s) in {files} file(s)."
    if fixable:
        text += f" {fixable} fixable with `ifguard lint --fix`."
    return text


def render(
    diagnostics: Sequence[Diagnostic],
    documents: Sequence[Document],
    *,
    color: bool = False,
    quiet: bool = False,
) -> str:
    by_path = {doc.path: doc for doc in documents}
    chunks: list[str] = []
    for d in diagnostics:
        # the path and the message quote the file: no control character reaches the terminal
        head = printable(
            f"{d.path}:{d.line}:{d.column}: {d.code} {d.severity.value} {d.labelled_message}"
        )
        chunks.append(_color(head, d, color))
        if quiet:
            continue
        snip = _snippet(d, by_path.get(d.path))
        if snip:
            gutter = f"{d.line:>5} | "
            chunks.append(gutter + snip[0])
            chunks.append(" " * (len(gutter) - 2) + "| " + _color_caret(snip[1], d, color))
        if d.fix:
            kind = "fix" if d.fix.safe else "suggestion"
            chunks.append(printable(f"      = {kind}: {d.fix.description}"))
    if not quiet:
        files = len({doc.path for doc in documents})
        chunks.append(summary(diagnostics, files))
    return "".join(c + "\n" for c in chunks)


def _color(text: str, d: Diagnostic, color: bool) -> str:
    if not color:
        return text
    from rich.markup import escape

    return f"[{_STYLE[d.severity]}]{escape(text)}[/]"


def _color_caret(text: str, d: Diagnostic, color: bool) -> str:
    return f"[{_STYLE[d.severity]}]{text}[/]" if color else text
