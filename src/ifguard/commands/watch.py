"""``ifguard watch``: lint every change of the network configuration and alert at once."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ifguard.commands.watchopts import WatchOptions
    from ifguard.watch.daemon import Watcher

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
        metavar="SECONDS",
        help="a key fires at most once per hold; a re-break within it is sent when the "
        "hold ends (default: [watch] alert-hold, else 30)",
    )
    p.add_argument(
        "--metrics-port",
        type=PORT,
        metavar="PORT",
        help="serve Prometheus metrics on this port (default: [watch] metrics-port, else none)",
    )
    p.add_argument(
        "--metrics-addr",
        metavar="ADDR",
        help="address for --metrics-port (default: [watch] metrics-addr, else 127.0.0.1, "
        "local only; give the management address or 0.0.0.0 for a Prometheus on another host)",
    )
    p.add_argument(
        "--textfile-dir",
        metavar="DIR",
        help="write ifguard.prom for node_exporter's textfile collector (default: [watch] "
        "textfile-dir, else /var/lib/prometheus/node-exporter when that directory exists)",
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
        metavar="SECONDS",
        help="probe also when no netlink/OVS event arrived for this long (default: [watch] "
        "probe-interval, else 60)",
    )
    p.add_argument(
        "--target",
        action="append",
        default=[],
        metavar="HOST[:PORT]",
        help="extra probe target, as for `ifguard probe` (repeatable; added to [watch] targets)",
    )
    p.add_argument(
        "--self-heal",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="when probes fail for --heal-after seconds after a change ifguard did "
        "not make, restore the last known-good configuration (guarded apply; default: "
        "[watch] self-heal, else off)",
    )
    p.add_argument(
        "--heal-after",
        type=seconds(),
        metavar="SECONDS",
        help="how long probes must fail before --self-heal acts (default: [watch] "
        "heal-after, else 30)",
    )
    p.add_argument(
        "--no-console",
        action="store_true",
        help="do not publish the status summary for the console login prompt, SSH logins "
        "and `ifguard status` (/run/ifguard, see docs/console.md; also: [console] publish "
        "= false)",
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
    p.add_argument(
        "--check",
        action="store_true",
        help="check the settings and options, say what the watcher would do, and exit "
        "(0: fine, 2: a bad value, named)",
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
    from ifguard.commands.common import root_of
    from ifguard.commands.watchopts import resolve

    opts = resolve(args, root_of(args))
    if args.check:
        from ifguard.commands.watchopts import describe, notify_urls

        urls = notify_urls(args, root_of(args), opts.file)
        print("\n".join(f"ifguard watch: {line}" for line in describe(opts, len(urls))))
        return 0
    watcher = make_watcher(args, opts)
    try:
        start_metrics(watcher, opts.metrics_port, opts.metrics_addr)
    except (OSError, ValueError) as exc:
        where = f"{opts.metrics_addr}:{opts.metrics_port}"
        raise UsageError(
            f"--metrics-port/--metrics-addr ([watch] metrics-port/metrics-addr) {where}: {exc}"
        ) from None
    watcher.install_signals()
    watcher.run()
    return 0


def make_watcher(args: argparse.Namespace, opts: WatchOptions | None = None) -> Watcher:
    """The daemon as the command line and the settings file describe it (benchmarks build
    it the same way)."""

    from ifguard.commands.common import root_of, state_dir_of
    from ifguard.commands.watchopts import known_good, notify_urls, resolve, restore
    from ifguard.config.ondisk import config_on_disk
    from ifguard.lint.settings import of_file as lint_settings
    from ifguard.network.netprobe import SystemNet
    from ifguard.network.readers import read_runtime
    from ifguard.store.history import History
    from ifguard.system.clock import SystemClock
    from ifguard.system.errors import UsageError
    from ifguard.system.runner import SubprocessRunner
    from ifguard.watch.daemon import Watcher
    from ifguard.watch.heal import SelfHealer
    from ifguard.watch.peers import peer_monitor
    from ifguard.watch.runtime import RuntimeMonitor
    from ifguard.watch.storeguard import StoreGuard

    root = root_of(args)
    state_dir = state_dir_of(args)
    if opts is None:
        opts = resolve(args, root)
    urls = notify_urls(args, root, opts.file)  # the file as read once by resolve()
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
            targets=list(opts.targets),
            peers=peer_monitor(root, opts.metrics_port, opts.metrics_addr),
        )
        healer = SelfHealer(
            lambda: known_good(history),
            history.mark_known_good,
            lambda vid: restore(vid, root, state_dir),
            enabled=opts.self_heal,
            after=opts.heal_after,
        )
    elif opts.self_heal:
        where = "--self-heal" if args.self_heal else "[watch] self-heal = true"
        raise UsageError(f"{where} needs the runtime checks (--runtime)")
    console = None
    if opts.console:
        from ifguard.status.publish import Console
        from ifguard.store.statedir import StateDir

        console = Console(
            root,
            SubprocessRunner(),
            history=path,
            state=StateDir(state_dir, root),
            wall=opts.wall,
            wall_every=opts.wall_every,
            expect_runtime=runtime is not None,
            signal_host=root.prefix == Path("/"),
        )
    writers = None
    if root.prefix == Path("/"):  # a watcher of another root never reads the host's audit
        from ifguard.system.auditnl import NetlinkAudit
        from ifguard.system.procview import ProcFs
        from ifguard.watch.writers import Writers

        writers = Writers(NetlinkAudit if opts.attribution else None, ProcFs())
    return Watcher(
        root,
        state_dir,
        urls,
        history,
        opts.textfile_dir,
        runtime=runtime,
        healer=healer,
        interval=opts.probe_interval,
        hold=opts.alert_hold,
        console=console,
        settings=lint_settings(opts.file),
        writers=writers,
    )
