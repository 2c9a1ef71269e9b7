"""The transaction state machine with fakes: no root, no sleeping, no real reload."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from ifguard.apply.guardian import guard
from ifguard.apply.probes import no_probes
from ifguard.apply.transaction import (
    ApplyError,
    apply_candidate,
    confirm,
    recover_stale,
    reload_argv,
    rollback,
    settle,
    update,
    wait_final,
)
from ifguard.store import record as rec
from tests.apply.world import (
    DEAD_PID,
    MAIN,
    NEW,
    OLD,
    World,
    make_world,
)
from tests.fakes import FakeProber, FakeSpawner


@pytest.mark.slow
def test_confirmed_change_is_kept_and_known_good(tmp_path: Path) -> None:
    w = make_world(tmp_path)
    txn = w.begin(timeout=30)
    assert txn.state == rec.ARMED and w.main.read_bytes() == OLD  # armed, nothing written
    applied = apply_candidate(w.env, txn)
    assert applied is not None and applied.state == rec.APPLIED
    assert w.main.read_bytes() == NEW
    assert w.runner.calls == [["ifreload", "-a"]]
    done = confirm(w.env, txn.id)
    assert done is not None and done.state == rec.CONFIRMED
    assert w.pending() is None
    assert (w.env.state.txn_dir(txn.id) / "result.json").exists()
    assert w.env.history is not None
    good = w.env.history.last_known_good()
    assert good is not None and good.files == {MAIN: NEW}
    kinds = [e.kind for e in w.env.history.events()]
    assert kinds[0] == "apply-confirmed" and "apply-started" in kinds
    assert confirm(w.env, txn.id) is None  # twice is a no-op


@pytest.mark.slow
def test_failed_probes_roll_back_at_once(tmp_path: Path) -> None:
    w = make_world(tmp_path, probe=FakeProber(False, True))
    txn = w.begin()
    final = apply_candidate(w.env, txn)
    assert final is not None and final.state == rec.ROLLED_BACK
    assert "probes failed" in final.outcome
    assert w.main.read_bytes() == OLD
    assert w.runner.calls == [["ifreload", "-a"], ["ifreload", "-a"]]
    assert final.rollback_probes == {
        "ok": True,
        "checks": [{"name": "gateway answers", "ok": True, "detail": ""}],
    }
    assert w.pending() is None
    assert w.env.history is not None and w.env.history.last_known_good() is None


def _failing_first_reload(w: World) -> None:
    fails = iter([True, False])

    def flaky(argv: list[str]) -> None:
        w.runner.fail = {"ifreload"} if next(fails, False) else set()

    w.runner.on_run = flaky


@pytest.mark.slow
def test_failed_reload_with_red_probes_rolls_back(tmp_path: Path) -> None:
    w = make_world(tmp_path, probe=FakeProber(False, True))
    _failing_first_reload(w)
    final = apply_candidate(w.env, w.begin())
    assert final is not None and final.state == rec.ROLLED_BACK
    assert "reload failed" in final.outcome and "boom" in final.outcome
    assert "probes failed" in final.outcome
    assert w.main.read_bytes() == OLD


@pytest.mark.slow
def test_failed_reload_without_probes_rolls_back(tmp_path: Path) -> None:
    w = make_world(tmp_path, probe=no_probes)
    _failing_first_reload(w)
    final = apply_candidate(w.env, w.begin())
    assert final is not None and final.state == rec.ROLLED_BACK
    assert "no probes" in final.outcome and w.main.read_bytes() == OLD


@pytest.mark.slow
def test_failed_reload_with_green_probes_is_judged_by_the_probes(tmp_path: Path) -> None:
    w = make_world(tmp_path)
    _failing_first_reload(w)
    txn = apply_candidate(w.env, w.begin(auto_confirm=True))
    assert txn is not None and txn.state == rec.APPLIED
    assert txn.auto_confirm and "boom" in txn.reload_error
    assert w.main.read_bytes() == NEW


@pytest.mark.slow
def test_rollback_reload_busy_is_retried_and_judged_by_the_probes(tmp_path: Path) -> None:
    w = make_world(tmp_path, probe=FakeProber(True, False))
    txn = apply_candidate(w.env, w.begin())
    assert txn is not None
    w.runner.fail = {"ifreload"}
    w.runner.message = "error: Another instance of this program is already running."
    final = rollback(w.env, txn.id, "test")
    assert final.state == rec.ROLLBACK_FAILED
    assert w.main.read_bytes() == OLD  # the files are back even though the reload failed
    assert len(w.runner.calls) == 1 + 3


@pytest.mark.slow
def test_rollback_reload_error_with_green_probes_is_rolled_back(tmp_path: Path) -> None:
    w = make_world(tmp_path)
    txn = apply_candidate(w.env, w.begin())
    assert txn is not None
    w.runner.fail = {"ifreload"}  # a plain error: not retried
    final = rollback(w.env, txn.id, "test")
    assert final.state == rec.ROLLED_BACK and len(w.runner.calls) == 2
    assert any("reload: `ifreload -a` exited 1" in line for line in final.log)


@pytest.mark.slow
def test_guardian_rolls_back_at_the_deadline_when_the_cli_is_gone(tmp_path: Path) -> None:
    w = make_world(tmp_path)
    txn = apply_candidate(w.env, w.begin(timeout=20))
    assert txn is not None
    w.die()
    reloaded_at = txn.phase_since
    rolled: list[float] = []
    w.runner.on_run = lambda argv: rolled.append(w.clock.now())
    assert guard(w.env, txn.id) == 0
    assert w.main.read_bytes() == OLD
    assert rolled and txn.deadline <= rolled[0] <= txn.deadline + 1.0
    assert rolled[0] - reloaded_at >= 20
    result = w.env.state.last_result()
    assert result is not None and result.state == rec.ROLLED_BACK
    assert "not confirmed within 20 s" in result.outcome


def test_reload_finished_is_said_after_the_deadline_counts_from_it(tmp_path: Path) -> None:
    """A CLI killed right after "reload finished" (the e2e driver does exactly that) leaves a
    record whose confirmation window starts at the reload's end, not at the write: a slow
    reload under load must not eat the operator's --timeout."""
    w = make_world(tmp_path)
    w.runner.on_run = lambda argv: w.clock.sleep(6.0)  # the reload takes 6 s
    seen: list[tuple[str, float, float]] = []

    def say(line: str) -> None:
        txn = w.pending()
        assert txn is not None
        seen.append((line, txn.deadline, w.clock.now()))

    w.env = replace(w.env, say=say)
    txn = apply_candidate(w.env, w.begin(timeout=20))
    assert txn is not None
    finished = [(d, t) for line, d, t in seen if line.startswith("reload finished")]
    assert len(finished) == 1
    deadline, said_at = finished[0]
    assert deadline >= said_at + 20  # the whole window is still ahead when the line appears


