"""Delivery of alerts through apprise.

apprise costs about 20 MB and half a second to import (it loads every plugin), so the daemon
does not import it at start: the URLs are checked, and their redacted forms computed, by
apprise in a child process; apprise itself is loaded into the daemon in the background
once it is idle (``preload``), or at the latest by the first alert.

apprise logs notification payloads (and URLs with their tokens) at debug level: its logger
is kept at WARNING whatever ``-v`` says, and what it does log passes through ``redact``.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
from collections.abc import Sequence
from typing import Any

log = logging.getLogger("ifguard.watch")

# run in a child at start: apprise parses the URLs without being loaded into the daemon
_CHECK_URLS = """
import json, sys, logging
logging.disable(logging.CRITICAL)
import apprise
from ifguard.watch.secrets import redact
urls = json.load(sys.stdin)
print(json.dumps([[bool(apprise.Apprise().add(u)), redact(u)] for u in urls]))
"""


class _Redacting(logging.Filter):
    """Whatever apprise logs at WARNING and above: URLs in it are redacted."""

    def __init__(self, urls: Sequence[str], shown: Sequence[str]) -> None:
        super().__init__()
        self.pairs = sorted(zip(urls, shown, strict=True), key=lambda p: -len(p[0]))

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        for url, shown in self.pairs:
            text = text.replace(url, shown)
        record.msg, record.args = text, None
        return True


def quiet_apprise(urls: Sequence[str] = (), shown: Sequence[str] = ()) -> None:
    """Never route apprise's debug/info logging (payloads, tokens)."""
    logger = logging.getLogger("apprise")
    logger.setLevel(logging.WARNING)
    for f in list(logger.filters):
        if isinstance(f, _Redacting):
            logger.removeFilter(f)
    logger.addFilter(_Redacting(urls, shown))


class AppriseSender:
    def __init__(self, urls: Sequence[str]) -> None:
        self.urls = list(urls)
        self.empty = not self.urls
        self.shown = ["***"] * len(self.urls)  # redacted forms, known after check()
        self._apprise: Any = None
        self._lock = threading.Lock()

    def check(self) -> list[str]:
        """Check the URLs with apprise in a child; returns the redacted forms of the URLs
        apprise does not understand (and remembers every URL's redacted form)."""
        if self.empty:
            return []
        done = subprocess.run(
            [sys.executable, "-c", _CHECK_URLS],
            input=json.dumps(self.urls),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        try:
            verdicts = json.loads(done.stdout)
            self.shown = [str(shown) for _ok, shown in verdicts]
            bad = [str(shown) for ok, shown in verdicts if not ok]
        except (ValueError, TypeError):
            log.error("could not check the notification URLs: %s", done.stderr.strip()[-200:])
            return []
        quiet_apprise(self.urls, self.shown)
        return bad

    def preload(self) -> None:
        """Import apprise and parse the URLs now (the daemon calls this once idle)."""
        if not self.empty:
            self._load()

    def _load(self) -> Any:
        with self._lock:
            if self._apprise is None:
                quiet_apprise(self.urls, self.shown)
                import apprise

                obj = apprise.Apprise()
                for url in self.urls:
                    obj.add(url)
                self._apprise = obj
            return self._apprise

    def send(self, title: str, body: str) -> bool:
        if self.empty:
            return True
        return bool(self._load().notify(title=title, body=body))
