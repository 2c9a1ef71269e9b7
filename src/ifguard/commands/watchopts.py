"""The options and the wiring of ``ifguard watch``: the command line over ``[watch]`` and
``[console]`` of ``/etc/ifguard/ifguard.toml`` over the defaults, resolved and checked once.

The packaged unit runs a plain ``ifguard watch``, so the settings file is where an admin sets
every option; a flag given on the command line still wins (tests, one-off runs).
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ifguard.config.settingsfile import SettingsFile, read_system_file
from ifguard.status.settings import console_settings
from ifguard.system.errors import UsageError
from ifguard.system.root import Root
from ifguard.watch.settings import AUTO, NODE_EXPORTER_TEXTFILE_DIR, watch_settings

if TYPE_CHECKING:
    from ifguard.watch.storeguard import StoreGuard


@dataclass(frozen=True)
class WatchOptions:
    file: SettingsFile  # read once: the lint, [watch] and [console] sections
    self_heal: bool
    heal_after: float
    textfile_dir: Path | None
    metrics_port: int | None
    metrics_addr: str
    targets: tuple[str, ...]
    probe_interval: float
    alert_hold: float
    console: bool
    wall: bool
    wall_every: float
    attribution: bool = True  # [watch] attribution: who wrote the files (Linux audit)


def _textfile(given: str | None, setting: str, root: Root) -> Path | None:
    """``--textfile-dir``, else ``[watch] textfile-dir``: "auto" is node_exporter's directory
    when it exists (Debian's prometheus-node-exporter), "" is off. A directory named
    explicitly must exist."""
    if given is not None:
        where, value = "--textfile-dir", given
    else:
        where, value = "[watch] textfile-dir", setting
    if value == "":
        return None
    if value == AUTO and given is None:
        auto = root.path(NODE_EXPORTER_TEXTFILE_DIR)
        return auto if auto.is_dir() else None
    path = Path(value) if given is not None else root.path(value)
    if not path.is_dir():
        raise UsageError(f"{where} {value[:200]}: not a directory")
    return path


def resolve(args: argparse.Namespace, root: Root) -> WatchOptions:
    """The command line over the system settings under ``root`` over the defaults."""
    from ifguard.network.probe import check_targets

    file = read_system_file(root)
    w, c = watch_settings(file), console_settings(file)

    def pick(value: float | None, setting: float) -> float:
        return setting if value is None else value

    opts = WatchOptions(
        file=file,
        self_heal=w.self_heal if args.self_heal is None else args.self_heal,
        heal_after=pick(args.heal_after, w.heal_after),
        textfile_dir=_textfile(args.textfile_dir, w.textfile_dir, root),
        metrics_port=args.metrics_port
        if args.metrics_port is not None
        else (w.metrics_port or None),
        metrics_addr=args.metrics_addr if args.metrics_addr is not None else w.metrics_addr,
        targets=(*w.targets, *args.target),
        probe_interval=pick(args.probe_interval, w.probe_interval),
        alert_hold=pick(args.alert_hold, w.alert_hold),
        console=c.publish and not args.no_console,
        wall=c.wall and not args.no_wall,
        wall_every=pick(args.wall_every, c.wall_every),
        attribution=w.attribution,
    )
    try:
        check_targets(w.targets)
    except UsageError as exc:
        raise UsageError(f"{file.source}: [watch] `targets`: {exc}") from None
    check_targets(args.target)
    if not 1 <= opts.probe_interval <= 86400 or not 0 <= opts.heal_after <= 86400:
        raise UsageError("--probe-interval must be 1..86400 s, --heal-after 0..86400 s")
    if not 0 <= opts.alert_hold <= 86400:
        raise UsageError("--alert-hold must be 0..86400 s")
    if not 0 <= opts.wall_every <= 10**7:
        raise UsageError("--wall-every must be 0..10000000 s")
    return opts


def describe(opts: WatchOptions, urls: int) -> list[str]:
    """What the watcher will do, for ``ifguard watch --check`` (never a URL: tokens)."""
    port = f"{opts.metrics_addr}:{opts.metrics_port}" if opts.metrics_port else "off"
    heal = f"on, after {opts.heal_after:g} s" if opts.self_heal else "off"
    return [
        f"settings: {opts.file.source}",
        f"notify: {urls} URL(s)",
        f"self-heal: {heal}",
        f"textfile: {opts.textfile_dir or 'off'}",
        f"metrics: {port}",
        f"probe targets: {', '.join(opts.targets) or 'gateway only'}; every "
        f"{opts.probe_interval:g} s without events",
        f"alert hold: {opts.alert_hold:g} s",
        f"console summary: {'on' if opts.console else 'off'}; wall: "
        + (f"at most every {opts.wall_every:g} s" if opts.wall else "off"),
    ]


def notify_urls(
    args: argparse.Namespace, root: Root, settings: SettingsFile | None = None
) -> list[str]:
    """[watch] notify of the system settings, then every --notify-file, then --notify."""
    from ifguard.watch.notify import notify_urls as resolve_urls

    files = [Path(n) for n in args.notify_file]
    urls, problems = resolve_urls(root, args.notify, files, settings=settings)
    if problems:
        raise UsageError(problems[0])
    return urls


def known_good(history: StoreGuard) -> int | None:
    good = history.known_good()
    return good[0] if good is not None else None


def restore_argv(version_id: int, root: Root, state_dir: Path, *, systemd: bool) -> list[str]:
    """The guarded path: lint gate, snapshot, guardian, reload, probes, rollback.

    Under systemd (PID 1, this host's own root) the restore runs as a transient service
    (``systemd-run --wait``, its exit status passed back), as the apply guardian does: the
    watcher's sandbox keeps /etc read-only and /tmp private, and the restore must write
    /etc/network and see ifupdown2's state in /var/tmp/network. The watcher itself never needs
    write access to the configuration.
    """
    import sys

    from ifguard.store.record import APPLY_TIMEOUTS

    argv = [
        sys.executable,
        "-m",
        "ifguard",
        "restore",
        str(version_id),
        "--auto-confirm",
        "--unattended",
        "--timeout",
        f"{APPLY_TIMEOUTS.confirm:g}",
        "--root",
        str(root.prefix),
        "--state-dir",
        str(state_dir),
    ]
    if not systemd or root.prefix != Path("/"):
        return argv
    return [
        "systemd-run",
        f"--unit=ifguard-heal-{version_id}-{os.getpid()}",
        f"--description=ifguard self-heal: restore version {version_id}",
        "--collect",
        "--quiet",
        "--wait",
        "--no-ask-password",
        "--service-type=exec",
        "--",
        *argv,
    ]


def restore(version_id: int, root: Root, state_dir: Path) -> int:
    import subprocess

    from ifguard.system.process import systemd_is_pid1

    argv = restore_argv(version_id, root, state_dir, systemd=systemd_is_pid1())
    return subprocess.run(argv, check=False, stdin=subprocess.DEVNULL).returncode
