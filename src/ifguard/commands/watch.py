"""``ifguard watch``: lint every change of the network configuration and alert at once."""

from __future__ import annotations

import argparse

NAME = "watch"
HELP = "watch /etc/network/interfaces: lint each change, alert, export metrics"
DESCRIPTION = """\
Watch /etc/network/interfaces, every file it sources, interfaces.d/ and Proxmox's
interfaces.new. Each change is linted within a fraction of a second; when the configuration
becomes broken (or is fixed again) one notification is sent to every --notify URL (apprise
syntax: ntfy://, gotify://, mailtos://, tgram://, slack://, json://...). Alerts raised while the
network is down are queued under the state dir and delivered when it comes back.

examples:
  ifguard watch --notify ntfys://ntfy.sh/my-topic
  ifguard watch --metrics-port 9861
  ifguard watch --textfile-dir /var/lib/prometheus/node-exporter
"""


def configure(p: argparse.ArgumentParser) -> None:
    from ifguard.apply.context import add_location_args

    add_location_args(p)
    p.add_argument("--notify", action="append", default=[], metavar="URL",
                   help="apprise notification URL (repeatable)")
    p.add_argument("--metrics-port", type=int, metavar="PORT",
                   help="serve Prometheus metrics on this port")
    p.add_argument("--textfile-dir", metavar="DIR",
                   help="write ifguard.prom for node_exporter's textfile collector")
    p.add_argument("-v", "--verbose", action="count", default=0)


def run(args: argparse.Namespace) -> int:
    import logging
    from pathlib import Path

    from ifguard.apply import context
    from ifguard.errors import UsageError
    from ifguard.source import Root
    from ifguard.watch.daemon import Watcher, start_metrics

    logging.basicConfig(level=logging.DEBUG if args.verbose > 1 else
                        logging.INFO if args.verbose else logging.WARNING,
                        format="ifguard watch: %(levelname)s: %(message)s")
    root = Root(context.root_of(args))
    state_dir = context.state_dir_of(args)
    textfile = Path(args.textfile_dir) if args.textfile_dir else None
    if textfile is not None and not textfile.is_dir():
        raise UsageError(f"--textfile-dir {args.textfile_dir}: not a directory")
    watcher = Watcher(root, state_dir, args.notify, context.history_of(state_dir), textfile)
    try:
        start_metrics(watcher, args.metrics_port)
    except OSError as exc:
        raise UsageError(f"--metrics-port {args.metrics_port}: {exc.strerror or exc}") from None
    watcher.install_signals()
    watcher.run()
    return 0
