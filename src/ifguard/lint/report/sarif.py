"""``--format sarif``: SARIF 2.1.0 for code-scanning dashboards."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ifguard import __version__
from ifguard.config.diagnostic import Diagnostic, Severity
from ifguard.config.parse import Document
from ifguard.lint.report import utf8

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    p = Path(path)
    return p.as_uri() if p.is_absolute() else path


def render(diagnostics: Sequence[Diagnostic], documents: Sequence[Document]) -> str:
    from ifguard.lint.rules import RULES  # the full table, so rule indexes are stable

    index = {r.code: i for i, r in enumerate(RULES)}
    rules = [
        {
            "id": r.code,
            "name": r.name,
            "shortDescription": {"text": r.summary or r.name},
            "fullDescription": {"text": r.doc or r.name},
            "defaultConfiguration": {"level": _LEVEL[r.severity]},
            "helpUri": f"https://ifguard.invalid/rules/{r.code}",
        }
        for r in RULES
    ]
    results: list[dict[str, Any]] = []
    for d in diagnostics:
        result: dict[str, Any] = {
            "ruleId": d.code,
            "level": _LEVEL[d.severity],
            "message": {"text": d.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(d.path)},
                        "region": {
                            "startLine": d.line,
                            "startColumn": d.column,
                            "endLine": d.end_line,
                            "endColumn": max(d.end_column, 1),
                        },
                    }
                }
            ],
        }
        if d.config is not None:
            result["properties"] = {"config": d.config}
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        results.append(result)
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "ifguard",
                        "version": __version__,
                        "informationUri": "https://ifguard.invalid/",
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return utf8(json.dumps(log, indent=2, ensure_ascii=False) + "\n")
