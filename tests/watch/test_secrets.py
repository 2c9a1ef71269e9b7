"""Notification URLs: redacted the way apprise knows its URLs, read only from private files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ifguard.system.errors import UsageError
from ifguard.watch.secrets import read_notify_file, redact
from ifguard.watch.settings import watch_section

# (url, the secret parts that must not show)
SHAPES = [
    ("pover://user@TOKENTOKENTOKENTOKENTOKEN123", ["TOKENTOKEN", "user"]),
    ("pbul://o.ACCESSTOKENACCESSTOKEN1234", ["ACCESSTOKEN"]),
    ("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7F", ["T1JJ3T3L2", "A1BRTD4JD", "TIiajk"]),
    ("join://abcdefghijklmnopqrstuvwxyz123456/dev", ["abcdefghijklmn", "opqrstuvwxyz"]),
    ("join://KEY/dev", ["KEY"]),  # apprise cannot parse it: the fallback
    ("json://alerts.example/hook?auth=SECRETAUTH", ["SECRETAUTH"]),
    ("json://alerts.example/hook?+X-Api-Key=SECRETHEADER", ["SECRETHEADER"]),
    ("json://user:pw@alerts.example/p?-token=SECRETPARAM", ["SECRETPARAM", ":pw@"]),
    ("json://alerts.example/services/T0/B0/SECRETPATH", ["SECRETPATH"]),
    ("tgram://123456789:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi/987", ["ABCDEFGHIJ", "123456789:"]),
    ("mailtos://user:secret@mail.example.org", ["secret"]),
    ("ntfys://admin:s3cr3t@ntfy.sh/topic", ["s3cr3t"]),
    ("gotifys://gotify.example/AbCdEfGhIjKlMnO", ["AbCdEfGhIjKlMnO"]),
    ("nosuchscheme://user:pass@host/TOKEN", ["pass", "TOKEN"]),
]


@pytest.mark.slow
@pytest.mark.parametrize(("url", "secrets"), SHAPES)
def test_redact_shows_no_secret(url: str, secrets: list[str]) -> None:
    shown = redact(url)
    assert shown.split("://")[0] == url.split("://")[0]
    for secret in secrets:
        assert secret not in shown, shown


@pytest.mark.slow
def test_redact_keeps_what_helps_an_admin() -> None:
    assert redact("json://127.0.0.1:8080/hook").startswith("json://127.0.0.1:8080/")
    assert "mail.example.org" in redact("mailtos://user:secret@mail.example.org")
    assert "ntfy.sh" in redact("ntfys://admin:s3cr3t@ntfy.sh/topic")


def _write(path: Path, text: str, mode: int) -> Path:
    path.write_text(text)
    os.chmod(path, mode)
    return path


def test_notify_file_one_url_a_line(tmp_path: Path) -> None:
    f = _write(tmp_path / "n", "# ops\n\njson://127.0.0.1:1/x\n  ntfys://ntfy.sh/t  \n", 0o600)
    assert read_notify_file(f) == ["json://127.0.0.1:1/x", "ntfys://ntfy.sh/t"]
    assert read_notify_file(_write(tmp_path / "g", "json://h/x\n", 0o640)) == ["json://h/x"]


@pytest.mark.parametrize("mode", [0o644, 0o604, 0o620])
def test_notify_file_readable_by_others_is_refused(tmp_path: Path, mode: int) -> None:
    f = _write(tmp_path / "n", "json://h/TOKEN\n", mode)
    with pytest.raises(UsageError, match="refused") as exc:
        read_notify_file(f)
    assert "TOKEN" not in str(exc.value)


def test_notify_file_not_owned_by_root_is_refused(tmp_path: Path) -> None:
    f = _write(tmp_path / "n", "json://h/TOKEN\n", 0o600)
    os.chown(f, 65534, 65534)
    with pytest.raises(UsageError, match="not owned by root"):
        read_notify_file(f)


def test_notify_file_bad_line_names_the_line_not_the_secret(tmp_path: Path) -> None:
    f = _write(tmp_path / "n", "json://h/x\nnot a url TOKEN\n", 0o600)
    with pytest.raises(UsageError, match=r":2: not a notification URL") as exc:
        read_notify_file(f)
    assert "TOKEN" not in str(exc.value)
    with pytest.raises(UsageError, match="not a regular file"):
        read_notify_file(tmp_path)


def test_watch_table_is_validated() -> None:
    s = watch_section({"watch": {"notify": ["json://h/x"]}, "select": ["ALL"]}, "f.toml")
    assert s.notify == ("json://h/x",)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"watch": "json://h/x"}, "must be a table"),
        ({"watch": {"notfy": []}}, "unknown setting.*notfy"),
        ({"watch": {"notify": "json://h/x"}}, "list of URL strings"),
        ({"watch": {"notify": [1]}}, "list of URL strings"),
        ({"watch": {"notify": ["SECRET no scheme"]}}, r"notify\[0\] is not"),
    ]
    for bad, msg in cases:
        with pytest.raises(UsageError, match=msg) as exc:
            watch_section(bad, "f.toml")
        assert "SECRET" not in str(exc.value)


@pytest.mark.slow
def test_apprise_debug_logging_never_shows_a_token(tmp_path: Path) -> None:
    """At -vv the root logger is at DEBUG: apprise's payload/URL logging must not pass."""
    code = r"""
import logging, sys
logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
from ifguard.watch.sender import AppriseSender
s = AppriseSender(["json://127.0.0.1:9/hook?+X-Api-Key=SECRETHEADER", "ntfy://u:SECRETPW@127.0.0.1:9/t"])
s.check()
s.send("title SECRETBODY?", "body")
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "SECRETHEADER" not in done.stderr and "SECRETPW" not in done.stderr
    assert "SECRETBODY" not in done.stderr  # no payload logging
