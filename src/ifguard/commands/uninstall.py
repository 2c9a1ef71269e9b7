"""``ifguard uninstall``: remove exactly what ``ifguard install`` wrote."""

from __future__ import annotations

import argparse

NAME = "uninstall"
HELP = "remove what `ifguard install` wrote (unchanged files only) and the ifreload diversion"
DESCRIPTION = """\
Read /var/lib/ifguard/install.json (under --root) and remove every file it lists whose
content is still what ifguard wrote; a file changed since is left in place with a warning.
The ifreload diversion is undone (dpkg-divert --rename --remove, or the rename back),
directories install created are removed when empty, and the manifest goes last. With
--root / and systemd running, the units are disabled (and ifguard-watch stopped) first.
Networking is never restarted. Nothing installed: prints "nothing to uninstall".

examples:
  ifguard uninstall
  ifguard uninstall --root /mnt/target

exit status: 0 removed (or nothing to do), 1 something was left in place, 2 could not run.
"""


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--root", metavar="DIR", default="/", help="treat DIR as / (default: /)")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ifguard.commands.common import root_of
    from ifguard.install import ops
    from ifguard.install.uninstall import uninstall
    from ifguard.system.errors import UsageError
    from ifguard.system.process import systemd_is_pid1

    root = root_of(args)
    try:
        return uninstall(
            root, ops.invoke, manage_systemd=root.prefix == Path("/") and systemd_is_pid1()
        )
    except OSError as exc:
        raise UsageError(f"{exc.filename or 'uninstall'}: {exc.strerror or exc}") from None
