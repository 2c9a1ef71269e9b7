"""Apply fixes: collect the edits of safe fixes, drop overlapping ones, rewrite the text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ifguard.config.diagnostic import Diagnostic, Edit
from ifguard.config.parse import Document
from ifguard.lint import verify


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
        from ifguard.system.sanitize import diff_lines

        path = self.document.path
        return diff_lines(difflib.unified_diff(old, new, path, path))


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
    """The fixed text of every document some safe fix touches (first fix wins on overlap).

    Every fix is verified (``ifguard.lint.verify``): a fix touching a template is dropped,
    and the fixes kept for a file must leave its meaning equal to the meaning before minus
    what they remove (re-parsed and compared); a fix that breaks this is dropped, found by
    halving the set (a few re-parses per bad fix, not one per fix). Unsafe fixes (only with
    ``unsafe``: suggestions someone chose to apply) change the meaning by definition and
    are not verified; they still never touch a template."""
    by_path = {d.path: d for d in documents}
    chosen: dict[str, list[tuple[Edit, ...]]] = {}
    unverified: dict[str, list[tuple[Edit, ...]]] = {}  # unsafe fixes the caller asked for
    taken: dict[str, list[Edit]] = {}
    for diag in diagnostics:
        if diag.fix is None or not (diag.fix.safe or unsafe) or not diag.fix.edits:
            continue
        edits = diag.fix.edits
        path = edits[0].path
        doc = by_path.get(path)
        if doc is None or any(e.path != path for e in edits):
            continue
        if any(_overlaps(e, t) for e in edits for t in taken.get(path, [])):
            continue
        if verify.touches_template(doc, edits):
            continue
        taken.setdefault(path, []).extend(edits)
        (chosen if diag.fix.safe else unverified).setdefault(path, []).append(edits)
    out: list[FixedFile] = []
    for path in dict.fromkeys([*chosen, *unverified]):
        doc = by_path[path]
        kept = _verified(doc, [], chosen.get(path, [])) + unverified.get(path, [])
        if kept:
            merged = [e for f in kept for e in f]
            out.append(FixedFile(doc, apply_edits(doc.text, merged), len(kept)))
    return out


def _verified(
    doc: Document, accepted: list[tuple[Edit, ...]], candidates: list[tuple[Edit, ...]]
) -> list[tuple[Edit, ...]]:
    """``accepted`` plus the largest part of ``candidates`` found to keep the meaning."""
    if not candidates:
        return accepted
    trial = accepted + candidates
    edits = [e for f in trial for e in f]
    if verify.keeps_meaning(doc, edits, apply_edits(doc.text, edits)):
        return trial
    if len(candidates) == 1:
        return accepted
    half = len(candidates) // 2
    accepted = _verified(doc, accepted, candidates[:half])
    return _verified(doc, accepted, candidates[half:])


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.path != b.path:
        return False
    return (a.start < b.end and b.start < a.end) or a.start == b.start
