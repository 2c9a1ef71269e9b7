"""``ifguard history``: configuration versions ifguard has seen or applied, and events."""

from __future__ import annotations

import argparse

NAME = "history"
HELP = "list configuration versions and events (apply, rollback, alerts)"
DESCRIPTION = """\
List the configuration versions in the history store (every version ifguard has applied,
rolled back to or seen while watching), newest first, with their lint summary and whether
they are known-good; then the latest events.

examples:
  ifguard history
  ifguard history --events 50 --kind apply-rolled-back
  ifguard history --format json
  ifguard diff 3 5 | ifguard restore 3
"""


def configure(p: argparse.ArgumentParser) -> None:
    from ifguard.commands.common import add_location_args, integer

    p.add_argument(
        "-n",
        "--limit",
        type=integer(0, 1_000_000),
        default=20,
        help="versions to list (default 20)",
    )
    p.add_argument(
        "--events",
        type=integer(0, 1_000_000),
        default=10,
        metavar="N",
        help="events to list (default 10; 0: none)",
    )
    p.add_argument("--kind", help="only events of this kind")
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_location_args(p)


def run(args: argparse.Namespace) -> int:
    import json
    import time

    from ifguard.commands.common import state_dir_of
    from ifguard.store.history import open_history

    history = open_history(state_dir_of(args))
    versions = history.versions(args.limit)
    events = history.events(args.events, args.kind) if args.events > 0 else []
    if args.format == "json":
        print(
            json.dumps(
                {
                    "versions": [
                        {
                            "id": v.id,
                            "hash": v.hash,
                            "created": v.created,
                            "last_seen": v.last_seen,
                            "source": v.source,
                            "errors": v.errors,
                            "warnings": v.warnings,
                            "known_good": v.known_good,
                            "probes": v.probes,
                        }
                        for v in versions
                    ],
                    "events": [
                        {
                            "id": e.id,
                            "time": e.time,
                            "kind": e.kind,
                            "version_id": e.version_id,
                            "detail": e.detail,
                        }
                        for e in events
                    ],
                },
                indent=1,
                sort_keys=True,
            )
        )
        return 0

    def when(t: float) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t))

    if not versions:
        print("no versions recorded yet")
    else:
        print("  ID  HASH          LAST SEEN            SOURCE    LINT      GOOD")
        for v in versions:
            lint = f"{v.errors}E {v.warnings}W"
            print(
                f"{v.id:>4}  {v.short}  {when(v.last_seen)}  {v.source:<8}  {lint:<8}  "
                f"{'yes' if v.known_good else ''}"
            )
    if events:
        print("\nevents:")
        for e in events:
            detail = " ".join(f"{k}={v}" for k, v in sorted(e.detail.items()))
            version = f" v{e.version_id}" if e.version_id is not None else ""
            print(f"  {when(e.time)}  {e.kind}{version}  {detail}")
    return 0
