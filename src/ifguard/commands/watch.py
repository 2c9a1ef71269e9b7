"""``ifguard watch``: lint every change of the network configuration and alert at once."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ifguard.config.settingsfile import SettingsFile
    from ifguard.system.root import Root
    from ifguard.watch.daemon import Watcher
    from ifguard.watch.storeguard import StoreGuard

NAME = "watch"
HELP = "watch the files and the running network: lint, probe, alert, metrics, self-heal"
DESCRIPTION = """\
Watch /etc/network/interfaces, every file it sources, interfaces.d/ and Proxmox's
interfaces.new. Each change is linted within a fraction of a second; when the configuration
becomes broken (or is fixed again) one notification is sent to every notification URL (apprise
syntax: ntfy://, gotify://, mailtos://, tgram://, slack://, json://...). Alerts raised while the
network is down are queued under the state dir and delivered when it comes back; a key that
flaps fires at most once per --alert-hold seconds, and when the hold ends its current state is
sent (never dropped).

Notification URLs usually hold tokens: put them in /etc/ifguard/ifguard.toml
([watch] notify = ["ntfys://ntfy.example/topic", ...]) or in a --notify-file (one URL per
line); either file must be owned by root and not readable by others. --notify URL puts the
token on the command line, where every local user sees it (ps): for tests only.

The running network is watched too: netlink events (links, addresses, routes) and Open
vSwitch database changes (ovsdb-client monitor) trigger the health probes of `ifguard probe`
and the drift check of `ifguard drift`, also every --probe-interval seconds without events.
A probe failing for more than a second (an uplink losing carrier, a bond member down, LACP
not negotiated, the management address or default route gone, the gateway silent) and drift
lasting 10 s each send one alert, and one "resolved"; so does a probe warning (a bond member
down, LACP not negotiated on one member: the redundancy is gone). With --root other than /,
the running network is not that root's: runtime checks run only with --runtime.

--self-heal (opt-in): a configuration that has been lint-clean and healthy for 10 s is marked
known-good in the history. When probes then fail for --heal-after seconds and no `ifguard
apply` is in progress - a reload ifguard did not make - the last known-good version is
restored through the guarded path (`ifguard restore ID --auto-confirm`: lint gate, snapshot,
guardian, reload, probes, automatic rollback). At most 3 attempts with growing back-off;
every attempt is alerted; when the known-good files are already in place nothing is done but
one alert.

Console: on every change of state the summary of `ifguard status` is written to /run/ifguard
(shown above the console login prompt through /etc/issue.d/ifguard.issue and at SSH logins
by /etc/update-motd.d/50-ifguard); on a transition to broken, one `wall` (--no-wall).

examples:
  ifguard watch                      (URLs from [watch] notify in /etc/ifguard/ifguard.toml)
  ifguard watch --notify-file /etc/ifguard/notify.urls
  ifguard watch --metrics-port 9861 --metrics-addr 192.0.2.10
  ifguard watch --textfile-dir /var/lib/prometheus/node-exporter
  ifguard watch --self-heal --heal-after 30
"""


def configure(p: argparse.ArgumentParser) -> None:
    from ifguard.commands.common import PORT, add_location_args, seconds

    add_location_args(p)
    p.add_argument(
        "--notify",
        action="append",
        default=[],
        metavar="URL",
        help="apprise notification URL (repeatable; visible in ps: for tests - use "
        "--notify-file or [watch] notify in /etc/ifguard/ifguard.toml)",
    )
    p.add_argument(
        "--notify-file",
        action="append",
        default=[],
        metavar="FILE",
        help="read notification URLs from FILE, one per line (root-owned, not "
        "readable by others; repeatable)",
    )
    p.add_argument(
        "--alert-hold",
        type=seconds(),
        default=30.0,
        metavar="SECONDS",
        help="a key fires at most once per hold; a re-break within it is sent when the "
        "hold ends (default: 30)",
    )
    p.add_argument(
        "--metrics-port", type=PORT, metavar="PORT", help="serve Prometheus metrics on this port"
    )
    p.add_argument(
        "--metrics-addr",
        default="127.0.0.1",
        metavar="ADDR",
        help="address for --metrics-port (default: 127.0.0.1, local only; give the "
        "management address or 0.0.0.0 for a Prometheus on another host)",
    )
    p.add_argument(
        "--textfile-dir",
        metavar="DIR",
        help="write ifguard.prom for node_exporter's textfile collector",
    )
    p.add_argument(
        "--runtime",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="watch the running network too (links, bonds, OVS, gateway); default: on "
        "with --root /, off with another --root (that tree's network is not this host's)",
    )
    p.add_argument(
        "--probe-interval",
        type=seconds(),
        default=60.0,
        metavar="SECONDS",
        help="probe also when no netlink/OVS event arrived for this long (default: 60)",
    )
    p.add_argument(
        "--target",
        action="append",
        default=[],
        metavar="HOST[:PORT]",
        help="extra probe target, as for `ifguard probe` (repeatable)",
    )
    p.add_argument(
        "--self-heal",
        action="store_true",
        help="when probes fail for --heal-after seconds after a change ifguard did "
        "not make, restore the last known-good configuration (guarded apply)",
    )
    p.add_argument(
        "--heal-after",
        type=seconds(),
        default=30.0,
        metavar="SECONDS",
        help="how long probes must fail before --self-heal acts (default: 30)",
    )
    p.add_argument(
        "--no-console",
        action="store_true",
        help="do not publish the status summary for the console login prompt, SSH logins "
        "and `ifguard status` (/run/ifguard, see docs/console.md)",
    )
    p.add_argument(
        "--no-wall",
        action="store_true",
        help="do not `wall` logged-in terminals when the network becomes broken "
        "(also: [console] wall = false in /etc/ifguard/ifguard.toml)",
    )
    p.add_argument(
        "--wall-every",
        type=seconds(),
        metavar="SECONDS",
        help="at most one `wall` per this many seconds (default: [console] wall-every in "
        "/etc/ifguard/ifguard.toml, else 3600)",
    )
    p.add_argument("-v", "--verbose", action="count", default=0)


def run(args: argparse.Namespace) -> int:
    import logging

    from ifguard.system.errors import UsageError
    from ifguard.watch.daemon import start_metrics

    logging.basicConfig(
        level=logging.DEBUG
        if args.verbose > 1
        else logging.INFO
        if args.verbose
        else logging.WARNING,
        format="ifguard watch: %(levelname)s: %(message)s",
    )
    from ifguard.watch.sender import quiet_apprise

    quiet_apprise()  # never apprise's payload logging, even at -vv
    watcher = make_watcher(args)
    try:
        start_metrics(watcher, args.metrics_port, args.metrics_addr)
    except (OSError, ValueError) as exc:
        where = f"{args.metrics_addr}:{args.metrics_port}"
        raise UsageError(f"--metrics-port/--metrics-addr {where}: {exc}") from None
    watcher.install_signals()
    watcher.run()
    return 0


def make_watcher(args: argparse.Namespace) -> Watcher:
    """The daemon as the command line describes it (benchmarks build it the same way)."""

    from ifguard.commands.common import root_of, state_dir_of
    from ifguard.config.ondisk import config_on_disk
    from ifguard.lint.settings import of_file as lint_settings
    from ifguard.network.netprobe import SystemNet
    from ifguard.network.probe import check_targets
    from ifguard.network.readers import read_runtime
    from ifguard.store.history import History
    from ifguard.system.clock import SystemClock
    from ifguard.system.errors import UsageError
    from ifguard.system.runner import SubprocessRunner
    from ifguard.watch.daemon import Watcher
    from ifguard.watch.heal import SelfHealer
    from ifguard.watch.runtime import RuntimeMonitor
    from ifguard.watch.storeguard import StoreGuard

    root = root_of(args)
    state_dir = state_dir_of(args)
    textfile = Path(args.textfile_dir) if args.textfile_dir else None
    if textfile is not None and not textfile.is_dir():
        raise UsageError(f"--textfile-dir {args.textfile_dir}: not a directory")
    check_targets(args.target)
    if not 1 <= args.probe_interval <= 86400 or not 0 <= args.heal_after <= 86400:
        raise UsageError("--probe-interval must be 1..86400 s, --heal-after 0..86400 s")
    if not 0 <= args.alert_hold <= 86400:
        raise UsageError("--alert-hold must be 0..86400 s")
    from ifguard.config.settingsfile import read_system_file

    file = read_system_file(root)  # once: the lint, [watch] and [console] sections
    urls = notify_urls(args, root, file)
    path = state_dir / "history.db"
    history = StoreGuard(lambda: History(path, busy_ms=2000), SystemClock(), str(path))
    runtime = healer = None
    with_runtime = args.runtime if args.runtime is not None else root.prefix == Path("/")
    if with_runtime:
        runtime = RuntimeMonitor(
            lambda: config_on_disk(root),
            lambda: read_runtime(SubprocessRunner(), root),
            SystemNet(),
            SystemClock(),
            targets=args.target,
        )
        healer = SelfHealer(
            lambda: _known_good(history),
            history.mark_known_good,
            lambda vid: _restore(vid, root, state_dir),
            enabled=args.self_heal,
            after=args.heal_after,
        )
    elif args.self_heal:
        raise UsageError("--self-heal needs the runtime checks (--runtime)")
    if args.wall_every is not None and not 0 <= args.wall_every <= 10**7:
        raise UsageError("--wall-every must be 0..10000000 s")
    console = None
    if not args.no_console:
        from ifguard.status.publish import Console
        from ifguard.status.settings import console_settings
        from ifguard.store.record import StateDir

        settings = console_settings(file)

        console = Console(
            root,
            SubprocessRunner(),
            history=path,
            state=StateDir(state_dir),
            wall=settings.wall and not args.no_wall,
            wall_every=settings.wall_every if args.wall_every is None else args.wall_every,
            expect_runtime=runtime is not None,
            signal_host=root.prefix == Path("/"),
        )
    return Watcher(
        root,
        state_dir,
        urls,
        history,
        textfile,
        runtime=runtime,
        healer=healer,
        interval=args.probe_interval,
        hold=args.alert_hold,
        console=console,
        settings=lint_settings(file),
    )


def notify_urls(
    args: argparse.Namespace, root: Root, settings: SettingsFile | None = None
) -> list[str]:
    """[watch] notify of the system settings, then every --notify-file, then --notify."""
    from ifguard.system.errors import UsageError
    from ifguard.watch.notify import notify_urls as resolve

    files = [Path(n) for n in args.notify_file]
    urls, problems = resolve(root, args.notify, files, settings=settings)
    if problems:
        raise UsageError(problems[0])
    return urls


def _known_good(history: StoreGuard) -> int | None:
    good = history.known_good()
    return good[0] if good is not None else None


def _restore(version_id: int, root: Root, state_dir: Path) -> int:
    """The guarded path: lint gate, snapshot, guardian, reload, probes, rollback."""
    import subprocess
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
    return subprocess.run(argv, check=False, stdin=subprocess.DEVNULL).returncode
