"""Fault injection: SIGKILL `ifguard apply` at random points of the transaction (a few here;
benchmarks/apply_faults.py runs 20+ and prints the table)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apply.faults import campaign


@pytest.mark.slow
def test_killed_anywhere_the_file_is_whole_and_a_rollback_is_armed(tmp_path: Path) -> None:
    summary = campaign(tmp_path, kills=6, seed=7, in_write=3)
    print(summary.table())
    assert len(summary.outcomes) == 6
    assert sum("atomic_write" in o.phase for o in summary.outcomes) >= 2
    assert summary.torn == 0
    assert summary.unarmed == 0
    assert summary.not_restored == 0
    assert summary.blocked == 0
