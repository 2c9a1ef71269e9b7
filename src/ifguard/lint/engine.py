"""The lint pipeline: load, model, rules, filter (settings, suppressions), sorted diagnostics."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from ifguard.config import dialect as dialects
from ifguard.config.diagnostic import Diagnostic, Severity
from ifguard.config.lazyre import lazy
from ifguard.config.model import Config, build
from ifguard.config.parse import Document, Kind
from ifguard.config.settings import Settings
from ifguard.config.source import Loaded, load
from ifguard.lint.rules import RULES, Context, Rule
from ifguard.system.root import Root

_SUPPRESS = lazy(r"#\s*ifguard:\s*(ignore-file|ignore)(?:\[([^\]]*)\])?", re.I)


class Result(NamedTuple):
    loaded: Loaded
    config: Config
    dialect: dialects.Dialect
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)


def inventory(root: Root) -> frozenset[str] | None:
    """NIC names from ``/sys/class/net`` under the root, or None when it is not there."""
    net = root.path("/sys/class/net")
    try:
        return frozenset(p.name for p in net.iterdir())
    except OSError:
        return None


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


def run_rules(ctx: Context, rules: Sequence[Rule], settings: Settings) -> list[Diagnostic]:
    suppress = Suppressions(ctx.documents)
    out: list[Diagnostic] = []
    for r in rules:
        if not settings.enabled(r.code, r.name):
            continue
        if ctx.dialect not in r.dialects:
            continue
        default = settings.severity.get(r.code) or settings.severity.get(r.name)
        for f in r.run(ctx):
            diag = Diagnostic(
                f.span, r.code, r.name, default or f.severity or r.severity, f.message, f.fix
            )
            if settings.ignored_in(diag.path, r.code, r.name) or suppress.covers(diag):
                continue
            out.append(diag)
    out.sort(key=Diagnostic.sort_key)
    return out


def lint_loaded(
    loaded: Loaded,
    settings: Settings,
    *,
    dialect: str | None = None,
    nics: frozenset[str] | None = None,
) -> Result:
    config = build(loaded.documents)
    chosen = dialect or settings.dialect
    detected = dialects.Dialect(chosen) if chosen else dialects.detect(loaded.documents)
    ctx = Context(loaded, config, detected, nics)
    return Result(loaded, config, detected, tuple(run_rules(ctx, RULES, settings)))


def lint_paths(
    paths: Sequence[Path] | None,
    root: Root,
    settings: Settings,
    *,
    dialect: str | None = None,
    follow: bool = True,
) -> Result:
    loaded = load(paths, root, follow=follow)
    return lint_loaded(loaded, settings, dialect=dialect, nics=inventory(root))
