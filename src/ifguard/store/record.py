"""The pending-transaction record: the data of one guarded change (its states, targets,
timeouts) as JSON, loaded fail-closed. Where it lives and how it is changed (under a lock,
atomically) is ``store.statedir``.

The record is data, never code or a path to trust: no command is stored in it (the reload
is the running code's, ``apply.reloading``; records of older versions holding a
``reload_cmd`` still load, the field ignored), and every path is derived when it is read -
each target's real path from its managed system path under the ``--root`` this process
runs with (the record's own ``root`` and ``path`` are ignored), its snapshot and candidate
bytes from ``txn/<ID>/before|after/<n>`` of this state directory.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from ifguard.system.errors import UsageError


class DamagedRecord(UsageError):
    """``pending.json`` cannot be read as a transaction: every command stops (exit 2) and
    every gate refuses, with one line that says how to clear it."""


def damaged(path: Path, why: str) -> DamagedRecord:
    return DamagedRecord(
        f"{path}: damaged transaction record ({why}); nothing was changed - look at it, then "
        "`ifguard rollback --discard` sets it aside (until then the gates refuse; "
        "IFGUARD_FORCE=1 lets one reload through)"
    )


class TxnState(StrEnum):
    """The states of a transaction; the values are what records on disk hold."""

    ARMED = "armed"  # guardian up, nothing written yet
    APPLIED = "applied"  # candidate written (reload/probes running or done), unconfirmed
    CONFIRMED = "confirmed"
    ROLLING_BACK = "rolling-back"
    ROLLED_BACK = "rolled-back"
    ROLLBACK_FAILED = "rollback-failed"  # files restored, but the reload failed
    ABORTED = "aborted"  # given up before anything was written


ARMED, APPLIED, CONFIRMED = TxnState.ARMED, TxnState.APPLIED, TxnState.CONFIRMED
ROLLING_BACK, ROLLED_BACK = TxnState.ROLLING_BACK, TxnState.ROLLED_BACK
ROLLBACK_FAILED, ABORTED = TxnState.ROLLBACK_FAILED, TxnState.ABORTED
OPEN_STATES = frozenset({ARMED, APPLIED, ROLLING_BACK})
FINAL_STATES = frozenset({CONFIRMED, ROLLED_BACK, ROLLBACK_FAILED, ABORTED})


@dataclass(frozen=True)
class Timeouts:
    """Every time limit of a guarded change, in seconds: the one place for their defaults
    (the command line's, the request's, the record's and the prober's)."""

    confirm: float = 120.0  # roll back unless confirmed within this long after the reload
    reload: float = 120.0  # give up on one reload command after this long
    probe: float = 8.0  # how long probes may take to turn green after a reload
    settle: float = 10.0  # how long probes must stay green for --auto-confirm


APPLY_TIMEOUTS = Timeouts()
# a reload someone else started (`ifguard reload`): nobody waits at a prompt, so a short
# probe, and a green probe confirms at once (no settle period)
RELOAD_TIMEOUTS = Timeouts(probe=4.0, settle=0.0)


@dataclass(frozen=True)
class Target:
    """A file the transaction writes: where it is, what it held before, what it will hold."""

    path: str  # real path (under the root); on reading, derived from system_path and --root
    system_path: str  # the path as the host sees it (a managed file, checked on reading)
    # snapshot / candidate file in the txn dir (None: the file did not exist / is removed);
    # on reading, derived as txn/<ID>/before|after/<index>, whatever the record says
    before: str | None
    after: str | None
    before_hash: str | None = None
    after_hash: str | None = None


@dataclass(frozen=True)
class Transaction:
    id: str
    created: float
    timeout: float
    deadline: float
    state: TxnState
    root: str  # informational: paths are derived from the --root of the reader
    targets: tuple[Target, ...]
    candidate_hash: str
    snapshot_version: int | None = None
    candidate_version: int | None = None
    phase: str = ""  # "writing", "reloading", "probing", "settling"
    phase_since: float = 0.0
    reload_timeout: float = APPLY_TIMEOUTS.reload
    auto_confirm: bool = False
    management_touched: bool = False
    # why the candidate's next boot would not bring the management path up (docs/boot.md):
    # such a version is never recorded as known-good, whatever the probes say now
    boot_cut: str = ""
    apply_pid: int | None = None
    apply_ticks: int | None = None
    guardian_pid: int | None = None
    guardian_ticks: int | None = None
    guardian_kind: str = ""  # "systemd-run" | "fork"
    actor_pid: int | None = None  # who is rolling back
    actor_ticks: int | None = None
    probe_targets: tuple[str, ...] = ()
    probe_timeout: float = APPLY_TIMEOUTS.probe
    probes_enabled: bool = True
    ssh: tuple[str, str] | None = None
    probes: Mapping[str, Any] | None = None
    rollback_probes: Mapping[str, Any] | None = None
    reload_error: str = ""  # the reload failed but probes were green
    outcome: str = ""  # human-readable reason of the final state
    finished: float | None = None
    log: tuple[str, ...] = field(default_factory=tuple)

    @property
    def timeouts(self) -> Timeouts:
        return Timeouts(confirm=self.timeout, reload=self.reload_timeout, probe=self.probe_timeout)

    @property
    def open(self) -> bool:
        return self.state in OPEN_STATES

    def with_log(self, now: float, message: str, **changes: Any) -> Transaction:
        return replace(self, log=(*self.log, f"{now:.3f} {message}"), **changes)

    def to_json(self) -> bytes:
        return (json.dumps(asdict(self), indent=1, sort_keys=True, default=str) + "\n").encode()

    @classmethod
    def from_json(cls, data: bytes) -> Transaction:
        raw = json.loads(data)
        if not isinstance(raw, dict):
            raise TypeError(f"a JSON object expected, not {type(raw).__name__}")
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k in known}
        values["targets"] = tuple(Target(**t) for t in raw.get("targets", ()))
        values["state"] = TxnState(raw["state"])
        values["log"] = tuple(raw.get("log", ()))
        values["probe_targets"] = tuple(raw.get("probe_targets", ()))
        ssh = raw.get("ssh")
        values["ssh"] = (str(ssh[0]), str(ssh[1])) if ssh else None
        return cls(**values)
