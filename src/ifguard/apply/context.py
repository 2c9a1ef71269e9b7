"""Wiring shared by the apply-family commands: where state lives, the real side effects,
the reload command per dialect (``reloading.RELOAD``), the probe callable (the files on
disk: ``config.ondisk``)."""

from __future__ import annotations

import contextlib
import os
import shlex
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from ifguard.apply.probes import Prober, no_probes
from ifguard.apply.reloading import RELOAD
from ifguard.apply.transaction import Env
from ifguard.config.ondisk import config_on_disk
from ifguard.network.cluster import cluster_of
from ifguard.network.state import NetState, ssh_endpoints, state_from_config
from ifguard.store.history import open_history
from ifguard.store.record import Transaction
from ifguard.store.statedir import StateDir
from ifguard.system.clock import Clock, SystemClock
from ifguard.system.errors import UsageError
from ifguard.system.root import Root
from ifguard.system.runner import Runner, SubprocessRunner

__all__ = ["RELOAD"]


def who() -> str:
    """Who runs this change, for the history: the login behind sudo, else this user."""
    import getpass

    name = os.environ.get("SUDO_USER") or ""
    if not name:
        with contextlib.suppress(Exception):
            name = getpass.getuser()
    return name[:64]


def check_writable(root: Root, system_paths: Sequence[str]) -> None:
    """Refuse before anything starts when a target cannot be written (not root?)."""
    for system_path in system_paths:
        directory = root.path(system_path).parent
        if not os.access(directory, os.W_OK):
            raise UsageError(f"{directory}: not writable: cannot apply (run as root?)")


def make_env(
    state_dir: Path,
    root: Root,
    *,
    runner: Runner | None = None,
    clock: Clock | None = None,
    quiet: bool = False,
) -> Env:
    state = StateDir(state_dir, root)
    try:
        state.ensure()
        history = open_history(state_dir)
    except (OSError, sqlite3.Error) as exc:
        raise UsageError(
            f"{state_dir}: cannot use the state directory: "
            f"{getattr(exc, 'strerror', None) or exc} (run as root?)"
        ) from None

    def say(message: str) -> None:
        if not quiet:
            # the terminal may be gone; the record and the history keep the story
            with contextlib.suppress(OSError, ValueError):
                print(f"ifguard: {message}", file=sys.stderr, flush=True)

    return Env(
        runner=runner or SubprocessRunner(),
        clock=clock or SystemClock(),
        state=state,
        history=history,
        say=say,
    )


def parse_reload_cmd(text: str | None) -> tuple[tuple[str, ...], ...] | None:
    """``--reload-cmd``: split like a shell would (no shell runs it); ``;;`` separates
    several commands. None (or empty): the dialect's command (``RELOAD``)."""
    if not text:
        return None
    try:
        cmds = [tuple(shlex.split(part)) for part in text.split(";;")]
    except ValueError as exc:
        raise UsageError(f"--reload-cmd {text!r}: {exc}") from None
    if not all(cmds):
        raise UsageError(f"--reload-cmd {text!r}: empty command")
    return tuple(cmds)


def state_on_disk(root: Root) -> NetState:
    return state_from_config(config_on_disk(root))


def before_state(
    root: Root,
    after: NetState,
    against: str = "auto",
    runner: Runner | None = None,
    *,
    current: NetState | None = None,
) -> tuple[NetState, str]:
    """What the candidate is compared with: the running state (``against`` running, or auto
    when --root is / and ``ip`` works) restricted to the names in the files, else the current
    file (``current``: its state when it was read already). Returns the state and a label."""
    current = current if current is not None else state_on_disk(root)
    if against == "file" or (against == "auto" and root.prefix != Path("/")):
        return current, "current file"
    from ifguard.network.readers import read_runtime
    from ifguard.network.running import restrict, running_state

    rt = read_runtime(runner or SubprocessRunner(), root)
    running = running_state(rt)
    if running is None:
        if against == "running":
            raise UsageError(
                "cannot read the running state: "
                + ("; ".join(rt.errors) or "no links over netlink")
            )
        return current, "current file (running state unavailable)"
    return restrict(running, set(current.ports) | set(after.ports)), "running state"


def make_prober(
    root: Root,
    runner: Runner,
    clock: Clock,
    targets: Sequence[str],
    ssh: tuple[str, str] | None,
    timeout: float,
) -> Prober:
    from ifguard.apply.probes import builtin_prober
    from ifguard.network.corosync import read_view
    from ifguard.network.netprobe import SystemNet
    from ifguard.network.readers import read_runtime

    return builtin_prober(
        lambda: config_on_disk(root),
        lambda: read_runtime(runner, root),
        SystemNet(runner),
        clock,
        targets=targets,
        ssh=ssh,
        timeout=timeout,
        cluster=lambda: cluster_of(root),
        # corosync is this host's: asked only for the host's own configuration
        view=(lambda c: read_view(runner, c)) if root.prefix == Path("/") else None,
    )


def prober_for(env: Env, txn: Transaction) -> Prober:
    if not txn.probes_enabled:
        return no_probes
    return make_prober(
        env.state.root, env.runner, env.clock, txn.probe_targets, txn.ssh, txn.probe_timeout
    )


def ssh_of_environment() -> tuple[str, str] | None:
    return ssh_endpoints(os.environ)
