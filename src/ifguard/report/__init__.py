"""Output formats. Each module has ``render(diagnostics, documents) -> str``; they only read."""

from __future__ import annotations

FORMATS = ("text", "json", "sarif", "github")