@pytest.mark.slow
def test_guardian_stands_down_on_confirm(tmp_path: Path) -> None:
    w = make_world(tmp_path)
    txn = apply_candidate(w.env, w.begin(timeout=20))
    assert txn is not None
    w.clock.hooks.append(lambda c: confirm(w.env, txn.id) if c.t > txn.created + 5 else None)
    assert guard(w.env, txn.id) == 0
    assert w.main.read_bytes() == NEW
    assert w.clock.t < txn.deadline
    assert len(w.runner.calls) == 1


@pytest.mark.slow
def test_guardian_waits_for_a_slow_reload_while_the_cli_lives(tmp_path: Path) -> None:
    w = make_world(tmp_path)
    txn = w.begin(timeout=10, reload_timeout=100)
    # simulate: candidate written, reload running for longer than the timeout
    update(
        w.env,
        txn.id,
        frozenset({rec.ARMED}),
        lambda t: replace(
            t,
            state=rec.APPLIED,
            phase="reloading",
            phase_since=w.clock.now(),
            deadline=w.clock.now() + 10,
        ),
    )
    w.clock.hooks.append(lambda c: w.die() if c.t > txn.created + 50 else None)
    guard(w.env, txn.id)
    # not rolled back at +10 s (CLI alive, reload running); rolled back once the CLI died
    assert w.clock.t > txn.created + 50
    assert w.env.state.last_result() is not None


