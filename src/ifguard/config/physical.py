"""Physical lines of an interfaces(5) file, before ``parse`` classifies them: decoding that
keeps every byte (``surrogateescape``), splitting on ``\\n`` only (how other line breaks read
is the rules' business), backslash continuations joined into one logical line, and where a
Mako template block (``<% ... %>``, ``% for``) opens and closes.
"""

from __future__ import annotations

from collections.abc import Iterator


def decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def iter_physical(text: str) -> Iterator[str]:
    """Physical lines with their '\\n', split on '\\n' only, produced one at a time."""
    find = text.find
    pos, size = 0, len(text)
    while pos < size:
        end = find("\n", pos)
        if end < 0:
            yield text[pos:]
            return
        yield text[pos : end + 1]
        pos = end + 1


def _continues(physical: str) -> bool:
    stripped = physical.rstrip("\r\n")
    return stripped.endswith("\\") and physical.endswith("\n")


_CONTROL_OPEN = ("for", "if", "while", "try", "with", "def")


def template_block(stripped: str, depth: int) -> tuple[str, int]:
    """After a template line: the text that closes a block it opens (``%>`` for a Python
    block left open on this line, ``</%doc>`` ...) and the new control-block depth."""
    if stripped.startswith("<%"):
        rest = stripped[2:]
        if rest[:1] in ("", " ", "\t", "\r", "\n", "!"):
            return ("" if "%>" in rest else "%>"), depth
        for tag in ("doc", "text"):
            if rest.startswith(tag) and f"</%{tag}>" not in rest:
                return f"</%{tag}>", depth
        return "", depth
    if stripped.startswith("%%") or stripped.startswith("##") or not stripped.startswith("%"):
        return "", depth
    word = stripped[1:].strip().split(None, 1)
    head = word[0].rstrip(":") if word else ""
    if head in _CONTROL_OPEN:
        return "", depth + 1
    if head.startswith("end") and head[3:] in _CONTROL_OPEN:
        return "", max(0, depth - 1)
    return "", depth


def join_continuations(physical: list[str]) -> list[str]:
    """Merge each physical line ending in a backslash with the line that follows it."""
    out: list[str] = []
    i, n = 0, len(physical)
    while i < n:
        raw = physical[i]
        i += 1
        while _continues(raw) and i < n:
            raw += physical[i]
            i += 1
        out.append(raw)
    return out
