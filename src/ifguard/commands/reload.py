"""``ifguard reload``: a reload someone else started, as a guarded transaction."""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ifguard.system.root import Root

NAME = "reload"
HELP = "run ifreload as a guarded transaction (what the ifreload wrapper calls)"
DESCRIPTION = """\
Run the real ifreload as an unattended transaction: lint gate, guardian armed, reload, probes
(management path and cluster peers); red probes put the last known-good version from the
history back through the same ifreload, send an alert and exit 1. Green probes keep the
change (only the probe time is added). With no known-good version in the history (or when it
is what is on disk), it says so and reloads with the lint gate only.

`ifguard install --divert-ifreload` installs /usr/sbin/ifreload as a wrapper calling this, so
Proxmox's "Apply Configuration", ifupdown2's postinst, `systemctl reload networking` and
admins get it. Not guarded for one reload: `IFGUARD_NO_ROLLBACK=1 ifreload -a` (lint gate
only) or `IFGUARD_FORCE=1 ifreload -a` (nothing at all).

Alerts go to the watcher's notification URLs (`[watch] notify` in
/etc/ifguard/ifguard.toml; `--notify-file`/`--notify` in ifguard-watch.service's ExecStart or
/etc/ifguard/watch.env's IFGUARD_WATCH_ARGS) and every --notify URL; one that cannot be
delivered is queued for the watcher.

examples:
  ifguard reload -- -a
  ifguard reload --orig /usr/sbin/ifguard-orig-ifreload --notify json://hook.example/ -- -a

exit status: 0 reloaded and kept (or the real reload's status when unguarded), 1 refused,
rolled back or the reload reported errors, 2 could not run.
"""

IFRELOAD_ORIG = "/usr/sbin/ifguard-orig-ifreload"
WATCH_ENV = "/etc/ifguard/watch.env"
WATCH_UNITS = (
    "/etc/systemd/system/ifguard-watch.service",
    "/lib/systemd/system/ifguard-watch.service",
    "/usr/lib/systemd/system/ifguard-watch.service",
)


def configure(p: argparse.ArgumentParser) -> None:
    from ifguard.commands.common import add_location_args

    add_location_args(p)
    p.add_argument(
        "--orig",
        metavar="PATH",
        help=f"the real ifreload (default: {IFRELOAD_ORIG} under --root if it exists, "
        "else `ifreload`)",
    )
    p.add_argument(
        "--gated",
        action="store_true",
        help="the wrapper's `lint --gate` already passed: do not lint again",
    )
    p.add_argument(
        "--notify", action="append", default=[], metavar="URL", help="apprise URL (repeatable)"
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="deadline for the guardian if this process dies before the probes (default: 120;"
        " capped with HA resources)",
    )
    p.add_argument(
        "--probe-timeout",
        type=float,
        default=4.0,
        metavar="SECONDS",
        help="how long probes may stay red after the reload (default: 4)",
    )
    p.add_argument("args", nargs=argparse.REMAINDER, help="arguments for ifreload (after --)")


def notify_urls(root: Root, given: Sequence[str]) -> tuple[list[str], list[str]]:
    """The watcher's notification URLs, then --notify: ``[watch] notify`` of
    /etc/ifguard/ifguard.toml, and ``--notify``/``--notify-file`` in the ifguard-watch unit's
    ExecStart or in /etc/ifguard/watch.env's IFGUARD_WATCH_ARGS. Returns (urls, problems):
    an unreadable or unsafe source is skipped, never fatal (the reload goes on)."""
    from ifguard.config.settingsfile import read_system_file, system_settings_path
    from ifguard.system.errors import UsageError
    from ifguard.system.readfile import read_regular
    from ifguard.watch.secrets import check_private, read_notify_file
    from ifguard.watch.settings import watch_settings

    urls: list[str] = []
    problems: list[str] = []
    try:
        settings = watch_settings(read_system_file(root))
        if settings.notify:
            check_private(system_settings_path(root), "notification URLs ([watch] notify)")
            urls += settings.notify
    except UsageError as exc:
        problems.append(str(exc))
    for system_path in (WATCH_ENV, *WATCH_UNITS):
        try:
            data, _ = read_regular(root.path(system_path), limit=1 << 20)
        except OSError:  # missing, not a regular file, over 1 MiB: not ours to read
            continue
        for line in data.decode("utf-8", "replace").splitlines():
            line = line.strip()
            if not (line.startswith("IFGUARD_WATCH_ARGS=") or line.startswith("ExecStart=")):
                continue
            try:  # systemd splits an unquoted $VAR at whitespace: so do we
                words = [w for part in shlex.split(line.split("=", 1)[1]) for w in part.split()]
            except ValueError:
                continue
            for i, word in enumerate(words):
                option, _, value = word.partition("=")
                if option not in ("--notify", "--notify-file"):
                    continue
                if not value and i + 1 < len(words):
                    value = words[i + 1]
                if option == "--notify":
                    urls.append(value)
                    continue
                try:
                    urls += read_notify_file(root.path(value))
                except UsageError as exc:
                    problems.append(str(exc))
    urls += given
    return list(dict.fromkeys(u for u in urls if u)), problems


def run(args: argparse.Namespace) -> int:
    import socket
    import subprocess
    import sys

    from ifguard.apply.reload import ReloadRequest, guarded_reload, say
    from ifguard.commands.common import root_of, state_dir_of
    from ifguard.system.errors import UsageError

    root = root_of(args)
    rest = list(args.args)
    if rest[:1] == ["--"]:
        rest = rest[1:]
    orig = args.orig
    if orig is None:
        default = root.path(IFRELOAD_ORIG)
        orig = str(default) if default.exists() else "ifreload"
    command = (orig, *rest)
    timeout = 120.0

    def run_plain(argv: Sequence[str]) -> int:
        try:
            return subprocess.run(list(argv), check=False, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            say(f"`{' '.join(argv)}` did not finish within {timeout:g} s")
            return 1
        except OSError as exc:
            say(f"cannot run {argv[0]}: {exc.strerror or exc}")
            return 1

    def alert(title: str, body: str) -> bool:
        from ifguard.system.clock import SystemClock
        from ifguard.watch.queue import Queue
        from ifguard.watch.sender import AppriseSender

        urls, problems = notify_urls(root, args.notify)
        for problem in problems:
            say(f"notification URLs: {problem}")
        title = f"[{socket.gethostname()}] {title}"
        if not urls:
            return True
        try:
            if AppriseSender(urls).send(title, body):
                return True
        except Exception as exc:  # an alert must never break the reload
            say(f"alert failed: {exc}")
        try:  # the watcher delivers it when it can
            Queue(state_dir / "alerts.db", SystemClock()).put("reload", title, body)
        except Exception as exc:
            say(f"alert could not be queued either: {exc}")
        return False

    try:
        state_dir = state_dir_of(args)
        req = ReloadRequest(
            root=root,
            state_dir=state_dir,
            command=command,
            timeout=args.timeout,
            probe_timeout=args.probe_timeout,
            reload_timeout=timeout,
            gated=args.gated,
        )
        return guarded_reload(req, alert, run_plain)
    except UsageError as exc:
        # nothing was reloaded yet (the state directory or the history is unusable): a
        # guard that cannot guard must not block the network
        print(
            f"ifguard: cannot guard this reload ({exc}): reloading without a way back",
            file=sys.stderr,
            flush=True,
        )
        return run_plain(command)
