"""``ifguard install``: put the units, networking drop-in, apt hook (and ifreload wrapper)
in place so nothing reloads a broken network configuration."""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "install"
HELP = "install the systemd units, networking drop-in and apt hook (optionally wrap ifreload)"
DESCRIPTION = """\
Write, under --root (default /):
  /etc/systemd/system/ifguard-watch.service         lint every change and alert
  /etc/systemd/system/ifguard-boot.service          roll back an unconfirmed change at boot
  /etc/systemd/system/networking.service.d/ifguard.conf
                                                    `systemctl reload networking` lints first,
                                                    then runs the installed unit's own reload
  /etc/apt/apt.conf.d/80ifguard                     apt refuses to run while the file is broken
and create /var/lib/ifguard (mode 0700). The two units are left out with --gates, and when
the ifguard Debian package is installed (it ships them in /lib/systemd/system). An
executable under /root or /home is refused for the units (ProtectHome=yes hides it). With
--divert-ifreload, /usr/sbin/ifreload is diverted (dpkg-divert) to /usr/sbin/ifguard-orig-ifreload
and replaced by a wrapper that refuses to reload a configuration with lint errors -
this also covers Proxmox's "Apply Configuration" button and ifupdown2's own package scripts.
Files are written atomically and only when their content differs; each is reported as
created, updated or unchanged. Everything written is recorded in
/var/lib/ifguard/install.json for `ifguard uninstall`. When --root is / and systemd runs,
`systemctl daemon-reload` and `systemctl enable` follow; networking is never restarted. See
docs/install.md.

examples:
  ifguard install
  ifguard install --gates                           with the .deb: turn the gates on
  ifguard install --divert-ifreload
  ifguard install --dry-run
  ifguard install --root /mnt/target                an image or a mounted system

exit status: 0 installed, 1 a systemctl command failed, 2 could not run.
"""


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--root", metavar="DIR", default="/", help="treat DIR as / (default: /)")
    p.add_argument(
        "--divert-ifreload",
        action="store_true",
        help="divert /usr/sbin/ifreload and install a wrapper that lints first",
    )
    p.add_argument(
        "--gates",
        action="store_true",
        help="only the networking drop-in and apt hook (and --divert-ifreload), no units; "
        "the default when the ifguard package is installed",
    )
    p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    p.add_argument(
        "--ifguard", metavar="PATH", help="the ifguard executable the files run (default: this one)"
    )


def executable() -> str:
    """The absolute path of the running ifguard executable (not resolved: a venv's bin/)."""
    import os
    import shutil
    import sys

    from ifguard.system.errors import UsageError

    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    candidates = [
        argv0 if argv0 is not None and argv0.name == "ifguard" else None,
        Path(sys.executable).with_name("ifguard"),
    ]
    found = shutil.which("ifguard")
    candidates.append(Path(found) if found else None)
    for c in candidates:
        if c is not None and c.is_file() and os.access(c, os.X_OK):
            return os.path.abspath(c)
    raise UsageError("cannot find the ifguard executable; pass --ifguard PATH")


def run(args: argparse.Namespace) -> int:
    import os

    from ifguard.commands.common import root_of
    from ifguard.install import files, ops
    from ifguard.system.errors import UsageError
    from ifguard.system.process import systemd_is_pid1

    root = root_of(args)
    packaged = files.package_installed(root)
    if packaged:
        print(
            "note: the ifguard package is installed: its units are in /lib/systemd/system; "
            "writing the gates only"
        )
    if args.ifguard:
        exe = os.path.abspath(args.ifguard)
        if not os.access(exe, os.X_OK):
            raise UsageError(f"--ifguard {args.ifguard}: not an executable file")
    elif packaged:
        exe = files.PACKAGE_IFGUARD  # not a venv that may go away before the package does
    else:
        exe = executable()
    opts = ops.Options(
        units=not (args.gates or packaged),
        root=root,
        ifguard=exe,
        divert_ifreload=args.divert_ifreload,
        dry_run=args.dry_run,
        manage_systemd=root.prefix == Path("/") and systemd_is_pid1(),
    )
    try:
        return ops.install(opts, ops.invoke)
    except OSError as exc:
        raise UsageError(f"{exc.filename or 'install'}: {exc.strerror or exc}") from None
