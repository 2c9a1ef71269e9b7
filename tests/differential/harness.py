"""The differential harness: ifguard's reading of a tree next to ifupdown2's own.

``Oracle`` runs ``oracle.py`` (Debian's ifupdown2 parser, in a chroot of the test's tree);
``ours`` builds the same record from ifguard's loader and model; ``compare`` lists every
disagreement as one line. A few documented normalisations map ifguard's model (which keeps
what the author wrote) to what ifupdown2 derives from it mechanically:

- a stanza is matched by the name as written (``eth0:1``, ``swp[1-3]``): ifupdown2 renames
  aliases to their base and clones ranges, which are expansions, not readings;
- ``$IFACE`` in a value is the stanza's name (ifupdown2 substitutes it while parsing);
- ``scope``/``netmask``/``broadcast``/``preferred-lifetime`` are stored by ifupdown2 at the
  index of their ``address``, padded with empty strings: the padding is dropped;
- ``iface NAME inet`` without a method is ``inet static`` (ifupdown2's default).

Everything else - which files are read, stanzas, families, methods, attribute names, values,
their order, ``auto``/``allow-*`` - must be equal, or lint must say why it is not.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

from ifguard.config.diagnostic import Severity
from ifguard.config.model import Config, canonical
from ifguard.config.source import Loaded
from ifguard.lint.engine import Result, lint_paths
from ifguard.lint.settings import Settings
from ifguard.system.root import Root

ORACLE = Path(__file__).with_name("oracle.py")
DEBIAN_PYTHON = "/usr/bin/python3"
IFUPDOWN2 = Path("/usr/share/ifupdown2/ifupdown/networkinterfaces.py")
MAIN = "/etc/network/interfaces"
_ALIGNED = frozenset({"scope", "netmask", "broadcast", "preferred-lifetime"})

Record = dict[str, Any]


def available() -> str | None:
    """Why the oracle cannot run here, or None."""
    if not IFUPDOWN2.is_file():
        return "ifupdown2 is not installed (/usr/share/ifupdown2)"
    if not os.access(DEBIAN_PYTHON, os.X_OK):
        return f"{DEBIAN_PYTHON} not found"
    return None


class Oracle:
    """One long-lived ifupdown2 parser process; ``ask`` parses one tree in a forked child."""

    def __init__(self) -> None:
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C.UTF-8"}
        self._proc = subprocess.Popen(
            [DEBIAN_PYTHON, str(ORACLE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )

    def ask(self, root: Path, main: str = MAIN, cwd: str = "/") -> Record:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        request = {"root": str(root), "main": main, "cwd": cwd}
        self._proc.stdin.write(json.dumps(request) + "\n")
        self._proc.stdin.flush()
        answer: Record = json.loads(self._proc.stdout.readline())
        if "error" in answer:
            raise RuntimeError(f"oracle: {answer['error']}")
        return answer

    def close(self) -> None:
        if self._proc.stdin:
            self._proc.stdin.close()
        self._proc.wait(timeout=30)


def stage(root: Path, files: dict[str, bytes]) -> Path:
    """Write ``files`` (system path -> bytes) under ``root``; returns ``root``."""
    for system, data in files.items():
        real = root / system.lstrip("/")
        real.parent.mkdir(parents=True, exist_ok=True)
        real.write_bytes(data)
    return root


def lint_tree(root: Path, dialect: str | None = "ifupdown2", main: str = MAIN) -> Result:
    tree = Root(root)
    return lint_paths([tree.path(main)], tree, Settings(), dialect=dialect)


def ours(result: Result, root: Path) -> Record:
    """ifguard's reading of the tree, in the oracle's shape."""
    loaded: Loaded = result.loaded
    config: Config = result.config
    tree = Root(root)
    stanzas = []
    for iface in config.interfaces:
        if iface.stanza not in ("iface", "vlan"):
            continue
        values: dict[str, list[str]] = {}
        for attr in iface.attributes:
            key = canonical(attr.name)
            values.setdefault(key, []).append(attr.value.replace("$IFACE", iface.name))
        stanzas.append(
            {
                "written": iface.name,
                "file": tree.system_path(Path(iface.document.path)),
                "family": [iface.family] if iface.family else [],
                "method": iface.method or ("static" if iface.family else None),
                "vlan": iface.stanza == "vlan",
                "config": [[k, v] for k, v in values.items()],
            }
        )
    allow = {k: sorted(v) for k, v in config.allow.items()}
    return {
        "files": [tree.system_path(Path(d.path)) for d in loaded.documents],
        "stanzas": stanzas,
        "auto": sorted(config.auto - {"all"}),
        "auto_all": "all" in config.auto,
        "allow": allow,
    }


def _theirs_stanza(stanza: Record) -> Record:
    config = []
    for key, values in stanza["config"]:
        kept = [v for v in values if v != ""] if key in _ALIGNED else values
        if kept:
            config.append([key, kept])
    method = stanza["method"] if stanza["family"] else None
    return {
        "written": stanza["written"],
        "file": stanza["file"],
        "family": stanza["family"],
        "method": method,
        "vlan": stanza["vlan"],
        "config": config,
    }


def compare(mine: Record, theirs: Record) -> list[str]:
    """Every disagreement, one line each (empty: the same reading)."""
    out: list[str] = []
    if sorted(mine["files"]) != sorted(theirs["files"]):
        out.append(f"files: ifguard reads {mine['files']}, ifupdown2 {theirs['files']}")
    a = mine["stanzas"]
    b = [_theirs_stanza(s) for s in theirs["stanzas"]]
    names_a = [(s["file"], s["written"]) for s in a]
    names_b = [(s["file"], s["written"]) for s in b]
    if sorted(names_a) != sorted(names_b):
        out.append(f"stanzas: ifguard {names_a}, ifupdown2 {names_b}")
    else:
        for x, y in zip(sorted(a, key=_key), sorted(b, key=_key), strict=True):
            for field in ("family", "method", "vlan", "config"):
                if x[field] != y[field]:
                    out.append(
                        f"{x['written']!r} {field}: ifguard {x[field]!r}, ifupdown2 {y[field]!r}"
                    )
    auto_b = [n for n in theirs["auto"] if not _expanded(n, theirs["auto"])]
    if mine["auto"] != sorted(set(auto_b)) or mine["auto_all"] != theirs["auto_all"]:
        out.append(f"auto: ifguard {mine['auto']}, ifupdown2 {sorted(set(auto_b))}")
    allow_b = {k: sorted(set(v)) for k, v in theirs["allow"].items()}
    allow_a = {k: sorted(set(v)) for k, v in mine["allow"].items()}
    if allow_a != allow_b:
        out.append(f"allow: ifguard {allow_a}, ifupdown2 {allow_b}")
    return out


def _key(stanza: Record) -> tuple[str, str, str]:
    return (stanza["file"], stanza["written"], json.dumps(stanza["config"]))


_RANGE = re.compile(r"^(\w+)\[(\d+)-(\d+)\]([.\w]*)$")


def _expanded(name: str, autos: list[str]) -> bool:
    """A name ifupdown2 added by expanding an ``auto swp[1-3]`` range (the range is kept too)."""
    for other in autos:
        m = _RANGE.match(other)
        if m and name != other and name.startswith(m.group(1)) and name.endswith(m.group(4)):
            middle = name[len(m.group(1)) : len(name) - len(m.group(4)) or None]
            if middle.isdigit() and int(m.group(2)) <= int(middle) <= int(m.group(3)):
                return True
    return False


def errors(result: Result) -> list[str]:
    return [
        f"{d.line}: {d.code} {d.message}"
        for d in result.diagnostics
        if d.severity is Severity.ERROR
    ]


def named(result: Result) -> list[str]:
    """Diagnostics of warning level or above (what tells the author)."""
    return [
        f"{d.line}: {d.code} {d.message}"
        for d in result.diagnostics
        if d.severity in (Severity.ERROR, Severity.WARNING)
    ]
