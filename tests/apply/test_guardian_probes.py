"""The guardian probes once the CLI is gone: red for the settle period -> roll back at once;
green -> wait for the confirmation (or confirm an --auto-confirm change); CLI alive -> the
guardian does not probe."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from ifguard.apply.guardian import RED_SETTLE_S, guard
from ifguard.apply.transaction import apply_candidate, last_result
from ifguard.store import record as rec
from tests.apply.world import NEW, OLD, World, make_world
from tests.fakes import FakeProber


def _applied(world: World, **kw: Any) -> str:
    txn = world.begin(timeout=60.0, **kw)
    applied = apply_candidate(world.env, txn)
    assert applied is not None and applied.state == rec.APPLIED
    return txn.id


def _final(world: World, txn_id: str) -> rec.Transaction:
    result = last_result(world.env, txn_id)
    assert result is not None
    return result


@pytest.mark.slow
def test_red_after_the_cli_died_rolls_back_within_the_settle_period(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    txn_id = _applied(world)
    world.die()
    start = world.clock.now()
    quick = FakeProber(*([False] * 100))
    assert guard(world.env, txn_id, quick_probe=quick) == 0
    final = _final(world, txn_id)
    assert final.state == rec.ROLLED_BACK
    assert "probes red" in final.outcome and "gateway answers" in final.outcome
    assert world.clock.now() - start <= RED_SETTLE_S + 2  # not the 60 s deadline
    assert world.main.read_bytes() == OLD


@pytest.mark.slow
def test_green_without_auto_confirm_waits_for_the_deadline(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    txn_id = _applied(world)
    world.die()
    start = world.clock.now()
    quick = FakeProber()  # always green
    guard(world.env, txn_id, quick_probe=quick)
    final = _final(world, txn_id)
    assert final.state == rec.ROLLED_BACK and "not confirmed within 60 s" in final.outcome
    assert world.clock.now() - start >= 59
    assert quick.calls > 10  # it kept watching


@pytest.mark.slow
def test_green_with_auto_confirm_is_confirmed(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    txn_id = _applied(world, auto_confirm=True)
    world.die()
    guard(world.env, txn_id, quick_probe=FakeProber())
    final = _final(world, txn_id)
    assert final.state == rec.CONFIRMED and "CLI gone" in final.outcome
    assert world.main.read_bytes() == NEW


@pytest.mark.slow
def test_a_short_red_blip_is_not_a_rollback(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    txn_id = _applied(world, auto_confirm=True)
    world.die()
    # red, red, then green: inside the settle period (each tick is about a second)
    guard(world.env, txn_id, quick_probe=FakeProber(False, False, True))
    assert _final(world, txn_id).state == rec.CONFIRMED


@pytest.mark.slow
def test_cli_alive_the_guardian_does_not_probe(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    txn_id = _applied(world)
    quick = FakeProber(*([False] * 100))
    guard(world.env, txn_id, quick_probe=quick)
    assert quick.calls == 0
    assert "not confirmed" in _final(world, txn_id).outcome


@pytest.mark.slow
def test_probes_disabled_means_deadline_only(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    txn_id = _applied(world, probes_enabled=False)
    world.die()
    quick = FakeProber(*([False] * 100))
    guard(world.env, txn_id, quick_probe=quick)
    assert quick.calls == 0


@pytest.mark.slow
def test_red_right_after_the_reload_counts_from_the_reload(tmp_path: Path) -> None:
    """Killed while probing: the grace period started at the end of the reload."""
    world = make_world(tmp_path)
    txn_id = _applied(world)
    txn = world.pending()
    assert txn is not None
    with world.env.state.locked():
        world.env.state.write(
            replace(txn, phase="probing", phase_since=world.clock.now() - RED_SETTLE_S)
        )
    world.die()
    start = world.clock.now()
    guard(world.env, txn_id, quick_probe=FakeProber(*([False] * 100)))
    assert _final(world, txn_id).state == rec.ROLLED_BACK
    assert world.clock.now() - start < 2
