"""``ifguard lint --gate``: what the reload gates and the apt hook run, and how a gate may be
bypassed (IFGUARD_FORCE=1, logged to syslog) or must refuse (a damaged apply record)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ifguard.lint.settings import Settings
    from ifguard.system.root import Root


def gate_settings(args: argparse.Namespace, root: Root) -> Settings | None:
    """Settings for a gate, or None when IFGUARD_FORCE=1 lets this run through (logged)."""
    from ifguard.lint.engine import host_settings
    from ifguard.system.errors import UsageError

    if args.config is not None or args.fix or args.paths == ["-"]:
        raise UsageError(
            "--gate reads the system settings and the files only: no --config, --fix or stdin"
        )
    os.chdir("/")
    if os.environ.get("IFGUARD_FORCE") == "1":
        _log_forced()
        return None
    _record_intact(root)
    return host_settings(root)


def _record_intact(root: Root) -> None:
    """A gate refuses while the apply record is damaged (fail closed: what it would undo is
    unknown). Read only when there is one: the gate runs on every reload."""
    from ifguard.system.paths import STATE_DIR

    state = root.path(STATE_DIR)
    if os.path.lexists(state / "pending.json"):
        from ifguard.store.statedir import StateDir

        StateDir(state, root).read()  # DamagedRecord: one line, exit 2


def _log_forced() -> None:
    import syslog

    message = "IFGUARD_FORCE=1: gate bypassed, the network configuration was NOT checked"
    print(f"ifguard: warning: {message}", file=sys.stderr)
    syslog.openlog("ifguard", 0, syslog.LOG_USER)
    syslog.syslog(syslog.LOG_WARNING, f"{message} (uid {os.getuid()}, ppid {os.getppid()})")
