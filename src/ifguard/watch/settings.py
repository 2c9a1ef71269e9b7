"""``[watch]`` of the settings file (``config.settingsfile``): validated here, on its own,
so a mistake in it stops the watcher and never the lint gate. The packaged
``ifguard-watch.service`` runs a plain ``ifguard watch``: every option of the watcher is a key
here (an option given on the command line wins). Every value is checked (type and range) and a
mistake names the key and the file; notification URLs are never echoed (they carry tokens).
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ifguard.config.settingsfile import SettingsFile
from ifguard.system.errors import UsageError

# node_exporter's textfile collector directory (Debian's prometheus-node-exporter)
NODE_EXPORTER_TEXTFILE_DIR = "/var/lib/prometheus/node-exporter"
AUTO = "auto"


@dataclass(frozen=True)
class WatchSettings:
    notify: tuple[str, ...] = ()  # apprise URLs
    self_heal: bool = False
    heal_after: float = 30.0
    # "auto": node_exporter's directory when it exists; "": off; else a directory
    textfile_dir: str = AUTO
    metrics_port: int = 0  # 0: no HTTP endpoint
    metrics_addr: str = "127.0.0.1"
    targets: tuple[str, ...] = ()  # extra probe targets, HOST[:PORT]
    probe_interval: float = 60.0
    alert_hold: float = 30.0
    attribution: bool = True  # who wrote the files, from Linux audit (docs/attribution.md)


WATCH_KEYS = (
    "notify",
    "self-heal",
    "heal-after",
    "textfile-dir",
    "metrics-port",
    "metrics-addr",
    "targets",
    "probe-interval",
    "alert-hold",
    "attribution",
)


def _known(table: Any, name: str, keys: tuple[str, ...], source: str) -> Mapping[str, Any]:
    if not isinstance(table, dict):
        raise UsageError(f"{source}: `{name}` must be a table ([{name}])")
    unknown = set(table) - set(keys)
    if unknown:
        raise UsageError(
            f"{source}: unknown setting(s) in [{name}]: {', '.join(sorted(unknown))[:200]} "
            f"(known: {', '.join(keys)})"
        )
    return table


def _bool(table: Mapping[str, Any], section: str, key: str, default: bool, source: str) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise UsageError(f"{source}: [{section}] `{key}` must be true or false")
    return value


def _seconds(
    table: Mapping[str, Any],
    section: str,
    key: str,
    default: float,
    low: float,
    high: float,
    source: str,
) -> float:
    value = table.get(key, default)
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not low <= value <= high
    ):
        raise UsageError(f"{source}: [{section}] `{key}` must be seconds, {low:g}..{high:g}")
    return float(value)


def _strings(table: Mapping[str, Any], key: str, what: str, source: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{source}: [watch] `{key}` must be a list of {what} strings")
    return tuple(value)


def _notify(table: Mapping[str, Any], source: str) -> tuple[str, ...]:
    urls = _strings(table, "notify", "URL", source)
    for n, url in enumerate(urls):
        scheme, sep, rest = url.partition("://")
        if not sep or not scheme or not rest or any(c.isspace() for c in url):
            raise UsageError(
                f"{source}: [watch] notify[{n}] is not a notification URL (scheme://...)"
            )
    return urls


def _textfile(table: Mapping[str, Any], source: str) -> str:
    value = table.get("textfile-dir", AUTO)
    if not isinstance(value, str) or (value not in (AUTO, "") and not value.startswith("/")):
        raise UsageError(
            f'{source}: [watch] `textfile-dir` must be "auto", "" (off) or an absolute path'
        )
    return value


def _metrics(table: Mapping[str, Any], source: str) -> tuple[int, str]:
    port = table.get("metrics-port", 0)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise UsageError(f"{source}: [watch] `metrics-port` must be a port, 1..65535 (0: off)")
    addr = table.get("metrics-addr", "127.0.0.1")
    try:
        ipaddress.ip_address(addr if isinstance(addr, str) else "")
    except ValueError:
        raise UsageError(
            f"{source}: [watch] `metrics-addr` must be an IP address (127.0.0.1, the "
            "management address, 0.0.0.0 or ::)"
        ) from None
    return port, addr


def watch_section(data: Mapping[str, Any], source: str) -> WatchSettings:
    """``[watch]`` of a settings file's mapping ``data``, validated."""
    t = _known(data.get("watch", {}), "watch", WATCH_KEYS, source)
    port, addr = _metrics(t, source)
    return WatchSettings(
        notify=_notify(t, source),
        self_heal=_bool(t, "watch", "self-heal", False, source),
        heal_after=_seconds(t, "watch", "heal-after", 30.0, 0, 86400, source),
        textfile_dir=_textfile(t, source),
        metrics_port=port,
        metrics_addr=addr,
        targets=_strings(t, "targets", "HOST[:PORT]", source),
        probe_interval=_seconds(t, "watch", "probe-interval", 60.0, 1, 86400, source),
        alert_hold=_seconds(t, "watch", "alert-hold", 30.0, 0, 86400, source),
        attribution=_bool(t, "watch", "attribution", True, source),
    )


def watch_settings(file: SettingsFile) -> WatchSettings:
    return watch_section(file.data, file.source)
