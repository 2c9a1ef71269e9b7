"""The host's own tools and ifguard's state: ``ping`` (ICMP probes), the state directory
(owner, mode: it holds whole configurations and alert bodies), the pending transaction
record and the history database, read without changing them."""

from __future__ import annotations

import os
import sqlite3
import stat

from ifguard.doctor import FAIL, OK, WARN, Check, Host
from ifguard.store.record import DamagedRecord
from ifguard.store.statedir import StateDir
from ifguard.system.paths import STATE_DIR

PING_PATHS = ("/usr/bin/ping", "/bin/ping", "/usr/sbin/ping", "/sbin/ping")


def checks(host: Host) -> list[Check]:
    return [_ping(host), *_state(host)]


def _ping(host: Host) -> Check:
    for p in PING_PATHS:
        path = host.root.path(p)
        if path.is_file() and os.access(path, os.X_OK):
            return Check("host", "ping", OK, p)
    return Check(
        "host",
        "ping",
        FAIL,
        "no ping: gateway and ping: probes say CANNOT CHECK",
        "apt install iputils-ping",
    )


def _state(host: Host) -> list[Check]:
    path = host.state_dir
    shown = STATE_DIR if path == host.root.path(STATE_DIR) else str(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return [
            Check(
                "state",
                "directory",
                WARN,
                f"{shown} absent: nothing applied or watched yet",
                "ifguard install (or start the watcher)",
            )
        ]
    except OSError as exc:
        return [Check("state", "directory", FAIL, f"{shown}: {exc.strerror}", f"ls -ld {shown}")]
    if not stat.S_ISDIR(st.st_mode):
        return [Check("state", "directory", FAIL, f"{shown} is not a directory", f"ls -ld {shown}")]
    out: list[Check] = []
    mode = stat.S_IMODE(st.st_mode)
    if st.st_uid != host.owner:
        out.append(
            Check(
                "state",
                "directory",
                FAIL,
                f"{shown} owned by uid {st.st_uid}, not root",
                f"chown -R root:root {shown}",
            )
        )
    elif mode & 0o077:
        out.append(
            Check(
                "state",
                "directory",
                FAIL,
                f"{shown} mode {mode:04o}: others can read configurations and alerts",
                f"chmod -R go-rwx {shown}",
            )
        )
    else:
        out.append(Check("state", "directory", OK, f"{shown} mode {mode:04o}"))
    out.append(_pending(StateDir(path, host.root)))
    out.append(_history(path))
    return out


def _pending(state: StateDir) -> Check:
    try:
        txn = state.read()
    except DamagedRecord as exc:
        return Check(
            "state",
            "pending change",
            FAIL,
            str(exc).split(";", 1)[0],
            "look at it, then ifguard rollback --discard (the gates refuse until then)",
        )
    except OSError as exc:
        return Check(
            "state", "pending change", FAIL, f"{state.pending_path}: {exc.strerror}", "run as root"
        )
    if txn is None:
        return Check("state", "pending change", OK, "none")
    if txn.open:
        return Check(
            "state",
            "pending change",
            WARN,
            f"{txn.id} is {txn.state} (not confirmed)",
            "ifguard confirm, or ifguard rollback",
        )
    return Check("state", "pending change", OK, f"{txn.id} {txn.state}")


def _history(directory: os.PathLike[str]) -> Check:
    path = os.path.join(directory, "history.db")
    if not os.path.exists(path):
        return Check("state", "history", OK, "empty (no version recorded yet)")
    try:
        # read-only; with no write-ahead log in use, immutable: nothing (-shm, -wal) is created
        flags = "mode=ro" if os.path.exists(path + "-wal") else "mode=ro&immutable=1"
        db = sqlite3.connect(f"file:{path}?{flags}", uri=True, timeout=2)
        try:
            versions = db.execute("SELECT count(*) FROM versions").fetchone()[0]
            good = db.execute("SELECT count(*) FROM versions WHERE known_good").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error as exc:
        return Check(
            "state",
            "history",
            FAIL,
            f"{path}: {exc}",
            f"mv {path} {path}.damaged (a new history starts)",
        )
    if not good:
        return Check(
            "state",
            "history",
            WARN,
            f"{versions} version(s), none known-good yet",
            "ifguard status (the watcher marks a healthy, lint-clean version)",
        )
    return Check("state", "history", OK, f"{versions} version(s), {good} known-good")
