"""docs/console.md shows what the code shows: its 80x25 capture is the output of
scripts/console-capture.py (the real lint, publisher and agetty)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO, require_tool


@pytest.mark.slow
def test_console_capture_in_the_docs_is_current() -> None:
    require_tool("agetty", "util-linux")
    require_tool("script", "bsdutils")
    capture = subprocess.run(
        [sys.executable, str(REPO / "scripts/console-capture.py")],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    lines = capture.splitlines()
    assert len(lines) == 27 and all(len(line) == 82 for line in lines)  # 80x25 in a frame
    assert "ifguard restore 12" in capture and "pve login:" in capture
    docs = (REPO / "docs/console.md").read_text()
    assert capture in docs, "regenerate: python3 scripts/console-capture.py"
