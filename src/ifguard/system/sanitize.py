"""Make text from a file safe to print on a terminal or in a CI annotation.

A configuration file (or a file name) may hold ESC, BEL, other C0 and C1 control characters,
DEL, bidirectional overrides and undecodable bytes (kept by ``surrogateescape``). Printed raw they
could rewrite the terminal (clear the screen, fake a line, retitle a window) or break an
annotation. ``printable`` shows each one as a visible escape (``\\x1b``, ``\\u202e``) and leaves
everything else as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# C0 (but tab), DEL, C1, bidi controls, line/paragraph separators, lone surrogates
_UNSAFE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_UNSAFE_TAB = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    c = match.group()
    code = ord(c)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, keep_tab: bool = True) -> str:
    """``text`` with every control character shown as an escape; one line, always."""
    pattern = _UNSAFE if keep_tab else _UNSAFE_TAB
    return pattern.sub(_escape, text) if pattern.search(text) else text


def excerpt(text: str, limit: int = 80) -> str:
    """At most ``limit`` characters of ``text`` (an ellipsis marks the cut), made printable."""
    if len(text) > limit:
        text = text[:limit] + "…"
    return printable(text)


def diff_lines(lines: Iterable[str]) -> str:
    """Lines of a unified diff made safe for a terminal: each ends in one newline and every
    other control character (ESC, CR, a form feed ``splitlines`` ended a line on) is shown
    escaped. For reading: ``--fix`` writes the bytes themselves."""
    return "".join(printable(line.removesuffix("\n")) + "\n" for line in lines)
