"""What every step of a guarded change works with (``Env``: runner, clock, state directory,
history, prober, the reload commands of this process) and the one way to change the pending
record (``update``, under the state-dir lock)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from ifguard.apply.probes import Prober, no_probes
from ifguard.store import record as rec
from ifguard.store.history import History
from ifguard.store.record import Transaction
from ifguard.store.statedir import StateDir
from ifguard.system.clock import Clock
from ifguard.system.process import start_ticks
from ifguard.system.runner import Runner

Commands = tuple[tuple[str, ...], ...]


class ApplyError(Exception):
    """The transaction cannot go on (another one is pending, the guardian did not start...)."""


@dataclass
class Env:
    """``reload_cmd``: the commands this process reloads with - chosen by the running code
    (the dialect's, ``reloading.RELOAD``) or given to it (``--reload-cmd``, the guardian's
    argv), never read from the record. Empty: nothing is reloaded (files only)."""

    runner: Runner
    clock: Clock
    state: StateDir
    history: History | None = None
    probe: Prober = no_probes
    say: Callable[[str], None] = lambda _m: None
    pid: int = field(default_factory=os.getpid)
    ticks: int | None = field(default_factory=lambda: start_ticks(os.getpid()))
    reload_cmd: Commands = ()

    def event(self, kind: str, txn: Transaction, **detail: object) -> None:
        if self.history is not None:
            self.history.record_event(
                kind, {"txn": txn.id, **detail}, version_id=txn.candidate_version
            )


def update(
    env: Env, txn_id: str, expect: frozenset[str], change: Callable[[Transaction], Transaction]
) -> Transaction | None:
    """Apply ``change`` to the pending record if it is ``txn_id`` in one of ``expect`` states;
    returns the new record, or None (and changes nothing) otherwise."""
    with env.state.locked():
        current = env.state.read()
        if current is None or current.id != txn_id or current.state not in expect:
            return None
        new = change(current)
        if new.state in rec.FINAL_STATES:
            env.state.close(new)
        else:
            env.state.write(new)
        return new