@pytest.mark.slow
def test_guardian_aborts_when_the_cli_dies_before_writing(tmp_path: Path) -> None:
    w = make_world(tmp_path)
    txn = w.begin()
    w.die()
    guard(w.env, txn.id)
    result = w.env.state.last_result()
    assert result is not None and result.state == rec.ABORTED
    assert w.main.read_bytes() == OLD and w.runner.calls == []


@pytest.mark.slow
def test_guardian_resumes_an_interrupted_rollback(tmp_path: Path) -> None:
    w = make_world(tmp_path)
    txn = apply_candidate(w.env, w.begin())
    assert txn is not None
    update(
        w.env,
        txn.id,
        frozenset({rec.APPLIED}),
        lambda t: replace(t, state=rec.ROLLING_BACK, actor_pid=DEAD_PID, actor_ticks=None),
    )
    guard(w.env, txn.id)
    assert w.main.read_bytes() == OLD
    result = w.env.state.last_result()
    assert result is not None and result.state == rec.ROLLED_BACK


@pytest.mark.slow
def test_rollback_by_a_live_other_actor_is_refused(tmp_path: Path) -> None:
    w = make_world(tmp_path)
    txn = apply_candidate(w.env, w.begin())
    assert txn is not None
    update(
        w.env,
        txn.id,
        frozenset({rec.APPLIED}),
        lambda t: replace(t, state=rec.ROLLING_BACK, actor_pid=1, actor_ticks=None),
    )
    with pytest.raises(ApplyError, match="already being rolled back"):
        rollback(w.env, txn.id, "second")


@pytest.mark.slow
def test_begin_refuses_while_another_transaction_is_open(tmp_path: Path) -> None:
    w = make_world(tmp_path)
    apply_candidate(w.env, w.begin())
    with pytest.raises(ApplyError, match="still open"):
        w.begin()


@pytest.mark.slow
def test_stale_armed_record_is_cleaned(tmp_path: Path) -> None:
    w = make_world(tmp_path)
    txn = w.begin()
    w.die()
    update(
        w.env,
        txn.id,
        rec.OPEN_STATES,
        lambda t: replace(t, guardian_pid=DEAD_PID, guardian_ticks=None),
    )
    assert recover_stale(w.env) is None
    assert w.pending() is None
    w.begin()  # a new transaction can start


@pytest.mark.slow
def test_stale_applied_record_blocks_until_the_operator_decides(tmp_path: Path) -> None:
    w = make_world(tmp_path)
    txn = apply_candidate(w.env, w.begin())
    assert txn is not None
    w.die()
    update(
        w.env,
        txn.id,
        rec.OPEN_STATES,
        lambda t: replace(t, guardian_pid=DEAD_PID, guardian_ticks=None),
    )
    with pytest.raises(ApplyError, match="guardian NOT running"):
        w.begin()
    rollback(w.env, txn.id, "operator")
    assert w.main.read_bytes() == OLD


@pytest.mark.slow
def test_settle_confirms_when_green(tmp_path: Path) -> None:
    w = make_world(tmp_path)
    txn = apply_candidate(w.env, w.begin(auto_confirm=True))
    assert txn is not None
    start = w.clock.t
    done = settle(w.env, txn, 10, interval=2)
    assert done.state == rec.CONFIRMED and w.clock.t - start >= 10
    assert w.main.read_bytes() == NEW


