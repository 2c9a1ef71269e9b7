"""Fakes for the apply state machine: a clock that advances when slept on, a runner that
records argv lists, a spawner that 'starts' the guardian in-process."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ifguard.apply import record as rec
from ifguard.apply.begin import Request, begin
from ifguard.apply.record import StateDir, Transaction
from ifguard.apply.transaction import Env, update
from ifguard.network.probe_report import ProbeReport, ProbeResult, ProbeStatus
from ifguard.store.history import History
from ifguard.system.process import start_ticks
from ifguard.system.root import Root
from ifguard.system.runner import Completed

DEAD_PID = 2**22 + 1  # above the largest possible pid_max
MAIN = "/etc/network/interfaces"
OLD = b"auto lo\niface lo inet loopback\n# old\n"
NEW = b"auto lo\niface lo inet loopback\n# new\n"


class FakeClock:
    def __init__(self, t: float = 1_000_000.0) -> None:
        self.t = t
        self.hooks: list[Callable[[FakeClock], object]] = []
        self.slept = 0.0

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += seconds
        self.slept += seconds
        for hook in list(self.hooks):
            hook(self)


@dataclass
class FakeRunner:
    fail: set[str] = field(default_factory=set)  # argv[0] values that fail
    calls: list[list[str]] = field(default_factory=list)
    on_run: Callable[[list[str]], None] | None = None
    message: str = "boom"

    def run(self, argv: Sequence[str], *, timeout: float | None = None) -> Completed:
        self.calls.append(list(argv))
        if self.on_run:
            self.on_run(list(argv))
        if argv[0] in self.fail:
            return Completed(1, "", f"{argv[0]}: {self.message}")
        return Completed(0, "", "")


class FakeSpawner:
    kind = "fake"

    def __init__(self, env: Env, pid: int | None = None) -> None:
        self.env = env
        self.pid = os.getpid() if pid is None else pid
        self.argv: list[str] = []

    def spawn(self, argv: Sequence[str]) -> None:
        self.argv = list(argv)
        txn_id = argv[-1]
        update(
            self.env,
            txn_id,
            rec.OPEN_STATES,
            lambda t: replace(t, guardian_pid=self.pid, guardian_ticks=start_ticks(self.pid)),
        )


class Probes:
    """A probe whose verdicts are scripted: a list of booleans consumed in order."""

    def __init__(self, *verdicts: bool) -> None:
        self.verdicts = list(verdicts)
        self.calls = 0

    def __call__(self) -> ProbeReport:
        self.calls += 1
        ok = self.verdicts.pop(0) if self.verdicts else True
        status = ProbeStatus.PASS if ok else ProbeStatus.FAIL
        return ProbeReport((ProbeResult("gateway answers", status, "" if ok else "timeout"),))


@dataclass
class World:
    root: Path
    env: Env
    clock: FakeClock
    runner: FakeRunner
    spawner: FakeSpawner

    @property
    def main(self) -> Path:
        return self.root / MAIN.lstrip("/")

    def begin(self, changes: dict[str, bytes | None] | None = None, **kw: Any) -> Transaction:
        req = Request(
            root=Root(self.root),
            changes=changes or {MAIN: NEW},
            snapshot_files={MAIN: self.main.read_bytes()},
            candidate_files={MAIN: NEW},
            **kw,
        )
        return begin(self.env, req, self.spawner, lambda i: ["guardian", i])

    def pending(self) -> Transaction | None:
        return self.env.state.read()

    def die(self) -> None:
        """The CLI is gone (SIGKILL): its pid no longer names a live process."""
        txn = self.pending()
        assert txn is not None
        with self.env.state.locked():
            self.env.state.write(replace(txn, apply_pid=DEAD_PID, apply_ticks=None))


def make_world(tmp: Path, probe: Callable[[], ProbeReport] | None = None) -> World:
    root = tmp / "root"
    (root / "etc/network").mkdir(parents=True)
    (root / MAIN.lstrip("/")).write_bytes(OLD)
    clock = FakeClock()
    runner = FakeRunner()
    state = StateDir(root / "var/lib/ifguard")
    env = Env(
        runner=runner,
        clock=clock,
        state=state,
        history=History(state.path / "history.db", clock=clock),
        probe=probe or Probes(),
    )
    return World(root, env, clock, runner, FakeSpawner(env))
