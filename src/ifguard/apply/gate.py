"""The lint gate of a guarded change: the candidate linted with the host's settings
(``/etc/ifguard/ifguard.toml`` under the root, never a file in the current directory) and
NICs; each file read once, bounded, and the bytes linted are the bytes written."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path

from ifguard.apply.request import ApplyRequest, Candidate
from ifguard.config.source import DEFAULT_INTERFACES
from ifguard.lint.engine import Result
from ifguard.system.errors import UsageError


class Refused(Exception):
    """The candidate is not applied (lint errors); exit status 1."""

    def __init__(self, message: str, result: Result) -> None:
        super().__init__(message)
        self.result = result


class GateFailed(UsageError):
    """The lint gate could not run (unreadable file, bad settings): exit 2, nothing changed
    (a gate that cannot run never lets a change through unchecked)."""


def lint_gate(
    req: ApplyRequest, cand: Candidate, report: Callable[[Result], None] = lambda _r: None
) -> Result:
    """Lint the candidate (the files in place, for a reload), ``report`` the findings, refuse
    on errors unless --force."""
    from ifguard.lint.engine import host_settings, inventory, lint_host

    path = cand.lint_path or req.root.path(DEFAULT_INTERFACES)
    try:
        settings = host_settings(req.root)
        result = lint_host(
            req.root, settings, paths=[path], nics=inventory(req.root), dialect=req.dialect
        ).running
    except UsageError as exc:
        raise GateFailed(str(exc)) from None
    report(result)
    if result.errors and not req.force:
        raise Refused(
            f"{path}: {result.errors} lint error(s): nothing was changed (fix them, or "
            "--force to apply anyway)",
            result,
        )
    if result.errors:
        with contextlib.suppress(OSError, ValueError):
            print(
                f"ifguard: WARNING: applying {path} DESPITE {result.errors} lint error(s) "
                "(--force)",
                file=sys.stderr,
                flush=True,
            )
    return result


def warnings(result: Result) -> int:
    from ifguard.config.diagnostic import Severity

    return sum(d.severity is Severity.WARNING for d in result.diagnostics)


def linted_files(result: Result, req: ApplyRequest, main: Path) -> dict[str, bytes]:
    """The candidate as the host will read it (main file at /etc/network/interfaces): the
    bytes lint checked."""
    files: dict[str, bytes] = {}
    for doc in result.loaded.documents:
        p = Path(doc.path)
        files[DEFAULT_INTERFACES if p == main else req.root.system_path(p)] = doc.data
    return files