@pytest.mark.slow
def test_settle_rolls_back_on_red(tmp_path: Path) -> None:
    w = make_world(tmp_path, probe=FakeProber(True, True, False))
    txn = apply_candidate(w.env, w.begin(auto_confirm=True))
    assert txn is not None
    done = settle(w.env, txn, 10, interval=2)
    assert done.state == rec.ROLLED_BACK and "while settling" in done.outcome
    assert w.main.read_bytes() == OLD


@pytest.mark.slow
def test_boot_rollback_restores_files_without_reloading(tmp_path: Path) -> None:
    w = make_world(tmp_path)
    txn = apply_candidate(w.env, w.begin())
    assert txn is not None
    calls = len(w.runner.calls)
    done = rollback(w.env, txn.id, "reboot", boot=True)
    assert done.state == rec.ROLLED_BACK and w.main.read_bytes() == OLD
    assert len(w.runner.calls) == calls


@pytest.mark.slow
def test_proxmox_pending_file_is_consumed_and_restored(tmp_path: Path) -> None:
    w = make_world(tmp_path)
    pending = w.root / "etc/network/interfaces.new"
    pending.write_bytes(NEW)
    txn = apply_candidate(w.env, w.begin({MAIN: NEW, "/etc/network/interfaces.new": None}))
    assert txn is not None and not pending.exists() and w.main.read_bytes() == NEW
    rollback(w.env, txn.id, "test")
    assert pending.read_bytes() == NEW and w.main.read_bytes() == OLD


@pytest.mark.slow
def test_new_file_is_removed_on_rollback(tmp_path: Path) -> None:
    w = make_world(tmp_path)
    extra = "/etc/network/interfaces.d/vlan55"
    txn = apply_candidate(w.env, w.begin({MAIN: NEW, extra: b"iface x inet manual\n"}))
    assert txn is not None and (w.root / extra.lstrip("/")).exists()
    rollback(w.env, txn.id, "test")
    assert not (w.root / extra.lstrip("/")).exists()


@pytest.mark.slow
def test_wait_final_confirms_when_the_operator_says_so(tmp_path: Path) -> None:
    w = make_world(tmp_path)
    txn = apply_candidate(w.env, w.begin())
    assert txn is not None
    ticks = iter([False, False, True])
    done = wait_final(w.env, txn.id, on_tick=lambda _t: next(ticks))
    assert done is not None and done.state == rec.CONFIRMED


@pytest.mark.slow
def test_wait_final_returns_the_guardians_outcome(tmp_path: Path) -> None:
    w = make_world(tmp_path)
    txn = apply_candidate(w.env, w.begin())
    assert txn is not None
    w.clock.hooks.append(
        lambda c: rollback(w.env, txn.id, "elsewhere") if w.pending() is not None else None
    )
    done = wait_final(w.env, txn.id)
    assert done is not None and done.state == rec.ROLLED_BACK


@pytest.mark.slow
def test_guardian_that_never_reports_aborts_the_transaction(tmp_path: Path) -> None:
    w = make_world(tmp_path)
    w.spawner = FakeSpawner(w.env, pid=DEAD_PID)
    with pytest.raises(ApplyError, match="did not start"):
        w.begin()
    assert w.pending() is None and w.main.read_bytes() == OLD


@pytest.mark.slow
def test_reload_previous_placeholder(tmp_path: Path) -> None:
    w = make_world(tmp_path)
    txn = w.begin()
    commands = (("ifdown", "-a", "-i", "{previous}"), ("ifup", "-a"))
    before, after = reload_argv(txn, commands, "before"), reload_argv(txn, commands, "after")
    assert Path(before[0][3]).read_bytes() == OLD
    assert Path(after[0][3]).read_bytes() == NEW
    assert before[1] == ["ifup", "-a"]


@pytest.mark.slow
def test_record_roundtrip(tmp_path: Path) -> None:
    w = make_world(tmp_path)
    txn = w.begin(ssh=("192.0.2.50", "192.0.2.10"), probe_targets=("tcp:10.0.0.2:22",))
    assert rec.Transaction.from_json(txn.to_json()) == txn
