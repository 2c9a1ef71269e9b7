"""``ifguard history``: configuration versions ifguard has seen or applied, and events."""

from __future__ import annotations

import argparse

NAME = "history"
HELP = "list configuration versions (who, why, known-good) and events"
DESCRIPTION = """\
List the configuration versions in the history store (every version ifguard has applied,
restored, rolled back to or seen while watching), most recently seen first:

  V         the version id (for `ifguard diff` and `ifguard restore`)
  WHEN      when it was last applied or seen
  WHO/WHAT  apply, restore or reload (by whom, and how it ended: kept, rolled back),
            watch (seen by the watcher; by: the program and login that wrote it, from
            Linux audit, see docs/attribution.md), snapshot (the files before a change)
  LINT      errors and warnings when it was recorded
  GOOD      * : known-good (lint-clean, probes green); `ifguard restore good` takes it
  MESSAGE   the -m MESSAGE of `ifguard apply`/`try`/`restore`

then the latest events.

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
    from ifguard.status.summary import clean
    from ifguard.store.history import open_history
    from ifguard.store.timeline import timeline

    history = open_history(state_dir_of(args))
    entries = timeline(history, max(args.limit, 0))
    events = history.events(args.events, args.kind) if args.events > 0 else []
    if args.format == "json":
        print(
            json.dumps(
                {
                    "versions": [
                        {
                            "id": e.version.id,
                            "hash": e.version.hash,
                            "created": e.version.created,
                            "last_seen": e.version.last_seen,
                            "source": e.source,
                            "by": e.by,
                            "writer": e.writer or None,
                            "message": e.message,
                            "outcome": e.outcome,
                            "errors": e.version.errors,
                            "warnings": e.version.warnings,
                            "known_good": e.version.known_good,
                            "probes": e.version.probes,
                        }
                        for e in entries
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
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(t))

    if not entries:
        print("no versions recorded yet")
    else:
        print(f"{'V':>4}  {'WHEN':<16}  {'WHO/WHAT':<26}  {'LINT':<7} GOOD  MESSAGE")
        for e in entries:
            v = e.version
            lint = f"{v.errors}E {v.warnings}W"
            good = "*" if v.known_good else ""
            print(
                f"{v.id:>4}  {when(e.when)}  {clean(e.who, 40):<26}  {lint:<7} {good:<4}  "
                f"{clean(e.message, 200)}".rstrip()
            )
            for line in e.writer.splitlines():  # who wrote it (Linux audit; the watcher)
                print(f"{'':>6}written: {clean(line, 300)}")
    if events:
        print("\nevents:")
        for ev in events:
            detail = " ".join(f"{k}={v}" for k, v in sorted(ev.detail.items()))
            version = f" v{ev.version_id}" if ev.version_id is not None else ""
            print(f"  {when(ev.time)}  {ev.kind}{version}  {clean(detail, 300)}")
    return 0
