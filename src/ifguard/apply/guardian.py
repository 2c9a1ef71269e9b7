"""The guardian: a process detached from the CLI that rolls the transaction back at the
deadline unless someone confirmed it.

It must outlive the ``ifguard apply`` that started it (SIGKILL), the SSH session (SIGHUP, a
closed terminal) and, through the pending record and the boot check, a reboot. Two ways to
start it:

* ``systemd-run`` (systemd is PID 1): a transient system service, outside the login session's
  cgroup, so logind's KillUserProcesses and the session scope going away cannot touch it;
* otherwise a double fork: ``setsid`` (no controlling terminal, so no SIGHUP from a hang-up),
  SIGHUP ignored anyway, stdio on /dev/null and a log file, cwd ``/``, then ``exec`` of a
  fresh ``python -m ifguard apply --guardian ID``. The grandchild is reparented to init and
  is in no process group the terminal or the CLI's killer can signal.

The guardian takes no decision the record does not allow: it re-reads the record every
second and exits as soon as the transaction is final. Once the CLI is gone after the reload
(SIGKILL, hang-up), the guardian probes itself (``Vigil``): red for ``RED_SETTLE_S`` (or the
transaction's probe timeout, if shorter) -> roll back now; green -> wait for a confirmation as
before (or, for an ``--auto-confirm`` transaction, confirm after ``GREEN_SETTLE_S`` green).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from ifguard.apply.probes import Prober
from ifguard.apply.reloading import encode
from ifguard.apply.transaction import ApplyError, Commands, Env, confirm, rollback, update
from ifguard.store import record as rec
from ifguard.store.record import Transaction
from ifguard.system.process import process_alive, systemd_is_pid1
from ifguard.system.root import Root


class Spawner(Protocol):
    kind: str

    def spawn(self, argv: Sequence[str]) -> None: ...


def guardian_argv(
    txn_id: str,
    state_dir: Path,
    root: Root,
    reload_cmd: Commands,
    *,
    python: str = sys.executable,
) -> list[str]:
    """The guardian's command line: the reload commands of the CLI that starts it travel
    here (``--guardian-reload``, exact JSON), never through the state directory."""
    return [
        python,
        "-m",
        "ifguard",
        "apply",
        "--guardian",
        txn_id,
        "--state-dir",
        str(state_dir),
        "--root",
        str(root.prefix),
        "--guardian-reload",
        encode(reload_cmd),
    ]


def systemd_run_argv(txn_id: str, argv: Sequence[str]) -> list[str]:
    """A transient service (not a scope: it must not belong to the caller's session)."""
    return [
        "systemd-run",
        f"--unit=ifguard-guardian-{txn_id}",
        f"--description=ifguard rollback guardian for transaction {txn_id}",
        "--collect",
        "--quiet",
        "--no-ask-password",
        "--service-type=exec",
        "--property=KillMode=mixed",
        "--property=TimeoutStopSec=180",
        "--",
        *argv,
    ]


class SystemdRunSpawner:
    kind = "systemd-run"

    def spawn(self, argv: Sequence[str]) -> None:
        import subprocess

        txn_id = argv[argv.index("--guardian") + 1]
        cmd = systemd_run_argv(txn_id, argv)
        proc = subprocess.run(
            cmd, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL
        )
        if proc.returncode != 0:
            raise ApplyError(f"systemd-run failed ({proc.returncode}): {proc.stderr.strip()}")


class ForkSpawner:
    kind = "fork"

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path

    def spawn(self, argv: Sequence[str]) -> None:
        detach(list(argv), self.log_path)


def detach(argv: list[str], log_path: Path) -> int:
    """Double fork + setsid + exec; returns the guardian's pid (read back over a pipe)."""
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the forked child
        try:
            os.close(read_end)
            os.setsid()
            grandchild = os.fork()
            if grandchild:
                os.write(write_end, str(grandchild).encode())
                os._exit(0)
            signal.signal(signal.SIGHUP, signal.SIG_IGN)  # SIG_IGN survives exec
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
            os.chdir("/")
            os.umask(0o077)
            null = os.open(os.devnull, os.O_RDWR)
            log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            os.dup2(null, 0)
            os.dup2(log, 1)
            os.dup2(log, 2)
            os.closerange(3, 65536)
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    os.close(write_end)
    chunks = []
    while True:
        chunk = os.read(read_end, 64)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(child, 0)
    data = b"".join(chunks)
    if not data:
        raise ApplyError("could not start the guardian process (fork failed)")
    return int(data)


def choose_spawner(state_dir: Path, prefer: str = "auto") -> Spawner:
    if prefer == "systemd-run" or (prefer == "auto" and systemd_is_pid1()):
        return SystemdRunSpawner()
    return ForkSpawner(state_dir / "guardian.log")


def due(txn: Transaction, now: float, me: int) -> str | None:
    """Why the guardian must roll back now, or None to keep waiting."""
    apply_alive = process_alive(txn.apply_pid, txn.apply_ticks)
    if txn.state == rec.ARMED:
        return None if apply_alive else "apply process gone before writing anything"
    if txn.state == rec.ROLLING_BACK:
        if txn.actor_pid == me or process_alive(txn.actor_pid, txn.actor_ticks):
            return None
        return "an interrupted rollback is resumed"
    if txn.state != rec.APPLIED:
        return None
    if (
        txn.phase in ("writing", "reloading")
        and apply_alive
        and now < txn.phase_since + txn.reload_timeout + txn.timeout
    ):
        return None  # a slow reload in progress: the CLI extends the deadline when it ends
    if (
        txn.phase == "probing"
        and apply_alive
        and now < txn.phase_since + txn.probe_timeout + txn.timeout
    ):
        return None  # probes still retrying: the CLI rolls back itself if they stay red
    if now >= txn.deadline:
        return f"not confirmed within {txn.timeout:g} s"
    return None


# After the CLI died: how long probes must stay red before the guardian rolls back. A
# healthy reload is green within a few seconds in the lab (LACP kept, ARP announced); the
# CLI alive waits --probe-timeout (8 s by default, maybe more), the guardian no longer.
RED_SETTLE_S = 8.0
GREEN_SETTLE_S = 3.0
_PROBING_PHASES = frozenset({"reloading", "probing", "waiting"})


class Vigil:
    """The guardian's own probing once the CLI is gone: one quick probe attempt per tick."""

    def __init__(self, probe: Prober) -> None:
        self.probe = probe
        self.red_since: float | None = None
        self.green_since: float | None = None

    def step(self, env: Env, txn: Transaction, now: float) -> tuple[str, str] | None:
        """("rollback"|"confirm", why) when the probes decide, else None."""
        report = self.probe()
        now = env.clock.now()
        if report.healthy:
            if self.red_since is not None or self.green_since is None:
                env.say(f"guardian: probes green ({report.summary()})")
            self.red_since = None
            self.green_since = self.green_since or now
            if txn.auto_confirm and now - self.green_since >= GREEN_SETTLE_S:
                return "confirm", "probes green with the CLI gone (--auto-confirm)"
            return None
        self.green_since = None
        if self.red_since is None:
            env.say(f"guardian: probes red ({report.summary()})")
            # right after the reload, the grace period counts from the reload's end
            start = txn.phase_since if txn.phase in ("reloading", "probing") else now
            self.red_since = min(start, now)
        settle = min(RED_SETTLE_S, max(1.0, txn.probe_timeout))
        if now - self.red_since >= settle:
            return "rollback", (
                f"probes red for {now - self.red_since:.0f} s after the CLI was gone: "
                f"{report.summary()}"
            )
        return None


def cli_gone_after_reload(txn: Transaction) -> bool:
    return (
        txn.state == rec.APPLIED
        and txn.phase in _PROBING_PHASES
        and not process_alive(txn.apply_pid, txn.apply_ticks)
    )


def guard(
    env: Env,
    txn_id: str,
    *,
    max_interval: float = 1.0,
    quick_probe: Prober | None = None,
) -> int:
    """The guardian's main loop. Returns the exit status. ``quick_probe`` (one attempt, no
    retries) lets it decide by itself once the CLI is gone; without it, only the deadline."""
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    now = env.clock.now()
    started = update(
        env,
        txn_id,
        rec.OPEN_STATES,
        lambda t: t.with_log(
            now, f"guardian up (pid {env.pid})", guardian_pid=env.pid, guardian_ticks=env.ticks
        ),
    )
    if started is None:
        return 0
    vigil = Vigil(quick_probe) if quick_probe is not None and started.probes_enabled else None
    while True:
        current = env.state.read()
        if current is None or current.id != txn_id or not current.open:
            return 0
        now = env.clock.now()
        reason = due(current, now, env.pid)
        if reason is None and vigil is not None and cli_gone_after_reload(current):
            decision = vigil.step(env, current, now)
            if decision is not None and decision[0] == "confirm":
                confirm(env, txn_id, decision[1])
                continue
            reason = decision[1] if decision is not None else None
            now = env.clock.now()
        if reason is not None:
            with contextlib.suppress(ApplyError):  # someone else is rolling back: watch
                rollback(env, txn_id, reason)
            continue
        env.clock.sleep(max(0.05, min(max_interval, current.deadline - now)))
