"""Issue 22, state as data: nothing read from the state directory is executed, and no path
read from it is used. A ``pending.json`` holding ``reload_cmd`` (what records of ifguard
before 2026-12 stored, and what root executed on `rollback` and in the guardian) is read by
every command that reads the record: the command never runs. The reload is the running
code's (the dialect's, or ``--reload-cmd`` / the guardian's argv); a record claiming another
root writes under --root only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.adversarial import records
from tests.adversarial.records import LO, ifguard

CANDIDATE = b"auto lo\niface lo inet loopback\n# candidate\n"


def tree(tmp: Path, name: str = "root") -> tuple[Path, Path]:
    return records.tree(tmp, CANDIDATE, name)


def old_record(root: Path, state: Path, pwned: Path, **changes: object) -> None:
    """An APPLIED record as ifguard wrote them before: its ``reload_cmd`` leaves a mark."""
    cmd = [["touch", str(pwned)], ["sh", "-c", f"echo x >> {pwned}"]]
    records.applied_record(root, state, cmd, **changes)


def fake_ifreload(tmp: Path) -> Path:
    exe = tmp / "ifreload"
    exe.write_text(f'#!/bin/sh\necho "$@" >> {tmp / "ifreload.log"}\n')
    exe.chmod(0o755)
    return exe


def readers(tmp: Path, state: Path) -> dict[str, list[str]]:
    """Every command that reads pending.json (argv after the subcommand's --root)."""
    orig = str(fake_ifreload(tmp))
    return {
        "rollback": ["rollback"],
        "rollback-boot": ["rollback", "--if-pending", "--boot"],
        "confirm": ["confirm"],
        "status": ["status", "--format", "json"],
        "reload-gate": ["lint", "--gate", "-q"],
        "ifreload-wrapper": ["reload", "--orig", orig, "--", "-a"],
        "guardian": ["apply", "--guardian", "t1", "--state-dir", str(state)],
        "doctor": ["doctor"],
    }


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        "rollback",
        "rollback-boot",
        "confirm",
        "status",
        "reload-gate",
        "ifreload-wrapper",
        "guardian",
        "doctor",
    ],
)
def test_a_reload_command_in_the_record_never_runs(tmp_path: Path, name: str) -> None:
    root, state = tree(tmp_path)
    pwned = tmp_path / "pwned"
    old_record(root, state, pwned)
    proc = ifguard(root, *readers(tmp_path, state)[name])
    assert not pwned.exists(), f"{name}: the record's command ran\n{proc.stderr}"
    assert "Traceback" not in proc.stderr, proc.stderr
    if name.startswith("rollback") or name == "guardian":
        # the old record loads (its reload_cmd is ignored) and is rolled back
        assert (root / "etc/network/interfaces").read_bytes() == LO, proc.stderr
        assert not (state / "pending.json").exists()
        result = json.loads((state / "txn/t1/result.json").read_text())
        assert result["state"] == "rolled-back" and "reload_cmd" not in result


def test_a_hand_run_rollback_reloads_with_its_own_command_only(tmp_path: Path) -> None:
    """After a crash: `ifguard rollback --reload-cmd CMD` runs CMD, not the record's; under
    a --root other than / without --reload-cmd it restores the files and says it did not
    reload (the dialect's command would reload this host)."""
    root, state = tree(tmp_path)
    pwned, mine = tmp_path / "pwned", tmp_path / "mine"
    old_record(root, state, pwned)
    proc = ifguard(root, "rollback", "--reload-cmd", f"touch {mine}")
    assert proc.returncode == 0, proc.stderr
    assert mine.exists() and not pwned.exists()
    result = json.loads((state / "txn/t1/result.json").read_text())
    assert result["state"] == "rolled-back"

    root2, state2 = tree(tmp_path, "root2")
    old_record(root2, state2, pwned)
    proc = ifguard(root2, "rollback")
    assert proc.returncode == 0, proc.stderr
    assert "nothing reloaded" in proc.stderr and not pwned.exists()
    assert "nothing reloaded" in (state2 / "txn/t1/result.json").read_text()


def test_the_guardian_reloads_with_the_commands_of_its_argv(tmp_path: Path) -> None:
    """The CLI gives its guardian its reload commands on the command line; the record's
    are never used."""
    root, state = tree(tmp_path)
    pwned, mine = tmp_path / "pwned", tmp_path / "mine"
    old_record(root, state, pwned)
    own = json.dumps([["touch", str(mine)]])
    proc = ifguard(
        root, "apply", "--guardian", "t1", "--state-dir", str(state), "--guardian-reload", own
    )
    assert proc.returncode == 0, proc.stderr
    assert mine.exists() and not pwned.exists()
    assert (root / "etc/network/interfaces").read_bytes() == LO


def test_a_record_claiming_another_root_writes_under_this_root_only(tmp_path: Path) -> None:
    """The record says it belongs to another tree and points its target there: the target
    is derived from the managed system path under --root (the record's root is ignored)."""
    root, state = tree(tmp_path)
    other, _ = tree(tmp_path, "other")
    pwned = tmp_path / "pwned"
    old_record(root, state, pwned)
    txn = json.loads((state / "pending.json").read_text())
    txn["root"] = str(other)
    txn["targets"][0]["path"] = str(other / "etc/network/interfaces")
    (state / "pending.json").write_text(json.dumps(txn))
    proc = ifguard(root, "rollback", "--boot")
    assert proc.returncode == 0, proc.stderr
    assert (other / "etc/network/interfaces").read_bytes() == CANDIDATE  # untouched
    assert (root / "etc/network/interfaces").read_bytes() == LO


@pytest.mark.parametrize("bad", ["../../../tmp/x", "..", "a/b", "", "x" * 65])
def test_a_transaction_id_is_one_plain_name(tmp_path: Path, bad: str) -> None:
    """``txn/<ID>`` is where the result is written and the snapshot read: an id with a
    slash or ``..`` would lead out of the state directory."""
    root, state = tree(tmp_path)
    old_record(root, state, tmp_path / "pwned", id=bad)
    proc = ifguard(root, "rollback", "--boot")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert "damaged" in proc.stderr and "not a plain name" in proc.stderr
    assert (root / "etc/network/interfaces").read_bytes() == CANDIDATE
