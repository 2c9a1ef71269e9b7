"""Notification URLs hold tokens: where they are read from, and how they are shown.

URLs come from ``[watch] notify = [...]`` in the system settings file and from
``--notify-file`` files (one URL per line, ``#`` comments), which must be owned by root and
not readable by others, so that no token is on a command line (``ps``) or in a file any
local user can read. ``--notify URL`` stays for tests and one-off runs.

``redact()`` shows a URL the way apprise itself does with ``url(privacy=True)`` on the
parsed plugin (each plugin knows which of its parts are secret), then conservatively: the
query string is dropped (headers ``+X-Api-Key=``, ``-token=`` and ``?auth=`` values are
secrets apprise leaves visible), the path of the generic webhook schemes is hidden, and a URL
apprise cannot parse is shown as ``scheme://***``.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from ifguard.system.errors import UsageError

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*)://", re.IGNORECASE)
# apprise schemes whose path is the receiver's own (a webhook path is often its secret)
_GENERIC = {"json", "jsons", "xml", "xmls", "form", "forms"}


def _fallback(url: str) -> str:
    m = _SCHEME.match(url)
    return f"{m.group(1).lower()}://***" if m else "***"


def redact(url: str) -> str:
    """A URL as it may be logged or shown: no credential, token, header or secret path."""
    try:
        import apprise

        plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
        shown = plugin.url(privacy=True) if plugin else None  # type: ignore[no-untyped-call]
    except Exception:  # apprise could not parse it: show the scheme only
        shown = None
    if not isinstance(shown, str) or not _SCHEME.match(shown):
        return _fallback(url)
    scheme, _, rest = shown.partition("://")
    rest = rest.split("?", 1)[0].rstrip("/")
    if scheme.lower() in _GENERIC:
        authority, sep, _path = rest.partition("/")
        rest = authority + ("/***" if sep else "")
    return f"{scheme}://{rest}" + ("?***" if "?" in url else "")


def check_private(path: Path, what: str) -> None:
    """Refuse a file holding secrets unless root owns it and others cannot read it."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read {what}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise UsageError(f"{path}: {what} is not a regular file")
    if st.st_uid != 0:
        raise UsageError(f"{path}: holds {what} but is not owned by root: refused")
    if st.st_mode & (stat.S_IROTH | stat.S_IWOTH | stat.S_IWGRP):
        raise UsageError(
            f"{path}: holds {what} but others can read or write it "
            f"(mode {stat.S_IMODE(st.st_mode):04o}): refused; chmod 600 it"
        )


def read_notify_file(path: Path) -> list[str]:
    """One URL per line; blank lines and ``#`` comments are skipped."""
    check_private(path, "notification URLs")
    try:
        with path.open("rb") as fh:
            data = fh.read(1 << 20)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode()
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text") from None
    urls = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not _SCHEME.match(line) or any(c.isspace() for c in line):
            raise UsageError(f"{path}:{n}: not a notification URL ({_fallback(line)})")
        urls.append(line)
    return urls
