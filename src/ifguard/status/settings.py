"""``[console]`` of the settings file (``config.settingsfile``): the summary on/off, the `wall`
opt-out and its rate (docs/console.md), validated here, on its own: a mistake in it is never
a lint error."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, NamedTuple

from ifguard.config.settingsfile import SettingsFile
from ifguard.system.errors import UsageError


class ConsoleSettings(NamedTuple):
    wall: bool = True  # one `wall` when the network becomes broken
    wall_every: float = 3600.0  # at most one per this many seconds
    publish: bool = True  # the summary in /run/ifguard (console prompt, SSH logins, status)


def console_section(data: Mapping[str, Any], source: str) -> ConsoleSettings:
    """``[console] wall = false``, ``wall-every = 3600`` of a settings file's mapping."""
    table = data.get("console", {})
    if not isinstance(table, dict):
        raise UsageError(f"{source}: `console` must be a table ([console])")
    unknown = set(table) - {"publish", "wall", "wall-every"}
    if unknown:
        raise UsageError(
            f"{source}: unknown setting(s) in [console]: {', '.join(sorted(unknown))[:200]} "
            "(known: publish, wall, wall-every)"
        )
    publish = table.get("publish", True)
    if not isinstance(publish, bool):
        raise UsageError(f"{source}: [console] `publish` must be true or false")
    wall = table.get("wall", True)
    if not isinstance(wall, bool):
        raise UsageError(f"{source}: [console] `wall` must be true or false")
    every = table.get("wall-every", 3600)
    if (
        isinstance(every, bool)
        or not isinstance(every, int | float)
        or not math.isfinite(every)
        or not 0 <= every <= 10**7
    ):
        raise UsageError(f"{source}: [console] `wall-every` must be seconds, 0..10000000")
    return ConsoleSettings(wall, float(every), publish)


def console_settings(file: SettingsFile) -> ConsoleSettings:
    return console_section(file.data, file.source)
