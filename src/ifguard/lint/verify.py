"""Proof that a fix is safe: the file after it means what it meant before, minus exactly what
the fix set out to remove.

The *meaning* of a document is what ifupdown reads from it, line by line: every line that is
not blank or a comment, as (kind, owning stanza, words). An option's owner is the ordinal of
its stanza, so an option that moves to another stanza (the line that ended the stanza was
removed) changes the meaning even though its words did not.

What a fix means to remove is derived from its edits: a line an edit deletes entirely is
removed (and must be gone); a line an edit only changes (a CR, a BOM, a control character, a
repeated name) must keep its kind and its owner - its words may change, or it may become
blank - and every other line must be left exactly as it was, in the same order. A fix that
touches a template line (or a line a template renders) is never safe.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ifguard.config.diagnostic import Edit
from ifguard.config.parse import Document, Kind, Line, parse

_SKIPPED = (Kind.BLANK, Kind.COMMENT)


class Item(NamedTuple):
    kind: Kind
    owner: int  # ordinal of the owning stanza (options), -1 otherwise
    text: str | None  # the words as read; None: may change (a line the fix edits)


def _text(line: Line) -> str:
    if line.kind is Kind.TEMPLATE:
        return line.body.replace("\r", "").strip()
    return " ".join(w.replace("\ufeff", "").replace("\r", "") for w in line.words)


def meaning(doc: Document) -> list[Item]:
    """What ifupdown reads from ``doc``, line by line."""
    out: list[Item] = []
    ordinal = -1
    ordinals: dict[int, int] = {}
    for line in doc.lines:
        if line.kind in _SKIPPED:
            continue
        if line.kind is Kind.STANZA:
            ordinal += 1
            ordinals[line.seq] = ordinal
        owner = ordinals.get(line.stanza, -2) if line.kind is Kind.OPTION else -1
        out.append(Item(line.kind, owner, _text(line)))
    return out


def touches_template(doc: Document, edits: Sequence[Edit]) -> bool:
    """Whether an edit touches a template line or a line a template renders (also as read
    without a leading byte-order mark: `\ufeff<%` opens a block once the BOM is removed)."""
    if doc.text.startswith("\ufeff"):
        plain = parse(doc.text[1:], doc.path)
        shifted = [
            e._replace(start=max(0, e.start - 1), end=max(0, e.end - 1))
            for e in edits
            if (e.start, e.end) != (0, 1)
        ]
        if _touches(plain, shifted):
            return True
    return _touches(doc, edits)


def _touches(doc: Document, edits: Sequence[Edit]) -> bool:
    if doc.lines and doc.lines[0].table.templated is None and "%" not in doc.text:
        return False
    for e in edits:
        first = doc.line_at(e.start)
        last = doc.line_at(max(e.start, e.end - 1))
        if any(doc.lines[i].templated for i in range(first.seq, last.seq + 1)):
            return True
    return False


def expected(doc: Document, edits: Sequence[Edit]) -> list[tuple[Item, bool]]:
    """The meaning the document must have after ``edits``: (item, optional) per kept line;
    ``optional`` lines (edited, not deleted) may vanish."""
    deleted: set[int] = set()
    changed: set[int] = set()
    for e in edits:
        first = doc.line_at(e.start).seq
        last = doc.line_at(max(e.start, e.end - 1)).seq
        for seq in range(first, last + 1):
            line = doc.lines[seq]
            if not e.replacement and e.start <= line.start and e.end >= line.end:
                deleted.add(seq)
            else:
                changed.add(seq)
    changed -= deleted
    out: list[tuple[Item, bool]] = []
    ordinal = -1
    ordinals: dict[int, int] = {}
    for line in doc.lines:
        if line.seq in deleted:
            continue
        edited = line.seq in changed
        if line.kind in _SKIPPED and not edited:
            continue
        if line.kind is Kind.STANZA:
            ordinal += 1
            ordinals[line.seq] = ordinal
        owner = ordinals.get(line.stanza, -2) if line.kind is Kind.OPTION else -1
        if line.kind in _SKIPPED:  # an edited comment may stay one (or become nothing)
            continue
        out.append((Item(line.kind, owner, None if edited else _text(line)), edited))
    return out


def keeps_meaning(doc: Document, edits: Sequence[Edit], after_text: str) -> bool:
    """True when the text after ``edits`` means what ``doc`` meant minus what they remove.
    A leading byte-order mark is an encoding artefact, not part of the meaning: removing it
    is compared as if the file had been read without it."""
    bom = [e for e in edits if (e.start, e.end, e.replacement) == (0, 1, "")]
    if bom and doc.text.startswith("\ufeff"):
        doc = parse(doc.text[1:], doc.path)
        edits = [e._replace(start=e.start - 1, end=e.end - 1) for e in edits if e not in bom]
    want = expected(doc, edits)
    got = meaning(parse(after_text, doc.path))
    j = 0
    for item, optional in want:
        if j < len(got) and _same(item, got[j]):
            j += 1
        elif not optional:
            return False
    return j == len(got)


def _same(want: Item, got: Item) -> bool:
    return (
        want.kind is got.kind
        and want.owner == got.owner
        and (want.text is None or want.text == got.text)
    )
