"""Lint settings: rule selection, severity overrides, per-file ignores.

Read from ``--config FILE``, else ``[tool.ifguard]`` in ./pyproject.toml, else
``/etc/ifguard/ifguard.toml`` (under ``--root``). Unknown keys and bad values are errors:
a typo in a config file must not silently disable a rule.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from ifguard.config.diagnostic import Severity
from ifguard.system.errors import UsageError
from ifguard.system.root import Root

SYSTEM_CONFIG = "/etc/ifguard/ifguard.toml"
_KEYS = {
    "select",
    "ignore",
    "extend-select",
    "severity",
    "per-file-ignores",
    "dialect",
    "watch",
    "console",
}
# the [watch] table (ifguard watch; ignored by lint): notification URLs hold tokens, so
# `ifguard watch` reads them only from a root-owned file others cannot read
_WATCH_KEYS = {"notify"}


class Settings(NamedTuple):
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = MappingProxyType({})
    per_file_ignores: Mapping[str, tuple[str, ...]] = MappingProxyType({})
    dialect: str | None = None
    source: str = "defaults"
    notify: tuple[str, ...] = ()  # [watch] notify: apprise URLs
    wall: bool = True  # [console] wall: one `wall` when the network becomes broken
    wall_every: float = 3600.0  # [console] wall-every: at most one per this many seconds

    def enabled(self, code: str, name: str) -> bool:
        return matches(code, name, self.select) and not matches(code, name, self.ignore)

    def ignored_in(self, path: str, code: str, name: str) -> bool:
        for pattern, codes in self.per_file_ignores.items():
            if _path_matches(path, pattern) and matches(code, name, codes):
                return True
        return False


def _path_matches(path: str, pattern: str) -> bool:
    return fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(Path(path).name, pattern)


def matches(code: str, name: str, selectors: Iterable[str]) -> bool:
    """``IFG1`` selects a family, ``IFG101`` one rule, a kebab name too, ``ALL`` everything."""
    return any(s == "ALL" or code.startswith(s) or s == name for s in selectors)


def _strings(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in value.replace(",", " ").split() if v]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"config: `{key}` must be a list of rule codes or names")
    return tuple(v.strip() for v in value)


def from_mapping(data: Mapping[str, Any], source: str) -> Settings:
    unknown = set(data) - _KEYS
    if unknown:
        raise UsageError(
            f"{source}: unknown setting(s): {', '.join(sorted(unknown))} "
            f"(known: {', '.join(sorted(_KEYS))})"
        )
    select = _strings(data.get("select", ["ALL"]), "select")
    select += _strings(data.get("extend-select", []), "extend-select")
    severity: dict[str, Severity] = {}
    for code, level in dict(data.get("severity", {})).items():
        try:
            severity[code] = Severity(level)
        except ValueError:
            raise UsageError(
                f"{source}: severity of {code} must be error, warning or info, not {level!r}"
            ) from None
    pfi = {
        k: _strings(v, f"per-file-ignores.{k}")
        for k, v in dict(data.get("per-file-ignores", {})).items()
    }
    dialect = data.get("dialect")
    if dialect is not None and not isinstance(dialect, str):
        raise UsageError(f"{source}: `dialect` must be a string")
    return Settings(
        select,
        _strings(data.get("ignore", []), "ignore"),
        severity,
        pfi,
        dialect,
        source,
        _watch(data.get("watch", {}), source),
        *_console(data.get("console", {}), source),
    )


def _console(table: Any, source: str) -> tuple[bool, float]:
    """``[console] wall = false``, ``wall-every = 3600`` (the status summary, docs/console.md)."""
    if not isinstance(table, dict):
        raise UsageError(f"{source}: `console` must be a table ([console])")
    unknown = set(table) - {"wall", "wall-every"}
    if unknown:
        raise UsageError(
            f"{source}: unknown setting(s) in [console]: {', '.join(sorted(unknown))} "
            "(known: wall, wall-every)"
        )
    wall = table.get("wall", True)
    if not isinstance(wall, bool):
        raise UsageError(f"{source}: [console] `wall` must be true or false")
    every = table.get("wall-every", 3600)
    if isinstance(every, bool) or not isinstance(every, int | float) or not 0 <= every <= 10**7:
        raise UsageError(f"{source}: [console] `wall-every` must be seconds, 0..10000000")
    return wall, float(every)


def _watch(table: Any, source: str) -> tuple[str, ...]:
    """``[watch] notify = ["ntfys://...", ...]``: the URLs, validated (never echoed: tokens)."""
    if not isinstance(table, dict):
        raise UsageError(f"{source}: `watch` must be a table ([watch])")
    unknown = set(table) - _WATCH_KEYS
    if unknown:
        raise UsageError(
            f"{source}: unknown setting(s) in [watch]: {', '.join(sorted(unknown))} "
            f"(known: {', '.join(sorted(_WATCH_KEYS))})"
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
    return tuple(notify)


def system_settings_path(root: Path) -> Path:
    """``/etc/ifguard/ifguard.toml`` under ``root``."""
    return root / SYSTEM_CONFIG.lstrip("/")


def load_system_settings(root: Path) -> Settings:
    """The system settings file only (no ./pyproject.toml): what daemons and gates use."""
    system = system_settings_path(root)
    if system.is_file():
        return from_mapping(_read_toml(system), str(system))
    return Settings()


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read config: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML: {exc}") from None


def load_settings(config: Path | None, root: Root, cwd: Path | None) -> Settings:
    """``config``, else ``[tool.ifguard]`` in ``cwd``'s pyproject.toml (not for ``cwd=None``:
    the host's own checks), else the system file under ``root``, else the defaults."""
    if config is not None:
        data = _read_toml(config)
        table = (
            data.get("tool", {}).get("ifguard", data) if config.name == "pyproject.toml" else data
        )
        return from_mapping(table, str(config))
    pyproject = cwd / "pyproject.toml" if cwd is not None else None
    if pyproject is not None and pyproject.is_file():
        table = _read_toml(pyproject).get("tool", {}).get("ifguard")
        if isinstance(table, dict):
            return from_mapping(table, str(pyproject))
    system = root.path(SYSTEM_CONFIG)
    if system.is_file():
        return from_mapping(_read_toml(system), str(system))
    return Settings()
