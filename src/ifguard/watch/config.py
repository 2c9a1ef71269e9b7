"""Lint the configuration on every change; turn verdict transitions into alerts.

Pure logic: the linter is passed in, so tests need no inotify. Recording the version in the
history is the watcher's job, after the alerts are raised (a locked store must not delay them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple

from ifguard.config.diagnostic import Diagnostic, Severity
from ifguard.lint.engine import HostResult
from ifguard.system.errors import UsageError
from ifguard.system.root import Root
from ifguard.watch.alerts import Alert

KEY = "config"
MAX_LISTED = 5


class Verdict(NamedTuple):
    errors: int
    warnings: int
    counts: Mapping[tuple[str, str], int]  # (severity, code) -> count, for metrics
    files: tuple[Path, ...]  # every real file read: what to watch
    contents: Mapping[str, bytes]  # path as the host sees it -> bytes, for the history


def describe(diags: list[Diagnostic], root: Root) -> str:
    lines = []
    for d in diags[:MAX_LISTED]:
        path = root.system_path(Path(d.span.path))
        lines.append(f"{path}:{d.span.line}:{d.span.column}: {d.code} {d.labelled_message}")
    if len(diags) > MAX_LISTED:
        lines.append(f"... and {len(diags) - MAX_LISTED} more (run `ifguard lint`)")
    return "\n".join(lines)


class ConfigMonitor:
    def __init__(self, lint: Callable[[], HostResult], root: Root) -> None:
        self.lint, self.root = lint, root
        self.broken: bool | None = None  # unknown until the first check
        self.last: HostResult | None = None  # the last lint result (for the status summary)

    def check(self) -> tuple[Verdict, list[Alert]]:
        try:
            result = self.last = self.lint()
        except UsageError as exc:  # a main file past a limit (size, lines), a loop...
            return self._unreadable(str(exc))
        diags = list(result.diagnostics)
        errors = [d for d in diags if d.severity is Severity.ERROR]
        warnings = sum(1 for d in diags if d.severity is Severity.WARNING)
        files = tuple(Path(doc.path) for doc in result.loaded.documents)
        contents = {
            str(self.root.system_path(Path(doc.path))): doc.data for doc in result.loaded.documents
        }
        counts = Counter((str(d.severity), d.code) for d in diags)
        verdict = Verdict(len(errors), warnings, dict(counts), files, contents)
        alerts: list[Alert] = []
        broken = bool(errors)
        if broken and self.broken is not True:
            pending = all(d.config == "pending" for d in errors)
            what = "pending interfaces.new" if pending else "network configuration"
            alerts.append(
                Alert(
                    KEY, "firing", f"{what} has {len(errors)} error(s)", describe(errors, self.root)
                )
            )
        elif not broken and self.broken is not False:  # (None: the first check after a
            # start: the alerter drops it unless the receiver was last told "firing")
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

    def _unreadable(self, why: str) -> tuple[Verdict, list[Alert]]:
        """The configuration could not be read at all: an error (what it holds was not
        checked), alerted like one, with the one line that says why; the watcher goes on."""
        self.last = None
        alerts: list[Alert] = []
        if self.broken is not True:
            title = "network configuration has 1 error(s)"
            alerts.append(Alert(KEY, "firing", title, f"cannot be checked: {why}"))
        self.broken = True
        return Verdict(1, 0, {("error", "IFG201"): 1}, (), {}), alerts
