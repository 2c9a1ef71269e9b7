"""Lint the configuration on every change; turn verdict transitions into alerts.

Pure logic: the linter and the history store are passed in, so tests need no inotify.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple, Protocol

from ifguard.config.diagnostic import Diagnostic, Severity
from ifguard.lint.engine import Result
from ifguard.system.root import Root
from ifguard.watch.alerts import Alert

KEY = "config"
MAX_LISTED = 5


class Store(Protocol):
    def record_version(
        self, files: Mapping[str, bytes], *, source: str, errors: int, warnings: int
    ) -> int: ...


class Verdict(NamedTuple):
    errors: int
    warnings: int
    counts: Mapping[tuple[str, str], int]  # (severity, code) -> count, for metrics
    files: tuple[Path, ...]  # every real file read: what to watch
    version: int | None


def describe(diags: list[Diagnostic], root: Root) -> str:
    lines = []
    for d in diags[:MAX_LISTED]:
        path = root.system_path(Path(d.span.path))
        lines.append(f"{path}:{d.span.line}:{d.span.column}: {d.code} {d.message}")
    if len(diags) > MAX_LISTED:
        lines.append(f"... and {len(diags) - MAX_LISTED} more (run `ifguard lint`)")
    return "\n".join(lines)


class ConfigMonitor:
    def __init__(self, lint: Callable[[], Result], root: Root, store: Store | None) -> None:
        self.lint, self.root, self.store = lint, root, store
        self.broken: bool | None = None  # unknown until the first check

    def check(self) -> tuple[Verdict, list[Alert]]:
        result = self.lint()
        diags = list(result.diagnostics)
        errors = [d for d in diags if d.severity is Severity.ERROR]
        warnings = sum(1 for d in diags if d.severity is Severity.WARNING)
        files = tuple(Path(doc.path) for doc in result.loaded.documents)
        version = None
        if self.store is not None and result.loaded.documents:
            contents = {
                self.root.system_path(Path(doc.path)): doc.data for doc in result.loaded.documents
            }
            version = self.store.record_version(
                contents, source="watch", errors=len(errors), warnings=warnings
            )
        counts = Counter((str(d.severity), d.code) for d in diags)
        verdict = Verdict(len(errors), warnings, dict(counts), files, version)
        alerts: list[Alert] = []
        broken = bool(errors)
        if broken and self.broken is not True:
            pending = any(p.name == "interfaces.new" for p in (Path(d.span.path) for d in errors))
            what = "pending interfaces.new" if pending else "network configuration"
            alerts.append(
                Alert(
                    KEY, "firing", f"{what} has {len(errors)} error(s)", describe(errors, self.root)
                )
            )
        elif not broken and self.broken is True:
            alerts.append(
                Alert(
                    KEY,
                    "resolved",
                    "network configuration is clean again",
                    "ifguard lint finds no errors.",
                )
            )
        self.broken = broken
        return verdict, alerts
