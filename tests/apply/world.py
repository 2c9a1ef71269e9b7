"""A transaction's world for the apply state machine tests: a host root with one interfaces
file, the real ``Env`` (state directory, history) on the fakes of ``tests/fakes.py`` (a clock
that moves when slept on, a runner that records argv lists, a spawner that 'starts' the
guardian in-process, scripted probes)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ifguard.apply.begin import Request, begin
from ifguard.apply.probes import Prober
from ifguard.apply.transaction import Env
from ifguard.store.history import History
from ifguard.store.record import APPLY_TIMEOUTS, Timeouts, Transaction
from ifguard.store.statedir import StateDir
from ifguard.system.root import Root
from tests.fakes import FakeClock, FakeProber, FakeRunner, FakeSpawner

DEAD_PID = 2**22 + 1  # above the largest possible pid_max
MAIN = "/etc/network/interfaces"
OLD = b"auto lo\niface lo inet loopback\n# old\n"
NEW = b"auto lo\niface lo inet loopback\n# new\n"


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

    def begin(
        self,
        changes: dict[str, bytes | None] | None = None,
        *,
        timeout: float = APPLY_TIMEOUTS.confirm,
        reload_timeout: float = APPLY_TIMEOUTS.reload,
        **kw: Any,
    ) -> Transaction:
        req = Request(
            timeouts=Timeouts(confirm=timeout, reload=reload_timeout),
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


def make_world(tmp: Path, probe: Prober | None = None) -> World:
    root = tmp / "root"
    (root / "etc/network").mkdir(parents=True)
    (root / MAIN.lstrip("/")).write_bytes(OLD)
    clock = FakeClock()
    runner = FakeRunner()
    state = StateDir(root / "var/lib/ifguard", Root(root))
    env = Env(
        reload_cmd=(("ifreload", "-a"),),
        runner=runner,
        clock=clock,
        state=state,
        history=History(state.path / "history.db", clock=clock),
        probe=probe or FakeProber(),
    )
    return World(root, env, clock, runner, FakeSpawner(env))
