"""Delivery of alerts through apprise.

apprise costs about 20 MB and half a second to import (it loads every plugin), so the daemon
does not import it: the URLs are parsed, checked and redacted by apprise in a child process
at start. For the generic webhooks (``json://``, ``jsons://``, without payload re-mapping or
another method) the child returns apprise's own parse - host, port, path, query parameters,
headers, credentials, timeouts - and the daemon POSTs apprise's JSON payload itself with
http.client: the first alert costs no import. Every other URL is delivered by apprise,
imported on the first alert or earlier in the background (``preload``).

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

def plan(url):
    p = apprise.Apprise.instantiate(url, suppress_exceptions=True)
    if type(p).__name__ != "NotifyJSON" or p.payload_extras or p.method != "POST":
        return None
    return {
        "secure": bool(p.secure), "host": p.host, "port": p.port, "path": p.fullpath or "/",
        "params": dict(p.params), "verify": bool(p.verify_certificate),
        "headers": {"User-Agent": p.app_id, "Content-Type": "application/json", **p.headers},
        "auth": [p.user, p.password or ""] if p.user else None,
        "version": getattr(p, "json_version", "1.0"),  # apprise < 1.6 (Debian 12): always 1.0
        "timeout": max(p.socket_connect_timeout, p.socket_read_timeout),
    }

urls = json.load(sys.stdin)
print(json.dumps([[bool(apprise.Apprise().add(u)), redact(u), plan(u)] for u in urls]))
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


CHECK_TIMEOUT_S = 60.0


class AppriseSender:
    def __init__(self, urls: Sequence[str]) -> None:
        self.urls = list(urls)
        self.empty = not self.urls
        self.shown = ["***"] * len(self.urls)  # redacted forms, known after check()
        self.plans: list[dict[str, Any] | None] = [None] * len(self.urls)  # the fast path
        self._apprise: Any = None
        self._lock = threading.Lock()

    def check(self) -> list[str]:
        """Check the URLs with apprise in a child; returns the redacted forms of the URLs
        apprise does not understand (and remembers every URL's redacted form)."""
        if self.empty:
            return []
        try:
            done = subprocess.run(
                [sys.executable, "-c", _CHECK_URLS],
                input=json.dumps(self.urls),
                capture_output=True,
                text=True,
                timeout=CHECK_TIMEOUT_S,
                check=False,
            )
        except (subprocess.TimeoutExpired, OSError) as exc:
            # a loaded host at boot (a VM under emulation took longer than a minute): the
            # watcher must start anyway; the URLs are parsed by apprise when first used
            why = "timed out" if isinstance(exc, subprocess.TimeoutExpired) else exc.strerror
            log.error("could not check the notification URLs (%s); they are used unchecked", why)
            return []
        try:
            verdicts = json.loads(done.stdout)
            self.shown = [str(shown) for _ok, shown, _plan in verdicts]
            self.plans = [plan if isinstance(plan, dict) else None for _o, _s, plan in verdicts]
            bad = [str(shown) for ok, shown, _plan in verdicts if not ok]
        except (ValueError, TypeError):
            log.error("could not check the notification URLs: %s", done.stderr.strip()[-200:])
            return []
        quiet_apprise(self.urls, self.shown)
        return bad

    @property
    def needs_apprise(self) -> bool:
        """Some URL is not on the fast path (apprise must be imported to deliver it)."""
        return any(plan is None for plan in self.plans)

    def preload(self) -> None:
        """Import apprise and parse the URLs that need it now (e.g. once the daemon is idle)."""
        if self.needs_apprise:
            self._load()

    def _load(self) -> Any:
        with self._lock:
            if self._apprise is None:
                quiet_apprise(self.urls, self.shown)
                import apprise

                obj = apprise.Apprise()
                for url, plan in zip(self.urls, self.plans, strict=True):
                    if plan is None:
                        obj.add(url)
                self._apprise = obj
            return self._apprise

    def send(self, title: str, body: str) -> bool:
        """Deliver to every URL; True when all of them took it."""
        ok = True
        kind = notify_type(title)
        for n, plan in enumerate(self.plans):
            if plan is None:
                continue
            status = post_json(plan, title, body, self.shown[n], kind)
            if 300 <= status < 400:  # apprise follows redirects: let it deliver this one
                log.info("%s redirects (HTTP %d): delivered through apprise", self.shown[n], status)
                with self._lock:
                    self.plans[n], self._apprise = None, None
            elif not 200 <= status < 300:
                ok = False
        if self.needs_apprise:
            ok = bool(self._load().notify(title=title, body=body, notify_type=kind)) and ok
        return ok


# apprise's notification types: ntfy, Gotify, Slack, Telegram... map them to a priority,
# a colour or an icon. The queue keeps only title and body, so the type is read from the
# title the watcher, the reload gate and the guardian write (watch/*.py, apply/pipeline.py).
_SUCCESS = ("resolved", "network configuration is clean again", "history database available")
_WARNING = ("probe warning:", "cannot check:", "running state differs")


def notify_type(title: str) -> str:
    """``success`` (resolved, healed), ``warning`` (degraded, drift, cannot check) or
    ``failure`` (broken, rolled back, cannot heal) for an alert ``title``."""
    text = title.split("] ", 1)[1] if title.startswith("[") and "] " in title else title
    if text.startswith(_SUCCESS) or text.endswith("(restored and kept)"):
        return "success"
    if text.startswith(_WARNING):
        return "warning"
    return "failure"


def post_json(
    plan: dict[str, Any], title: str, body: str, shown: str, kind: str = "failure"
) -> int:
    """apprise's JSON notification (same payload, headers, auth, parameters), sent with
    http.client; the HTTP status (0: no answer)."""
    import base64
    import http.client
    import ssl
    import urllib.parse

    payload = {"version": plan["version"], "title": title, "message": body}
    payload.update({"attachments": [], "type": kind})
    headers = dict(plan["headers"])
    if plan["auth"]:
        pair = ":".join(plan["auth"]).encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
    path = plan["path"]
    if plan["params"]:
        path += "?" + urllib.parse.urlencode(plan["params"])
    conn: http.client.HTTPConnection
    if plan["secure"]:
        context = ssl.create_default_context()
        if not plan["verify"]:
            context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        conn = http.client.HTTPSConnection(
            plan["host"], plan["port"], timeout=plan["timeout"], context=context
        )
    else:
        conn = http.client.HTTPConnection(plan["host"], plan["port"], timeout=plan["timeout"])
    try:
        conn.request("POST", path, body=json.dumps(payload).encode(), headers=headers)
        status = conn.getresponse().status
    except (OSError, http.client.HTTPException) as exc:
        log.warning("notification to %s failed: %s", shown, exc)
        return 0
    finally:
        conn.close()
    if not 200 <= status < 400:
        log.warning("notification to %s failed: HTTP %d", shown, status)
    return status
