"""Suppression comments: ``# ifguard: ignore[CODES]`` covers the next configuration line,
``# ifguard: ignore-file[CODES]`` the whole file; without ``[CODES]``, every rule."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ifguard.config.diagnostic import Diagnostic
from ifguard.config.lazyre import lazy
from ifguard.config.parse import Document, Kind

_SUPPRESS = lazy(r"#\s*ifguard:\s*(ignore-file|ignore)(?:\[([^\]]*)\])?", re.I)


class Suppressions:
    """``# ifguard: ignore[CODES]`` covers the next configuration line; ``ignore-file`` all."""

    def __init__(self, docs: Sequence[Document]) -> None:
        self._lines: dict[tuple[str, int], frozenset[str] | None] = {}
        self._files: dict[str, frozenset[str] | None] = {}
        for doc in docs:
            if "ifguard" in doc.text or _SUPPRESS.search(doc.text):  # (any case)
                self._scan(doc)

    def _scan(self, doc: Document) -> None:
        pending: list[frozenset[str] | None] = []
        for line in doc.lines:
            if line.kind is Kind.COMMENT:
                match = _SUPPRESS.search(line.raw)
                if match:
                    codes = (
                        frozenset(c.strip().lower() for c in match.group(2).split(",") if c.strip())
                        if match.group(2)
                        else None
                    )
                    if match.group(1).lower() == "ignore-file":
                        self._files[doc.path] = _union(
                            self._files.get(doc.path, frozenset()), codes
                        )
                    else:
                        pending.append(codes)
                continue
            if line.kind is Kind.BLANK or not pending:
                continue
            merged: frozenset[str] | None = frozenset()
            for codes in pending:
                merged = _union(merged, codes)
            for n in range(line.physical_lines):
                self._lines[(doc.path, line.lineno + n)] = merged
            pending = []

    def covers(self, diag: Diagnostic) -> bool:
        for codes in (
            self._files.get(diag.path, frozenset()),
            self._lines.get((diag.path, diag.line), frozenset()),
        ):
            if codes is None:
                return True
            if codes and (diag.code.lower() in codes or diag.name in codes):  # any case
                return True
        return False


def _union(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    return None if a is None or b is None else a | b
