"""``--format github``: GitHub Actions workflow commands (annotations on the diff)."""

from __future__ import annotations

from collections.abc import Sequence

from ifguard.config.diagnostic import Diagnostic, Severity
from ifguard.config.parse import Document
from ifguard.lint.report import utf8
from ifguard.system.sanitize import printable

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    # `%`, CR and LF are the workflow-command escapes; every other control character (ESC,
    # BEL, C1 ...) from a file name or a message is shown as a visible escape, never raw
    escaped = utf8(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(escaped)


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(diagnostics: Sequence[Diagnostic], documents: Sequence[Document]) -> str:
    lines = []
    for d in diagnostics:
        props = ",".join(
            f"{k}={_escape_property(str(v))}"
            for k, v in (
                ("file", d.path),
                ("line", d.line),
                ("col", d.column),
                ("endLine", d.end_line),
                ("endColumn", d.end_column),
                ("title", f"{d.code} {d.name}"),
            )
        )
        lines.append(
            f"::{_LEVEL[d.severity]} {props}::{_escape_data(f'{d.code} {d.labelled_message}')}"
        )
    return utf8("".join(line + "\n" for line in lines))
