"""Lint settings: rule selection, severity overrides, per-file ignores, the dialect.

Read from ``--config FILE``, else ``[tool.ifguard]`` in ./pyproject.toml, else
``/etc/ifguard/ifguard.toml`` (under ``--root``). Unknown keys and bad values are errors,
and every rule code or name is checked against the rule registry: a typo in a config file
must not silently disable a rule. The ``[watch]`` and ``[console]`` tables of the same file
are not lint's: their owners validate them (``config.settingsfile``), so a mistake there is
never a lint or gate error.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from ifguard.config.diagnostic import Severity
from ifguard.config.settingsfile import SettingsFile, read_system_file, read_toml
from ifguard.config.settingsfile import type_name as _type
from ifguard.system.errors import UsageError
from ifguard.system.root import Root

_KEYS = {"select", "ignore", "extend-select", "severity", "per-file-ignores", "dialect"}
# the tables of the same file that other parts own and validate (config.settingsfile)
OTHER_SECTIONS = {"watch", "console"}


class Settings(NamedTuple):
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = MappingProxyType({})
    per_file_ignores: Mapping[str, tuple[str, ...]] = MappingProxyType({})
    dialect: str | None = None
    source: str = "defaults"

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


@functools.cache
def _rules() -> tuple[tuple[str, str], ...]:
    """(code, name) of every rule in the registry: what selectors are checked against."""
    from ifguard.lint.rules import rule_keys

    return rule_keys()


def _selector_ok(s: str) -> bool:
    if not _SELECTOR.match(s):
        return False
    if s == "ALL":
        return True
    if s.startswith("IFG"):
        return any(code.startswith(s) for code, _ in _rules())
    return any(name == s for _, name in _rules())


def selectors(value: Any, key: str, source: str) -> tuple[str, ...]:
    """A list of selectors, each naming a rule or family of the registry. A string is
    refused, as ruff does: `ignore = "IFG101"` must not be read as anything, least of all
    as the selectors `I`, `F`, `G` ..."""
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
        if not _selector_ok(item):
            raise UsageError(
                f"{source}: `{key}`: unknown rule code, prefix or name {item[:40]!r} "
                "(IFG101, IFG1, a rule name or ALL; see `ifguard rules`)"
            )
    return tuple(value)


def _table(value: Any, key: str, source: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise UsageError(f"{source}: `{key}` must be a table, not a {_type(value)}")
    return value


def from_mapping(data: Mapping[str, Any], source: str) -> Settings:
    """Validated lint settings (the file's top level). Every key's type and value is checked
    (exit 2 naming the key and the file): a typo must never silently switch a rule, or the
    whole gate, off. ``[watch]``/``[console]`` are left to their owners."""
    unknown = set(data) - _KEYS - OTHER_SECTIONS
    if unknown:
        raise UsageError(
            f"{source}: unknown setting(s): {', '.join(sorted(unknown))} "
            f"(known: {', '.join(sorted(_KEYS | OTHER_SECTIONS))})"
        )
    select = selectors(data.get("select", ["ALL"]), "select", source)
    select += selectors(data.get("extend-select", []), "extend-select", source)
    ignore = selectors(data.get("ignore", []), "ignore", source)
    severity: dict[str, Severity] = {}
    for code, level in _table(data.get("severity", {}), "severity", source).items():
        if not (
            _CODE.match(code) or (_SELECTOR.match(code) and code[:3] not in ("IFG", "ALL"))
        ) or not any(code in (c, n) for c, n in _rules()):
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
        pfi[pattern] = selectors(codes, f"per-file-ignores.{pattern}", source)
    dialect = data.get("dialect")
    if dialect is not None and dialect not in _DIALECTS:
        raise UsageError(
            f"{source}: `dialect` must be one of {', '.join(_DIALECTS)}, not {dialect!r}"
        )
    return Settings(
        select, ignore, MappingProxyType(severity), MappingProxyType(pfi), dialect, source
    )


def of_file(file: SettingsFile) -> Settings:
    """The lint settings of a settings file already read (``config.settingsfile``)."""
    return from_mapping(file.data, file.source)


def load_system_settings(root: Root) -> Settings:
    """The lint settings of the system file only (never ./pyproject.toml, never
    ``--config``): what daemons and gates use."""
    return of_file(read_system_file(root))


def _tool_table(data: dict[str, Any], path: Path) -> dict[str, Any] | None:
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise UsageError(f"{path}: `tool` must be a table, not a {_type(tool)}")
    table = tool.get("ifguard")
    if table is not None and not isinstance(table, dict):
        raise UsageError(f"{path}: `tool.ifguard` must be a table, not a {_type(table)}")
    return table


def load_settings(config: Path | None, root: Root, cwd: Path | None) -> Settings:
    """``--config FILE``, else ``[tool.ifguard]`` of ``cwd/pyproject.toml`` (not for
    ``cwd=None``: the host's own checks), else the system settings under ``root``, else the
    defaults. Gates call ``load_system_settings``: no file in a current directory counts."""
    if config is not None:
        data = read_toml(config)
        if config.name == "pyproject.toml":
            table = _tool_table(data, config)
            return from_mapping(table if table is not None else {}, str(config))
        return from_mapping(data, str(config))
    pyproject = cwd / "pyproject.toml" if cwd is not None else None
    if pyproject is not None and pyproject.is_file():
        table = _tool_table(read_toml(pyproject), pyproject)
        if table is not None:
            return from_mapping(table, str(pyproject))
    return load_system_settings(root)
