"""``[watch]`` of the settings file (``config.settingsfile``): validated here, on its own,
so a mistake in it stops the watcher and never the lint gate. Notification URLs hold tokens:
they are checked, never echoed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from ifguard.config.settingsfile import SettingsFile
from ifguard.system.errors import UsageError

_KEYS = {"notify"}


class WatchSettings(NamedTuple):
    notify: tuple[str, ...] = ()  # apprise URLs


def watch_section(data: Mapping[str, Any], source: str) -> WatchSettings:
    """``[watch] notify = ["ntfys://...", ...]`` of a settings file's mapping ``data``."""
    table = data.get("watch", {})
    if not isinstance(table, dict):
        raise UsageError(f"{source}: `watch` must be a table ([watch])")
    unknown = set(table) - _KEYS
    if unknown:
        raise UsageError(
            f"{source}: unknown setting(s) in [watch]: {', '.join(sorted(unknown))} "
            f"(known: {', '.join(sorted(_KEYS))})"
        )
    notify = table.get("notify", [])
    if not isinstance(notify, list) or not all(isinstance(u, str) for u in notify):
        raise UsageError(f"{source}: [watch] `notify` must be a list of URL strings")
    for n, url in enumerate(notify):
        scheme, sep, rest = url.partition("://")
        if not sep or not scheme or not rest or any(c.isspace() for c in url):
            raise UsageError(
                f"{source}: [watch] notify[{n}] is not a notification URL (scheme://...)"
            )
    return WatchSettings(tuple(notify))


def watch_settings(file: SettingsFile) -> WatchSettings:
    return watch_section(file.data, file.source)
