"""The core value types every stage shares: spans, edits, fixes and diagnostics."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class Severity(StrEnum):
    """How bad a diagnostic is. Only errors make ``ifguard lint`` exit 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


class Span(NamedTuple):
    """A region of a file: 1-based lines and columns; ``end_column`` is exclusive (like SARIF)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int


class Edit(NamedTuple):
    """Replace ``text[start:end]`` (character offsets in the decoded file) by ``replacement``."""

    path: str
    start: int
    end: int
    replacement: str


class Fix(NamedTuple):
    """A set of edits. Only ``safe`` fixes are applied by ``--fix``; others are suggestions."""

    description: str
    edits: tuple[Edit, ...]
    safe: bool = True


# What a diagnostic of a host configuration says before its message (running: nothing).
CONFIG_PREFIX = {"pending": "pending interfaces.new: "}


class Diagnostic(NamedTuple):
    """One finding, attached to a span of one file.

    ``config`` says which of the host's configurations it was found in (``"running"`` or
    ``"pending"``, see ``ifguard.config.source``); None for files named explicitly."""

    span: Span
    code: str
    name: str
    severity: Severity
    message: str
    fix: Fix | None = None
    config: str | None = None

    @property
    def labelled_message(self) -> str:
        """The message as text reports print it: ``pending interfaces.new: ...``."""
        return CONFIG_PREFIX.get(self.config or "", "") + self.message

    @property
    def path(self) -> str:
        return self.span.path

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    @property
    def end_line(self) -> int:
        return self.span.end_line

    @property
    def end_column(self) -> int:
        return self.span.end_column

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.span.path, self.span.line, self.span.column, self.code)
