"""Lossless parser for interfaces(5) files.

The input bytes are decoded with ``surrogateescape`` so that any byte sequence (invalid UTF-8,
NULs, CRLF) survives: ``render(parse(data)) == data`` always holds. The file is split into
*logical lines* (physical lines joined by a trailing backslash); every character of the input
belongs to exactly one ``Line``. Lines are classified structurally only — deciding whether a
line is junk is the job of the rules.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import NamedTuple

from ifguard.config.diagnostic import Span
from ifguard.config.physical import decode, iter_physical, join_continuations, template_block


class Kind(StrEnum):
    BLANK = "blank"
    COMMENT = "comment"
    STANZA = "stanza"  # iface / mapping / template / vlan: owns the option lines that follow
    STATEMENT = "statement"  # auto / allow-* / source / source-directory / rename / no-*
    OPTION = "option"  # a line inside a stanza: keyword + value
    # An ifupdown2 Mako template line, never rendered: a control line (`% for ...:`,
    # `% endfor`), a `## comment`, or any line of a `<% ... %>` Python block (which may span
    # lines) or of a `<%doc>`/`<%text>` block. Lines *between* `% for`/`% endfor` (the body
    # that would be repeated) keep their own kind but are marked ``Line.templated``; so is
    # a line with a `${...}` expression. Nothing templated is ever fixed.
    TEMPLATE = "template"
    UNKNOWN = "unknown"  # not a statement and not inside a stanza


STANZA_KEYWORDS = frozenset({"iface", "mapping", "template", "vlan"})
STATEMENT_KEYWORDS = frozenset(
    {"auto", "source", "source-directory", "rename", "no-auto-down", "no-scripts"}
)
_WS = " \t"


def is_statement_keyword(word: str) -> bool:
    return word in STATEMENT_KEYWORDS or (word.startswith("allow-") and len(word) > 6)


class LineTable:
    """Positions shared by all lines of one document (compact arrays, not one int per field)."""

    __slots__ = ("linenos", "starts", "templated", "text", "values")

    def __init__(self, text: str) -> None:
        self.text = text
        self.templated: bytearray | None = None  # 1 per line inside a template block (lazy)
        self.values: list[str | None] = []  # option/statement values found while parsing
        self.starts = array("q")  # character offset of each line, plus one past the end
        self.linenos = array("q")  # 1-based physical line where each logical line starts


class Line(NamedTuple):
    """One logical line. ``raw`` is the exact text, continuations and line ending included."""

    seq: int  # position in Document.lines
    kind: Kind
    keyword: str  # first word ('' for blank/comment lines)
    stanza: int  # seq of the owning stanza line, -1 if none (a stanza line owns itself)
    table: LineTable

    @property
    def start(self) -> int:
        """Character offset in Document.text."""
        return self.table.starts[self.seq]

    @property
    def lineno(self) -> int:
        """1-based physical line where it starts."""
        return self.table.linenos[self.seq]

    @property
    def raw(self) -> str:
        table, seq = self.table, self.seq
        return table.text[table.starts[seq] : table.starts[seq + 1]]

    @property
    def end(self) -> int:
        return self.table.starts[self.seq + 1]

    @property
    def eol(self) -> str:
        """The line ending: '\\r\\n', '\\n' or '' (last line without newline)."""
        raw = self.raw
        if raw[-1:] != "\n":
            return ""
        return "\r\n" if raw[-2:-1] == "\r" else "\n"

    @property
    def physical_lines(self) -> int:
        return self.raw.count("\n") + (0 if self.raw.endswith("\n") else 1)

    @property
    def body(self) -> str:
        """The line without its final line ending (continuations still inside)."""
        raw = self.raw
        if raw[-1:] != "\n":
            return raw
        return raw[:-2] if raw[-2:-1] == "\r" else raw[:-1]

    @property
    def logical(self) -> str:
        """Continuations joined with a space, outer whitespace stripped: what the tools read."""
        body = self.body
        if "\\\n" in body or "\\\r\n" in body:
            parts = body.replace("\r\n", "\n").split("\\\n")
            return " ".join(p.strip(_WS + "\r") for p in parts).strip(_WS + "\r")
        return body.strip(_WS + "\r")

    @property
    def words(self) -> list[str]:
        if self.keyword and self.table.values[self.seq] is not None:  # parsed already
            return [self.keyword, *self.value.split()]
        return self.logical.split()

    @property
    def value(self) -> str:
        """Everything after the keyword (for options and statements)."""
        known = self.table.values[self.seq]
        if known is not None:
            return known
        raw = self.raw
        if "\\" not in raw:  # fast path: no continuation
            return raw.strip()[len(self.keyword) :].strip() if self.keyword else raw.strip()
        logical = self.logical
        cut = len(self.keyword)
        return logical[cut:].strip(_WS) if logical.startswith(self.keyword) else logical

    @property
    def templated(self) -> bool:
        """A template line, or a line a template renders (inside `% for`...`% endfor`,
        `% if`...`% endif`, or holding `${...}`): its text is not what the host reads."""
        marks = self.table.templated
        return self.kind is Kind.TEMPLATE or (marks is not None and bool(marks[self.seq]))

    @property
    def indent(self) -> str:
        body = self.body
        return body[: len(body) - len(body.lstrip(_WS))]


class Document:
    """A parsed file. ``text`` is the decoded content; ``lines`` cover it completely, in order."""

    __slots__ = ("_starts", "cache", "lines", "path", "text")

    def __init__(self, path: str, text: str, lines: tuple[Line, ...]) -> None:
        self.path = path
        self.text = text
        self.lines = lines
        self._starts: list[int] | None = None
        # Derived data rules share (e.g. junk verdicts per line), computed once per document.
        self.cache: dict[str, object] = {}

    def __repr__(self) -> str:
        return f"Document({self.path!r}, {len(self.lines)} lines)"

    @property
    def data(self) -> bytes:
        return self.text.encode("utf-8", "surrogateescape")

    def render(self) -> bytes:
        return "".join(line.raw for line in self.lines).encode("utf-8", "surrogateescape")

    def stanzas(self) -> Iterator[tuple[Line, list[Line]]]:
        """Yield each stanza line with the option/comment lines it owns."""
        current: tuple[Line, list[Line]] | None = None
        for line in self.lines:
            if line.kind is Kind.STANZA:
                if current:
                    yield current
                current = (line, [])
            elif line.stanza >= 0 and current is not None:
                current[1].append(line)
            elif line.kind in (Kind.STATEMENT, Kind.UNKNOWN) and current is not None:
                yield current
                current = None
        if current:
            yield current

    # -- positions ---------------------------------------------------------------------------
    def _line_starts(self) -> list[int]:
        if self._starts is None:
            starts = [0]
            find = self.text.find
            pos = find("\n")
            while pos >= 0:
                starts.append(pos + 1)
                pos = find("\n", pos + 1)
            self._starts = starts
        return self._starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        starts = self._line_starts()
        row = bisect.bisect_right(starts, offset) - 1
        return row + 1, offset - starts[row] + 1

    def line_at(self, offset: int) -> Line:
        """The logical line containing a character offset."""
        starts = self.lines[0].table.starts if self.lines else array("q", [0])
        seq = bisect.bisect_right(starts, offset) - 1
        return self.lines[max(0, min(seq, len(self.lines) - 1))]

    def span(self, start: int, end: int) -> Span:
        line, col = self.position(start)
        end_line, end_col = self.position(end)
        return Span(self.path, line, col, end_line, end_col)

    def line_span(self, line: Line) -> Span:
        """The line's content, without indentation and line ending."""
        body = line.body.rstrip(_WS + "\r")
        lead = len(body) - len(body.lstrip(_WS))
        if lead == len(body):  # blank line: point at its start
            return self.span(line.start, line.start)
        return self.span(line.start + lead, line.start + len(body))

    def word_span(self, line: Line, word_index: int = 0) -> Span:
        """Span of the n-th whitespace-separated word of a line (first physical line only)."""
        body = line.body
        pos = 0
        for i in range(word_index + 1):
            while pos < len(body) and body[pos] in _WS:
                pos += 1
            begin = pos
            while pos < len(body) and body[pos] not in _WS + "\r\n":
                pos += 1
            if i == word_index:
                return self.span(line.start + begin, line.start + pos)
        return self.line_span(line)

    def source_line(self, lineno: int) -> str:
        """The physical line ``lineno`` without its line ending, for display."""
        starts = self._line_starts()
        if not 1 <= lineno <= len(starts):
            return ""
        begin = starts[lineno - 1]
        end = starts[lineno] if lineno < len(starts) else len(self.text)
        return self.text[begin:end].rstrip("\r\n")


