"""The reload: the commands that make the running system match the files.

They come from the running code, never from state: the dialect's command (``RELOAD``, the
dialect as ``lint`` detects it on the host), or a ``--reload-cmd`` given to this process
(``ifguard apply`` passes its own to its guardian in the guardian's argv). A reload acts on
*this* host's network: under a ``--root`` other than ``/`` nothing is reloaded unless a
command is given (``host_reload``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping

from ifguard.apply.env import Commands, Env
from ifguard.store.record import Transaction
from ifguard.system.errors import UsageError
from ifguard.system.root import Root

PREVIOUS = "{previous}"

# Per dialect: the commands that make the running system match the file.
RELOAD: Mapping[str, Commands] = {
    "ifupdown2": (("ifreload", "-a"),),
    # classic ifupdown and ifupdown-ng deconfigure from the file that configured the system
    "ifupdown": (("ifdown", "-a", "--exclude=lo", "-i", PREVIOUS), ("ifup", "-a", "--exclude=lo")),
    "ifupdown-ng": (("ifdown", "-a", "-i", PREVIOUS), ("ifup", "-a")),
}

# a reload that failed because another one holds the lock is worth retrying
_BUSY_WORDS = ("already running", "lock")


def host_reload(root: Root) -> tuple[Commands, str]:
    """The dialect's reload for the configuration on disk under ``root`` (``ifguard rollback``
    by hand, a guardian started without commands), and a note when there is none: under a
    ``--root`` other than ``/`` the dialect's command would reload this host, not DIR."""
    if not root.is_host:
        return (), f"--root {root.prefix}: files restored, nothing reloaded (no --reload-cmd)"
    return RELOAD[host_dialect(root)], ""


def require_reload(root: Root, commands: Commands | None) -> None:
    """A change applied under a ``--root`` other than ``/`` needs its own reload: the
    dialect's would reconfigure this host from the host's files. Raises ``UsageError``."""
    if not root.is_host and not commands:
        raise UsageError(
            f"--root {root.prefix}: give --reload-cmd (the dialect's reload would reconfigure "
            "this host's network, not the tree)"
        )


def host_dialect(root: Root) -> str:
    """The dialect of the host's configuration as the lint gate sees it (the settings'
    ``dialect``, else detected from the files); ifupdown2 when it cannot be read."""
    from ifguard.config.dialect import detect
    from ifguard.config.source import DEFAULT_INTERFACES, load
    from ifguard.lint.engine import host_settings

    try:
        chosen = host_settings(root).dialect
        if chosen:
            return str(chosen)
        return str(detect(load([root.path(DEFAULT_INTERFACES)], root).documents))
    except Exception:  # a file that cannot be read never stops a rollback
        return "ifupdown2"


def encode(commands: Commands) -> str:
    """Commands as one argv word for the guardian (``--guardian-reload``): JSON, exact."""
    return json.dumps([list(c) for c in commands])


def decode(text: str) -> Commands:
    """The guardian's ``--guardian-reload`` word, checked: a list of non-empty argv lists."""
    try:
        raw = json.loads(text)
        ok = isinstance(raw, list) and all(
            isinstance(c, list) and c and all(isinstance(w, str) for w in c) for c in raw
        )
    except ValueError:
        ok = False
    if not ok:
        raise UsageError(f"--guardian-reload {text[:80]!r}: not a JSON list of argv lists")
    return tuple(tuple(c) for c in raw)


def reload_argv(txn: Transaction, commands: Commands, previous: str) -> list[list[str]]:
    """``commands`` with ``{previous}`` replaced by the file that was in force before
    (classic ifupdown's ``ifdown -i FILE`` must deconfigure what the *old* file set up)."""
    first = txn.targets[0] if txn.targets else None
    blob = (first.before if previous == "before" else first.after) if first else None
    return [[(blob or "/dev/null") if w == PREVIOUS else w for w in argv] for argv in commands]


def reload(
    env: Env, txn: Transaction, *, previous: str = "before", attempts: int = 1, pause: float = 3.0
) -> tuple[bool, str]:
    """Run ``env.reload_cmd`` in order; stop at the first failure. A rollback retries a few
    times: an ``ifreload`` orphaned by a killed CLI may still hold ifupdown2's lock.

    The commands run with ``IFGUARD_TXN`` set: the installed ifreload wrapper lets ifguard's
    own reload of an open transaction through (it was gated when the transaction began, and
    a rollback must never be refused); a ``pending.json`` alone lets nothing through."""
    saved = os.environ.get("IFGUARD_TXN")
    os.environ["IFGUARD_TXN"] = txn.id
    try:
        return _reload(env, txn, previous, attempts, pause)
    finally:
        if saved is None:
            os.environ.pop("IFGUARD_TXN", None)
        else:
            os.environ["IFGUARD_TXN"] = saved


def _reload(
    env: Env, txn: Transaction, previous: str, attempts: int, pause: float
) -> tuple[bool, str]:
    why = ""
    for attempt in range(attempts):
        if attempt:
            env.clock.sleep(pause)
        busy = False
        for argv in reload_argv(txn, env.reload_cmd, previous):
            done = env.runner.run(argv, timeout=txn.reload_timeout)
            if not done.ok:
                detail = (done.err or done.out).strip().splitlines()
                why = f"`{' '.join(argv)}` exited {done.rc}" + (f": {detail[-1]}" if detail else "")
                busy = any(_BUSY in line.lower() for line in detail for _BUSY in _BUSY_WORDS)
                break
        else:
            return True, ""
        if not busy:
            break
    return False, why
