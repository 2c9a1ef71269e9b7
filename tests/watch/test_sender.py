"""Notification URLs are checked by apprise in a child process; apprise itself is loaded
into the watcher only when the first alert goes out."""

from __future__ import annotations

import subprocess
import sys

from ifguard.watch.daemon import AppriseSender


def test_bad_urls_are_found_without_loading_apprise_here() -> None:
    code = (
        "import sys; from ifguard.watch.daemon import AppriseSender;"
        "s = AppriseSender(['json://127.0.0.1:9/', 'nosuchscheme://x', 'ntfys://ntfy.sh/t']);"
        "print(s.bad_urls(), 'apprise' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "['nosuchscheme://x'] False"


def test_no_urls_sends_nothing_and_succeeds() -> None:
    s = AppriseSender([])
    assert s.bad_urls() == [] and s.send("t", "b") is True
