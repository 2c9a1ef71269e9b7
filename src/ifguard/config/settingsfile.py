"""The settings file, ``/etc/ifguard/ifguard.toml`` under the root (or ``--config FILE``):
read once, bounded, as a TOML mapping. Each section is validated by its owner, on its own,
so a mistake in one never fails another:

- the top level (rule selection, severities, dialect): ``lint.settings.from_mapping``;
- ``[watch]`` (notification URLs): ``watch.settings.watch_section``;
- ``[console]`` (the `wall` opt-out): ``status.settings.console_section``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from ifguard.system.errors import UsageError
from ifguard.system.root import Root

SYSTEM_CONFIG = "/etc/ifguard/ifguard.toml"
DEFAULTS = "defaults"  # the source of settings read from no file
MAX_SETTINGS = 1024 * 1024  # a settings file is a few lines


class SettingsFile(NamedTuple):
    """One settings file's parsed TOML (empty for the defaults) and where it came from."""

    data: Mapping[str, Any] = MappingProxyType({})
    source: str = DEFAULTS


def type_name(value: Any) -> str:
    """A TOML value's type, as an error message names it."""
    return {str: "string", int: "integer", float: "float", bool: "boolean", dict: "table"}.get(
        type(value), type(value).__name__
    )


def system_settings_path(root: Root) -> Path:
    """``/etc/ifguard/ifguard.toml`` under ``root``."""
    return root.path(SYSTEM_CONFIG)


def read_system_file(root: Root) -> SettingsFile:
    """The system settings file (never ./pyproject.toml, never ``--config``), the defaults
    when there is none: what daemons and gates use, so no file in someone's current
    directory can switch them off."""
    system = system_settings_path(root)
    if os.path.lexists(system):
        return SettingsFile(read_toml(system), str(system))
    return SettingsFile()


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file read through the bounded reader: any failure is one ``UsageError`` line."""
    import tomllib

    from ifguard.system.readfile import describe, read_regular

    try:
        data, _ = read_regular(path, limit=MAX_SETTINGS)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read config: {describe(exc)}") from None
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise UsageError(f"{path}: settings are not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML: {exc}") from None
