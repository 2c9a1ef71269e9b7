"""Small builders of ``Fix`` values shared by rules."""

from __future__ import annotations

from ifguard.config.diagnostic import Edit, Fix
from ifguard.config.parse import Document, Line


def delete_line(doc: Document, line: Line, description: str, *, safe: bool = True) -> Fix:
    """Remove a whole logical line, its line ending included."""
    return Fix(description, (Edit(doc.path, line.start, line.end, ""),), safe)


def replace(
    doc: Document, start: int, end: int, text: str, description: str, *, safe: bool = False
) -> Fix:
    return Fix(description, (Edit(doc.path, start, end, text),), safe)
