"""What the real agetty shows of an issue file: the console tests compare it with the text."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import require_tool


def agetty_shows(issue: Path) -> str:
    """The issue text the real agetty prints for ``issue`` (a file or an issue.d directory) with
    --show-issue, in a pseudo-terminal made by script(1); line ends as ``\\n``."""
    agetty = require_tool("agetty", "util-linux")
    script = require_tool("script", "bsdutils")
    return subprocess.run(
        [script, "-qc", f"{agetty} --show-issue --issue-file {issue}", "/dev/null"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout.replace("\r\n", "\n")
