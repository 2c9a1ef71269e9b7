"""``ifguard diff A [B]``: what changed between two configuration versions."""

from __future__ import annotations

import argparse

NAME = "diff"
HELP = "unified diff between two history versions (or a version and the current files)"
DESCRIPTION = """\
Show what changed between two versions from `ifguard history`, file by file, as a unified
diff. A version is an id, a hash prefix, `good` (the last known-good version) or `current`
(the files on disk now). B defaults to `current`.

examples:
  ifguard diff 3 5
  ifguard diff good             what changed since the last known-good version

exit status: 0 no differences, 1 differences, 2 could not run.
"""


def configure(p: argparse.ArgumentParser) -> None:
    from ifguard.commands.common import add_location_args

    p.add_argument("a", metavar="A")
    p.add_argument("b", metavar="B", nargs="?", default="current")
    add_location_args(p)


def run(args: argparse.Namespace) -> int:
    import difflib
    import sys
    from collections.abc import Mapping

    from ifguard.commands.common import root_of, state_dir_of
    from ifguard.config.ondisk import current_files
    from ifguard.store.history import open_history
    from ifguard.system.errors import UsageError
    from ifguard.system.sanitize import diff_lines

    history = open_history(state_dir_of(args))

    def files(ref: str) -> tuple[str, Mapping[str, bytes]]:
        if ref == "current":
            return "current", current_files(root_of(args))
        version = history.last_known_good() if ref == "good" else history.find(ref)
        if version is None:
            raise UsageError(f"no version {ref!r} in the history (see `ifguard history`)")
        return f"v{version.id}", version.files

    (la, fa), (lb, fb) = files(args.a), files(args.b)
    changed = False
    for path in list(dict.fromkeys([*fa, *fb])):
        old = fa.get(path, b"").decode("utf-8", "replace").splitlines(keepends=True)
        new = fb.get(path, b"").decode("utf-8", "replace").splitlines(keepends=True)
        diff = list(difflib.unified_diff(old, new, f"{la}:{path}", f"{lb}:{path}"))
        if diff:
            changed = True
            sys.stdout.write(diff_lines(diff))
    return 1 if changed else 0
