"""``ifguard restore ID``: put a version from the history back, as a guarded apply."""

from __future__ import annotations

import argparse

NAME = "restore"
HELP = "restore a configuration version from the history (a guarded apply)"
DESCRIPTION = """\
Write the files of a version from the history (see `ifguard history`) back, through the same
guarded transaction as `ifguard apply`: lint gate, plan, snapshot, detached guardian, reload,
probes, and rollback unless confirmed.

examples:
  ifguard restore 12                      version 12
  ifguard restore 3f2a9c                  by hash prefix
  ifguard restore good                    the last known-good version
  ifguard restore 12 --timeout 60 --auto-confirm

exit status: 0 change kept, 1 refused or rolled back, 2 could not run.
"""


def configure(p: argparse.ArgumentParser) -> None:
    from ifguard.commands.apply import configure_transaction

    p.add_argument(
        "version",
        metavar="ID",
        help="version id, hash prefix, or `good` (the last known-good version)",
    )
    configure_transaction(p)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ifguard.apply.request import Candidate
    from ifguard.apply.run import guarded
    from ifguard.commands.apply import request_of
    from ifguard.config.source import DEFAULT_INTERFACES
    from ifguard.store.history import open_history
    from ifguard.store.statedir import managed, save_blob
    from ifguard.system.errors import UsageError
    from ifguard.system.sanitize import printable

    if args.guardian:
        raise UsageError("--guardian belongs to `ifguard apply`")
    req = request_of(args)
    state_dir = req.state_dir
    history = open_history(state_dir)
    version = history.last_known_good() if args.version == "good" else history.find(args.version)
    if version is None:
        raise UsageError(f"no version {args.version!r} in the history (see `ifguard history`)")
    main = version.files.get(DEFAULT_INTERFACES)
    if main is None:
        raise UsageError(f"version {version.id} has no {DEFAULT_INTERFACES}")
    outside = sorted(p for p in version.files if not managed(p))
    if outside:  # the history is data: it never chooses where root writes
        raise UsageError(
            f"version {version.id} lists files ifguard does not manage ({', '.join(outside)}): "
            "restore writes only /etc/network/interfaces(.new) and /etc/network/interfaces.d/*"
        )
    lint_path = Path(save_blob(state_dir / "restore", f"{version.id}.interfaces", main))
    print(f"ifguard: restoring version {version.id} ({version.short}, {version.source})")
    for path in version.files:
        print(f"ifguard: will write {printable(path)}")
    cand = Candidate(f"version {version.id}", "restore", lint_path, version.files, version.files)
    return guarded(req, cand)
