"""The transaction record on disk: states are a StrEnum in memory and the same strings on disk,
so records written by earlier versions load and new ones read the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ifguard.store.record import DamagedRecord, Transaction, TxnState
from ifguard.store.statedir import StateDir
from ifguard.system.root import Root

OLD = {
    "id": "20250101T000000-abcdef",
    "created": 1.0,
    "timeout": 120.0,
    "deadline": 121.0,
    "state": "rolling-back",
    "root": "/",
    "targets": [],
    "reload_cmd": [["ifreload", "-a"]],
    "candidate_hash": "x",
}


def test_a_record_of_an_earlier_version_loads_and_writes_the_same_state(tmp_path: Path) -> None:
    state = StateDir(tmp_path, Root(tmp_path))
    state.pending_path.write_text(json.dumps(OLD))
    assert state.has_pending()
    txn = state.read()
    assert txn is not None and txn.state is TxnState.ROLLING_BACK and txn.open
    assert json.loads(txn.to_json())["state"] == "rolling-back"
    assert Transaction.from_json(txn.to_json()) == txn


def test_an_unknown_state_is_a_damaged_record(tmp_path: Path) -> None:
    state = StateDir(tmp_path, Root(tmp_path))
    state.pending_path.write_text(json.dumps({**OLD, "state": "half-done"}))
    with pytest.raises(DamagedRecord, match="damaged transaction record"):
        state.read()  # a UsageError: one line, exit 2 (issue 22)
    assert {s.value for s in TxnState} == {
        "armed",
        "applied",
        "confirmed",
        "rolling-back",
        "rolled-back",
        "rollback-failed",
        "aborted",
    }
