"""The world of a guarded change: every side effect ``pipeline.guarded_change`` has, in one
frozen value (runner, clock, prober, output, alert sink, guardian spawner, the unguarded
reload). The defaults are the real ones; tests pass the fakes of tests/fakes.py."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ifguard.apply import context as ctx
from ifguard.apply.guardian import Spawner
from ifguard.apply.probes import Prober
from ifguard.apply.request import ApplyRequest
from ifguard.apply.transaction import Env
from ifguard.lint.engine import Result
from ifguard.store.record import Transaction
from ifguard.system.clock import Clock, SystemClock
from ifguard.system.root import Root
from ifguard.system.runner import Runner, SubprocessRunner


def _print(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(message, flush=True)


def _no_alert(_title: str, _body: str) -> bool:
    return True


def _no_report(_result: Result) -> None:
    return None


@dataclass(frozen=True)
class World:
    runner: Runner = field(default_factory=SubprocessRunner)
    clock: Clock = field(default_factory=SystemClock)
    out: Callable[[str], None] = _print  # the change's story (plan, outcome)
    quiet: bool = False  # no "ifguard: ..." progress lines on stderr
    alert: Callable[[str, str], bool] = _no_alert  # (title, body) -> delivered
    spawner: Callable[[Env, ApplyRequest], Spawner] | None = None  # None: the request's
    prober: Callable[[Env, Transaction], Prober] = ctx.prober_for
    lint_report: Callable[[Result], None] = _no_report  # shown after the gate
    run_plain: Callable[[Sequence[str]], int] | None = None  # an unguarded reload
    on_tick: Callable[[Transaction], bool] | None = None  # True: the operator confirms
    # the probes before a restore (None: the real ones, one attempt): red before means
    # there is nothing better to go back to
    probe_before: Callable[[ApplyRequest, tuple[str, str] | None], Prober] | None = None

    def before(self, req: ApplyRequest, ssh: tuple[str, str] | None) -> Prober:
        if self.probe_before is not None:
            return self.probe_before(req, ssh)
        return ctx.make_prober(req.root, self.runner, self.clock, req.probes, ssh, 0.0)

    def env(self, req: ApplyRequest) -> Env:
        """The transaction's environment: state directory, history, this world's effects."""
        return self.env_at(req.state_dir, req.root)

    def env_at(self, state_dir: Path, root: Root) -> Env:
        return ctx.make_env(state_dir, root, runner=self.runner, clock=self.clock, quiet=self.quiet)


@dataclass(frozen=True)
class Outcome:
    """A guarded change's end: the final (or still pending) record, or the exit status of
    the unguarded reload it fell back to."""

    txn: Transaction | None = None
    txn_id: str = ""
    plain: int | None = None
    way_back: str = "the previous files"
