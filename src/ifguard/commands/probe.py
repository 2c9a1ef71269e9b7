"""``ifguard probe``: is the host reachable the way its configuration says it should be?"""

from __future__ import annotations

import argparse

NAME = "probe"
HELP = (
    "health probes: uplink carrier, bond/LACP, management address, default route, gateway, "
    "corosync membership"
)
DESCRIPTION = """\
Check the management path - the interfaces that carry the default route (and the route
back to your SSH client), down through VLANs, bridges and bonds to the physical NICs:
  carrier of the NICs; bond members up (Linux or Open vSwitch) and LACP negotiated when
  it is configured; the management addresses present; the default route; the gateway
  answering ARP (or ICMP echo); then every --target. On a corosync cluster node, corosync's
  own view too: this node in the membership, the cluster quorate, each knet link.
Network probes run concurrently, each bounded by --timeout. Each probe ends pass, warn
(degraded but working, e.g. one bond member down), fail, error (could not be run: the
reason is printed; never a silent pass) or skip. The same probes gate `ifguard apply`.

examples:
  ifguard probe
  ifguard probe --target 192.0.2.20:8006 --target 192.0.2.21
  ifguard probe --format json

exit status: 0 healthy, 1 a probe failed or could not run, 2 bad arguments/unreadable file.
"""


def configure(p: argparse.ArgumentParser) -> None:
    from ifguard.commands.common import seconds

    p.add_argument(
        "path",
        nargs="?",
        metavar="PATH",
        help="interfaces file (default: /etc/network/interfaces under --root)",
    )
    p.add_argument(
        "--target",
        action="append",
        default=[],
        metavar="HOST[:PORT]",
        help="also probe HOST by ICMP echo, or HOST:PORT ([V6]:PORT) by TCP connect; repeatable",
    )
    p.add_argument(
        "--timeout",
        type=seconds(),
        default=2.0,
        metavar="SECONDS",
        help="bound of each network probe (default: 2)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--root",
        metavar="DIR",
        default="/",
        help="treat DIR as / for the configuration (default: /)",
    )


MARK = {"pass": "ok  ", "warn": "WARN", "fail": "FAIL", "error": "ERR ", "skip": "skip"}


def run(args: argparse.Namespace) -> int:
    import json
    import os
    from pathlib import Path

    from ifguard.commands.common import root_of
    from ifguard.config.model import build
    from ifguard.config.source import DEFAULT_INTERFACES, load
    from ifguard.network.netprobe import SystemNet
    from ifguard.network.probe import check_targets, run_probes
    from ifguard.network.readers import read_runtime
    from ifguard.network.state import ssh_endpoints
    from ifguard.system.errors import UsageError

    check_targets(args.target)
    if not 0 < args.timeout <= 60:
        raise UsageError("--timeout must be between 0 and 60 seconds")
    root = root_of(args)
    path = Path(args.path) if args.path else root.path(DEFAULT_INTERFACES)
    config = build(load([path], root).documents)
    report = run_probes(
        config,
        read_runtime(root=root),
        SystemNet(),
        targets=args.target,
        ssh=ssh_endpoints(os.environ),
        timeout=args.timeout,
    )
    if root.prefix == Path("/"):  # corosync is this host's: not asked for another --root
        from ifguard.network.cluster import cluster_of
        from ifguard.network.corosync import checks, read_view
        from ifguard.network.probe_report import ProbeReport
        from ifguard.system.runner import SubprocessRunner

        cluster = cluster_of(root, config)
        found = checks(cluster, read_view(SubprocessRunner(), cluster))
        report = ProbeReport(report.results + tuple(found))
    if args.format == "json":
        print(json.dumps(report.to_dict(), indent=1))
    else:
        for r in report.results:
            detail = f": {r.detail}" if r.detail else ""
            print(f"{MARK.get(r.status, r.status)}  {r.name}{detail}")
        bad = [r for r in report.results if not r.ok]
        print(
            "healthy"
            if report.healthy
            else f"NOT healthy: {len(bad)} probe"
            f"{'s' if len(bad) != 1 else ''} failed or could not run"
        )
    return 0 if report.healthy else 1
