"""`ifguard history`, `diff` and `restore` on a temporary root."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from ifguard.store.history import History
from tests.apply.cli_helpers import (
    CLEAN,
    MAIN,
    apply_argv,
    candidate,
    ifguard,
    make_root,
    reload_cmd,
    status,
)


def applied(tmp_path: Path) -> tuple[Path, Path]:
    root = make_root(tmp_path)
    cand = candidate(tmp_path, "tag=1001", "tag=1002")
    proc = subprocess.run(
        apply_argv(root, cand, "--auto-confirm", "--settle", "0"), capture_output=True, text=True
    )
    assert proc.returncode == 0, proc
    return root, cand


@pytest.mark.slow
def test_history_lists_versions_and_events(tmp_path: Path) -> None:
    root, _ = applied(tmp_path)
    proc = ifguard(root, "history")
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["V", "WHEN", "WHO/WHAT", "LINT", "GOOD", "MESSAGE"]
    assert "apply by " in lines[1] and "(kept)" in lines[1] and lines[1].rstrip().endswith("*")
    assert "snapshot" in lines[2] and not lines[2].rstrip().endswith("*")
    assert "apply-confirmed" in proc.stdout and "apply-started" in proc.stdout
    data = json.loads(ifguard(root, "history", "--format", "json").stdout)
    assert [v["source"] for v in data["versions"]] == ["apply", "snapshot"]
    assert data["versions"][0]["known_good"] is True


@pytest.mark.slow
def test_history_on_an_empty_store(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    proc = ifguard(root, "history")
    assert proc.returncode == 0 and "no versions recorded yet" in proc.stdout


@pytest.mark.slow
def test_diff_between_versions_and_current(tmp_path: Path) -> None:
    root, _ = applied(tmp_path)
    h = History(root / "var/lib/ifguard/history.db")
    new, old = h.versions()
    proc = ifguard(root, "diff", str(old.id), str(new.id))
    assert proc.returncode == 1
    assert f"--- v{old.id}:/etc/network/interfaces" in proc.stdout
    assert "-\tovs_options tag=1001" in proc.stdout and "+\tovs_options tag=1002" in proc.stdout
    assert ifguard(root, "diff", "good").returncode == 0  # current == last known good
    assert ifguard(root, "diff", new.hash[:10], "current").returncode == 0
    bad = ifguard(root, "diff", "999")
    assert bad.returncode == 2 and bad.stderr.startswith("ifguard: error: no version")


@pytest.mark.slow
def test_restore_is_a_guarded_apply(tmp_path: Path) -> None:
    root, _ = applied(tmp_path)
    h = History(root / "var/lib/ifguard/history.db")
    old = h.versions()[1]
    proc = ifguard(
        root,
        "restore",
        str(old.id),
        "--reload-cmd",
        reload_cmd(root),
        "--no-probes",
        "--spawner",
        "fork",
        "--no-wait",
    )
    assert proc.returncode == 0, proc
    assert "restoring version" in proc.stdout and "guardian armed" in proc.stdout
    assert (root / MAIN).read_bytes() == CLEAN.read_bytes()
    assert status(root)["pending"]
    assert ifguard(root, "confirm").returncode == 0
    assert h.last_known_good() is not None and h.last_known_good().id == old.id  # type: ignore[union-attr]
    assert [e.kind for e in h.events(kind="apply-started")]
    assert ifguard(root, "restore", "nope").returncode == 2


@pytest.mark.slow
def test_apply_message_is_in_the_history(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    cand = candidate(tmp_path, "tag=1001", "tag=1002")
    proc = subprocess.run(
        apply_argv(root, cand, "--auto-confirm", "--settle", "0", "-m", "vlan 1002 for ceph"),
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc
    text = ifguard(root, "history").stdout
    print(text)
    line = text.splitlines()[1]
    assert (
        "apply by " in line
        and "(kept)" in line
        and line.split()[-5:] == ["*", "vlan", "1002", "for", "ceph"]
    )
    data = json.loads(ifguard(root, "history", "--format", "json").stdout)
    assert data["versions"][0]["message"] == "vlan 1002 for ceph"
    assert data["versions"][0]["outcome"] == "kept"
    refused = subprocess.run(
        apply_argv(root, cand, "-m", "two\nlines"), capture_output=True, text=True
    )
    assert refused.returncode == 2 and "one line of printable text" in refused.stderr
