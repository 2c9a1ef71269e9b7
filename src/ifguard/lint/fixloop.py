"""``ifguard lint --fix``: apply the safe fixes until nothing changes, with backups.

Overlapping fixes (CRLF conversion over a removed line) are left for a later pass: repeat
fix -> re-lint until nothing changes, so one ``--fix`` is enough. Each write is locked and
checked against the bytes this run read (a concurrent run or an editor changed the file: lint
it again); the backup is taken before the first write only, so it always holds the bytes that
were there before this run changed anything.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ifguard.lint import fixer
from ifguard.lint.engine import HostResult
from ifguard.system.errors import UsageError
from ifguard.system.fsutil import FileChanged, replace_checked
from ifguard.system.readfile import describe
from ifguard.system.sanitize import printable

FIX_PASSES = 5
RETRIES = 20  # concurrent --fix runs on one file: each re-lints what the winner wrote


def fix_until_stable(
    result: HostResult, again: Callable[[], HostResult], say: Callable[[str], None]
) -> HostResult:
    """Write the fixes of ``result``, re-lint with ``again``, repeat while there is something
    to fix (at most ``FIX_PASSES`` + ``RETRIES`` rounds). ``say`` gets one line per file
    fixed. Returns the last result; a file that cannot be written is a ``UsageError``."""
    fixed = fixer.fix(result.loaded.documents, result.diagnostics)
    backed_up: set[str] = set()
    for _ in range(FIX_PASSES + RETRIES):
        if not fixed:
            break
        for f in fixed:
            path = f.document.path
            try:
                replace_checked(Path(path), f.document.data, f.data, backup=path not in backed_up)
            except FileChanged:
                break  # lint what is there now
            except OSError as exc:
                raise UsageError(
                    f"{path}: cannot write the fix ({describe(exc)}); the file is unchanged"
                ) from None
            backed_up.add(path)
            say(printable(f"fixed {f.applied} problem(s) in {path}"))
        result = again()
        fixed = fixer.fix(result.loaded.documents, result.diagnostics)
    return result
