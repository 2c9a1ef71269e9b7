"""Where notifications go, and one alert sent now or queued for the watcher.

``notify_urls`` is the one resolver of notification URLs: ``[watch] notify`` of the system
settings file, then the ``--notify-file`` files, then (for a process that is not the watcher,
``ifguard reload``) the ``--notify``/``--notify-file`` arguments in the ifguard-watch unit's
ExecStart or /etc/ifguard/watch.env's IFGUARD_WATCH_ARGS, then the ``--notify`` URLs given.
Every file holding URLs must be root-owned and unreadable by others (``secrets.py``).
``send_or_queue`` delivers one alert now, else queues it in the watcher's queue.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ifguard.config.settingsfile import SettingsFile, read_system_file, system_settings_path
from ifguard.system.clock import Clock
from ifguard.system.errors import UsageError
from ifguard.system.readfile import read_regular
from ifguard.system.root import Root
from ifguard.watch.secrets import check_private, read_notify_file
from ifguard.watch.settings import watch_settings

WATCH_ENV = "/etc/ifguard/watch.env"
WATCH_UNITS = (
    "/etc/systemd/system/ifguard-watch.service",
    "/lib/systemd/system/ifguard-watch.service",
    "/usr/lib/systemd/system/ifguard-watch.service",
)


def notify_urls(
    root: Root,
    given: Iterable[str] = (),
    files: Iterable[Path] = (),
    *,
    settings: SettingsFile | None = None,
    watcher_unit: bool = False,
) -> tuple[list[str], list[str]]:
    """The URLs, in order and without repeats, and the problems met (an unreadable or unsafe
    source, a bad ``[watch]`` table); ``settings``: the settings file when already read."""
    urls: list[str] = []
    problems: list[str] = []
    try:
        file = settings if settings is not None else read_system_file(root)
        notify = watch_settings(file).notify
        if notify:
            check_private(system_settings_path(root), "notification URLs ([watch] notify)")
            urls += notify
    except UsageError as exc:
        problems.append(str(exc))
    for path in files:
        try:
            urls += read_notify_file(path)
        except UsageError as exc:
            problems.append(str(exc))
    if watcher_unit:
        _from_units(root, urls, problems)
    urls += given
    return list(dict.fromkeys(u for u in urls if u)), problems


def _from_units(root: Root, urls: list[str], problems: list[str]) -> None:
    for system_path in (WATCH_ENV, *WATCH_UNITS):
        try:
            data, _ = read_regular(root.path(system_path), limit=1 << 20)
        except OSError:  # missing, not a regular file, over 1 MiB: not ours to read
            continue
        for line in data.decode("utf-8", "replace").splitlines():
            line = line.strip()
            if not (line.startswith("IFGUARD_WATCH_ARGS=") or line.startswith("ExecStart=")):
                continue
            try:  # systemd splits an unquoted $VAR at whitespace: so do we
                words = [w for part in shlex.split(line.split("=", 1)[1]) for w in part.split()]
            except ValueError:
                continue
            for i, word in enumerate(words):
                option, _, value = word.partition("=")
                if option not in ("--notify", "--notify-file"):
                    continue
                if not value and i + 1 < len(words):
                    value = words[i + 1]
                if option == "--notify":
                    urls.append(value)
                    continue
                try:
                    urls += read_notify_file(root.path(value))
                except UsageError as exc:
                    problems.append(str(exc))


def send_or_queue(
    urls: Sequence[str],
    title: str,
    body: str,
    *,
    queue: Path,
    clock: Clock,
    say: Callable[[str], None],
    key: str = "reload",
) -> bool:
    """Send one alert to ``urls`` now; if that fails, queue it for the watcher (``queue``:
    its alerts.db). True when delivered (or nowhere to send). Never raises: an alert must
    never break what it reports on."""
    from ifguard.watch.queue import Queue
    from ifguard.watch.sender import AppriseSender

    if not urls:
        return True
    try:
        if AppriseSender(urls).send(title, body):
            return True
    except Exception as exc:
        say(f"alert failed: {exc}")
    try:  # the watcher delivers it when it can
        Queue(queue, clock).put(key, title, body)
    except Exception as exc:
        say(f"alert could not be queued either: {exc}")
    return False
