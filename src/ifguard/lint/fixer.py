"""Apply fixes: collect the edits of safe fixes, drop overlapping ones, rewrite the text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ifguard.config.diagnostic import Diagnostic, Edit
from ifguard.config.parse import Document


@dataclass(frozen=True)
class FixedFile:
    document: Document
    text: str
    applied: int  # number of diagnostics whose fix was applied

    @property
    def data(self) -> bytes:
        return self.text.encode("utf-8", "surrogateescape")

    def diff(self) -> str:
        import difflib

        old = self.document.text.splitlines(keepends=True)
        new = self.text.splitlines(keepends=True)
        return "".join(difflib.unified_diff(old, new, self.document.path, self.document.path))


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    out: list[str] = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[pos : e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def fix(
    documents: Sequence[Document], diagnostics: Sequence[Diagnostic], *, unsafe: bool = False
) -> list[FixedFile]:
    """The fixed text of every document some safe fix touches (first fix wins on overlap)."""
    by_path = {d.path: d for d in documents}
    chosen: dict[str, list[Edit]] = {}
    counts: dict[str, int] = {}
    for diag in diagnostics:
        if diag.fix is None or not (diag.fix.safe or unsafe) or not diag.fix.edits:
            continue
        edits = diag.fix.edits
        if any(_overlaps(e, t) for e in edits for t in chosen.get(e.path, [])):
            continue
        for e in edits:
            chosen.setdefault(e.path, []).append(e)
        counts[edits[0].path] = counts.get(edits[0].path, 0) + 1
    return [
        FixedFile(by_path[p], apply_edits(by_path[p].text, edits), counts.get(p, 0))
        for p, edits in chosen.items()
        if p in by_path and edits
    ]


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.path != b.path:
        return False
    return (a.start < b.end and b.start < a.end) or a.start == b.start
