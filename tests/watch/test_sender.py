"""Notification URLs are checked by apprise in a child process; apprise itself is loaded
into the watcher only when the first alert goes out."""

from __future__ import annotations

import subprocess
import sys

from ifguard.watch.sender import AppriseSender


def test_bad_urls_are_found_without_loading_apprise_here() -> None:
    code = (
        "import sys; from ifguard.watch.sender import AppriseSender;"
        "s = AppriseSender(['json://127.0.0.1:9/', 'nosuchscheme://x:TOKEN@h', "
        "'ntfys://u:PW@ntfy.sh/t']);"
        "print(s.check(), s.shown[2], 'apprise' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "['nosuchscheme://***'] ntfys://u:****@ntfy.sh/t False"


def test_no_urls_sends_nothing_and_succeeds() -> None:
    s = AppriseSender([])
    assert s.check() == [] and s.send("t", "b") is True
