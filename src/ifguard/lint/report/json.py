"""``--format json``: ``{"diagnostics": [...]}`` with 1-based positions, no colour, stable order."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ifguard.config.diagnostic import Diagnostic, Fix
from ifguard.config.parse import Document
from ifguard.lint.report import utf8


def fix_dict(fix: Fix | None, documents: Sequence[Document]) -> dict[str, Any] | None:
    if fix is None:
        return None
    by_path = {d.path: d for d in documents}
    edits = []
    for e in fix.edits:
        doc = by_path.get(e.path)
        start = doc.position(e.start) if doc else (0, 0)
        end = doc.position(e.end) if doc else (0, 0)
        edits.append(
            {
                "path": e.path,
                "line": start[0],
                "column": start[1],
                "end_line": end[0],
                "end_column": end[1],
                "replacement": e.replacement,
            }
        )
    return {"description": fix.description, "safe": fix.safe, "edits": edits}


def as_dict(d: Diagnostic, documents: Sequence[Document]) -> dict[str, Any]:
    return {
        "path": d.path,
        "line": d.line,
        "column": d.column,
        "end_line": d.end_line,
        "end_column": d.end_column,
        "code": d.code,
        "name": d.name,
        "severity": d.severity.value,
        "message": d.message,
        "config": d.config,
        "fix": fix_dict(d.fix, documents),
    }


def render(diagnostics: Sequence[Diagnostic], documents: Sequence[Document]) -> str:
    payload = {"diagnostics": [as_dict(d, documents) for d in diagnostics]}
    return utf8(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
