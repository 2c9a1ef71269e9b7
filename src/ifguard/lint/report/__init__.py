"""Output formats. Each module has ``render(diagnostics, documents) -> str``; they only read."""

from __future__ import annotations

FORMATS = ("text", "json", "sarif", "github")


def utf8(text: str) -> str:
    """``text`` safe to write as UTF-8: bytes that were not UTF-8 in the input (kept as lone
    surrogates by the lossless decoder) become U+FFFD, so JSON/SARIF/GitHub output stays
    valid UTF-8 whatever the linted file contains."""
    if text.isascii():
        return text
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