def parse(data: bytes | str, path: str = "<input>") -> Document:
    """Parse bytes (or already-decoded text) into a lossless ``Document``. Never raises."""
    text = decode(data) if isinstance(data, bytes) else data
    physical: Iterable[str] = iter_physical(text)  # one line alive at a time: lower peak
    if "\\\n" in text or "\\\r\n" in text:
        physical = join_continuations(list(physical))
    lines: list[Line] = []
    append = lines.append
    table = LineTable(text)
    add_start, add_lineno = table.starts.append, table.linenos.append
    add_value = table.values.append
    blank, comment, template = Kind.BLANK, Kind.COMMENT, Kind.TEMPLATE
    stanza_kind, statement, option, unknown = Kind.STANZA, Kind.STATEMENT, Kind.OPTION, Kind.UNKNOWN
    stanza_words, statement_words = STANZA_KEYWORDS, STATEMENT_KEYWORDS
    words: dict[str, str] = {}  # one string object per distinct keyword
    offset = 0
    lineno = 1
    stanza = -1
    mako = "%" in text
    block_end = ""  # inside a multi-line `<% ... %>` / `<%doc>` block: what closes it
    depth = 0  # open `% for`/`% if`/... control blocks
    marks = bytearray() if mako else None
    for index, raw in enumerate(physical):
        add_start(offset)
        add_lineno(lineno)
        stripped = raw.lstrip(_WS)
        first = stripped[:1]
        value: str | None = None
        if marks is not None:
            marks.append(1 if depth or block_end or "${" in raw else 0)
        if block_end:
            line = Line(index, template, "", stanza, table)
            if block_end in raw:
                block_end = ""
        elif first == "#":
            line = Line(index, comment, "", stanza, table)
        elif first == "%" or (first == "<" and stripped[:2] == "<%") or stripped[:3] == "</%":
            line = Line(index, template, "", stanza, table)
            block_end, depth = template_block(stripped, depth)
        else:
            parts = stripped.split(None, 1)
            if not parts:
                line = Line(index, blank, "", stanza, table)
            else:
                keyword = words.setdefault(parts[0], parts[0])
                if "\\" not in raw:  # (continuations: computed on demand)
                    value = parts[1].strip() if len(parts) > 1 else ""
                    value = words.setdefault(value, value)  # values repeat (off, 0, manual...)
                if keyword in stanza_words:
                    stanza = index
                    line = Line(index, stanza_kind, keyword, index, table)
                elif keyword in statement_words or (keyword[:6] == "allow-" and len(keyword) > 6):
                    stanza = -1
                    line = Line(index, statement, keyword, -1, table)
                elif stanza >= 0:
                    line = Line(index, option, keyword, stanza, table)
                else:
                    line = Line(index, unknown, keyword, -1, table)
        append(line)
        add_value(value)
        offset += len(raw)
        lineno += raw.count("\n") if "\\" in raw else 1
    add_start(offset)
    table.templated = marks if marks is not None and any(marks) else None
    return Document(path, text, tuple(lines))


def render(doc: Document) -> bytes:
    return doc.render()
