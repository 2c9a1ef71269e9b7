"""Lint settings: rule selection, severity overrides, per-file ignores.

Read from ``--config FILE``, else ``[tool.ifguard]`` in ./pyproject.toml, else
``/etc/ifguard/ifguard.toml`` (under ``--root``). Unknown keys and bad values are errors:
a typo in a config file must not silently disable a rule.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Collection, Iterable, Mapping
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
_MAX_SETTINGS = 1024 * 1024  # a settings file is a few lines


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


_DIALECTS = ("ifupdown", "ifupdown2", "ifupdown-ng")
_SELECTOR = re.compile(r"^(ALL|IFG[0-9]{1,3}|[a-z][a-z0-9]*(-[a-z0-9]+)*)$")
_CODE = re.compile(r"^IFG[0-9]{3}$")

Rules = Collection[tuple[str, str]]  # (code, name) of every rule, for validation


def _type(value: Any) -> str:
    return {str: "string", int: "integer", float: "float", bool: "boolean", dict: "table"}.get(
        type(value), type(value).__name__
    )


def _selector_ok(s: str, rules: Rules | None) -> bool:
    if not _SELECTOR.match(s):
        return False
    if rules is None or s == "ALL":
        return True
    if s.startswith("IFG"):
        return any(code.startswith(s) for code, _ in rules)
    return any(name == s for _, name in rules)


def selectors(value: Any, key: str, source: str, rules: Rules | None) -> tuple[str, ...]:
    """A list of selectors. A string is refused, as ruff does: `ignore = "IFG101"` must not
    be read as anything, least of all as the selectors `I`, `F`, `G` ..."""
    if not isinstance(value, list):
        raise UsageError(
            f'{source}: `{key}` must be a list of rule codes or names (e.g. ["IFG101"]), '
            f"not a {_type(value)}"
        )
    for item in value:
        if not isinstance(item, str):
            raise UsageError(
                f"{source}: `{key}` must hold rule codes or names (strings), not a {_type(item)}"
            )
        if not _selector_ok(item, rules):
            raise UsageError(
                f"{source}: `{key}`: unknown rule code, prefix or name {item[:40]!r} "
                "(IFG101, IFG1, a rule name or ALL; see `ifguard rules`)"
            )
    return tuple(value)


def _table(value: Any, key: str, source: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise UsageError(f"{source}: `{key}` must be a table, not a {_type(value)}")
    return value


def from_mapping(data: Mapping[str, Any], source: str, rules: Rules | None = None) -> Settings:
    """Validated settings. Every key's type and value is checked (exit 2 naming the key and
    the file): a typo must never silently switch a rule, or the whole gate, off. ``rules``
    (code, name pairs) checks that codes exist; without it only their form is checked."""
    unknown = set(data) - _KEYS
    if unknown:
        raise UsageError(
            f"{source}: unknown setting(s): {', '.join(sorted(unknown))} "
            f"(known: {', '.join(sorted(_KEYS))})"
        )
    select = selectors(data.get("select", ["ALL"]), "select", source, rules)
    select += selectors(data.get("extend-select", []), "extend-select", source, rules)
    ignore = selectors(data.get("ignore", []), "ignore", source, rules)
    severity: dict[str, Severity] = {}
    for code, level in _table(data.get("severity", {}), "severity", source).items():
        if not (
            _CODE.match(code) or (_SELECTOR.match(code) and code[:3] not in ("IFG", "ALL"))
        ) or (rules is not None and not any(code in (c, n) for c, n in rules)):
            raise UsageError(
                f"{source}: `severity`: unknown rule code or name {code[:40]!r} "
                "(one rule each: IFG101 or its name)"
            )
        if level not in ("error", "warning", "info"):
            raise UsageError(
                f"{source}: `severity.{code}` must be error, warning or info, not {level!r}"
            )
        severity[code] = Severity(level)
    pfi: dict[str, tuple[str, ...]] = {}
    for pattern, codes in _table(
        data.get("per-file-ignores", {}), "per-file-ignores", source
    ).items():
        if not pattern:
            raise UsageError(f"{source}: `per-file-ignores` has an empty file pattern")
        pfi[pattern] = selectors(codes, f"per-file-ignores.{pattern}", source, rules)
    dialect = data.get("dialect")
    if dialect is not None and dialect not in _DIALECTS:
        raise UsageError(
            f"{source}: `dialect` must be one of {', '.join(_DIALECTS)}, not {dialect!r}"
        )
    return Settings(
        select,
        ignore,
        MappingProxyType(severity),
        MappingProxyType(pfi),
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


def system_settings_path(root: Root) -> Path:
    """``/etc/ifguard/ifguard.toml`` under ``root``."""
    return root.path(SYSTEM_CONFIG)


def load_system_settings(root: Root, rules: Rules | None = None) -> Settings:
    """The system settings file only (never ./pyproject.toml, never ``--config``): what
    daemons and gates use, so no file in someone's current directory can switch them off."""
    system = system_settings_path(root)
    if os.path.lexists(system):
        return from_mapping(_read_toml(system), str(system), rules)
    return Settings()


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib

    from ifguard.system.readfile import describe, read_regular

    try:
        data, _ = read_regular(path, limit=_MAX_SETTINGS)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read config: {describe(exc)}") from None
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise UsageError(f"{path}: settings are not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML: {exc}") from None


def _tool_table(data: dict[str, Any], path: Path) -> dict[str, Any] | None:
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise UsageError(f"{path}: `tool` must be a table, not a {_type(tool)}")
    table = tool.get("ifguard")
    if table is not None and not isinstance(table, dict):
        raise UsageError(f"{path}: `tool.ifguard` must be a table, not a {_type(table)}")
    return table


def load_settings(
    config: Path | None, root: Root, cwd: Path | None, rules: Rules | None = None
) -> Settings:
    """``--config FILE``, else ``[tool.ifguard]`` of ``cwd/pyproject.toml`` (not for
    ``cwd=None``: the host's own checks), else the system settings under ``root``, else the
    defaults. Gates call ``load_system_settings``: no file in a current directory counts."""
    if config is not None:
        data = _read_toml(config)
        if config.name == "pyproject.toml":
            table = _tool_table(data, config)
            return from_mapping(table if table is not None else {}, str(config), rules)
        return from_mapping(data, str(config), rules)
    pyproject = cwd / "pyproject.toml" if cwd is not None else None
    if pyproject is not None and pyproject.is_file():
        table = _tool_table(_read_toml(pyproject), pyproject)
        if table is not None:
            return from_mapping(table, str(pyproject), rules)
    return load_system_settings(root, rules)
