"""Alerts: the notification URLs of ``[watch] notify`` (valid, in a file the watcher accepts),
a test notification to each when asked, and alerts the watcher could not deliver."""

from __future__ import annotations

import os
import socket
import stat

from ifguard.config.settingsfile import read_system_file, system_settings_path
from ifguard.doctor import FAIL, OK, WARN, Check, Host
from ifguard.doctor.watcher import UNIT, queue_depth
from ifguard.system.errors import UsageError
from ifguard.watch.queue import Sender
from ifguard.watch.settings import watch_settings

SETTINGS = "/etc/ifguard/ifguard.toml"
ADD_URL = f'add [watch] notify = ["ntfys://ntfy.sh/TOPIC"] to {SETTINGS} (chmod 600)'


def shown(url: str) -> str:
    """A URL as doctor prints it: the scheme only (the rest may hold a token)."""
    scheme, sep, _ = url.partition("://")
    return f"{scheme}://***" if sep else "***"


def checks(host: Host) -> list[Check]:
    name = "notify"
    try:
        settings = watch_settings(read_system_file(host.root))
    except UsageError as exc:
        return [
            Check("alerts", name, FAIL, str(exc), f"edit {SETTINGS} (ifguard watch refuses it)")
        ]
    urls = settings.notify
    if not urls:
        return [
            Check(
                "alerts", name, FAIL, "no notification URL: alerts go to the journal only", ADD_URL
            )
        ]
    private = _private(host)
    if private is not None:
        return [private]
    out: list[Check] = []
    if host.sender is None:
        out.append(
            Check("alerts", name, OK, f"{len(urls)} URL(s) set (not sent: --send-test sends one)")
        )
    else:
        out += [_send(host, n, url) for n, url in enumerate(urls)]
    depth = queue_depth(host)
    if depth:
        out.append(
            Check(
                "alerts",
                "queue",
                WARN,
                f"{depth} alert(s) waiting for delivery: the notification service is unreachable",
                f"journalctl -u {UNIT} -g notification",
            )
        )
    return out


def _private(host: Host) -> Check | None:
    """The file holds tokens: the watcher refuses it unless root owns it, others cannot read."""
    path = system_settings_path(host.root)
    try:
        st = os.stat(path)
    except OSError as exc:
        return Check("alerts", "notify", FAIL, f"{SETTINGS}: {exc.strerror}", f"ls -l {SETTINGS}")
    if st.st_uid != host.owner:
        return Check(
            "alerts",
            "notify",
            FAIL,
            f"{SETTINGS} holds tokens but root does not own it: the watcher refuses it",
            f"chown root:root {SETTINGS}",
        )
    if st.st_mode & (stat.S_IROTH | stat.S_IWOTH | stat.S_IWGRP):
        return Check(
            "alerts",
            "notify",
            FAIL,
            f"{SETTINGS} holds tokens and others can read it (mode {stat.S_IMODE(st.st_mode):04o})"
            ": the watcher refuses it",
            f"chmod 600 {SETTINGS}",
        )
    return None


def _send(host: Host, n: int, url: str) -> Check:
    assert host.sender is not None
    name = f"notify[{n}] {shown(url)}"
    title = f"ifguard doctor on {socket.gethostname()}: test notification"
    body = "A test sent by `ifguard doctor --send-test`: alerts from this host reach you."
    try:
        delivered = host.sender(url).send(title, body)
    except Exception as exc:  # a notification plugin's own failure: one line
        return Check("alerts", name, FAIL, f"test not delivered: {exc}", "check the URL and token")
    if delivered:
        return Check("alerts", name, OK, "test notification delivered")
    return Check(
        "alerts",
        name,
        FAIL,
        "test notification not delivered",
        f"check the URL and token in {SETTINGS}; ifguard watch -v --notify-file FILE shows why",
    )


def apprise_sender(url: str) -> Sender:
    """The watcher's own delivery (apprise, checked in a child first) for one URL."""
    from ifguard.watch.sender import AppriseSender

    sender = AppriseSender([url])
    if sender.check():
        raise ValueError("apprise does not understand this URL")
    return sender
