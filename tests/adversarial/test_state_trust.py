"""Issue 22, state as data: a state directory or record another user could have written is
refused (OpenSSH StrictModes: owner root or us, not group/world writable, no link), a record
never writes outside the configuration files ifguard manages, and a history version never
chooses where `restore` writes. Each refusal is exit 2, one line, naming the path and the fix."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ifguard.store.history import History
from ifguard.store.statedir import managed
from tests.adversarial.records import LO, applied_record, ifguard, tree


def record(root: Path, state: Path, tmp: Path, **changes: object) -> dict[str, object]:
    """A well-formed APPLIED record whose reload command would leave a mark if it ran."""
    return applied_record(root, state, [["sh", "-c", f"touch {tmp / 'ran'}"]], **changes)


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="chown needs root")


@needs_root
@pytest.mark.parametrize("command", [["status"], ["rollback"], ["rollback", "--boot"]])
def test_a_state_dir_owned_by_another_user_is_refused(tmp_path: Path, command: list[str]) -> None:
    root, state = tree(tmp_path)
    record(root, state, tmp_path)
    os.chown(state, 65534, 65534)
    proc = ifguard(root, *command)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert f"{state}: is owned by uid 65534" in proc.stderr and "chown root:root" in proc.stderr
    assert not (tmp_path / "ran").exists()  # the record's command never ran as root


@pytest.mark.parametrize("mode", [0o770, 0o707, 0o777])
def test_a_group_or_world_writable_state_dir_is_refused(tmp_path: Path, mode: int) -> None:
    root, state = tree(tmp_path)
    record(root, state, tmp_path)
    state.chmod(mode)
    proc = ifguard(root, "rollback")
    assert proc.returncode == 2 and "writable by group or others" in proc.stderr, proc.stderr
    assert not (tmp_path / "ran").exists()


@needs_root
def test_a_record_owned_by_another_user_is_refused(tmp_path: Path) -> None:
    root, state = tree(tmp_path)
    record(root, state, tmp_path)
    os.chown(state / "pending.json", 65534, 65534)
    proc = ifguard(root, "lint", "--gate", "-q")
    assert proc.returncode == 2 and "pending.json: is owned by uid 65534" in proc.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    "system_path",
    ["/root/.ssh/authorized_keys", "/etc/cron.d/evil", "/etc/network/../cron.d/x"],
)
def test_a_record_never_writes_outside_the_managed_files(tmp_path: Path, system_path: str) -> None:
    root, state = tree(tmp_path)
    victim = root / system_path.lstrip("/")
    target = {
        "path": str(victim),
        "system_path": system_path,
        "before": str(state / "txn/t1/before/0"),
        "after": None,
    }
    record(root, state, tmp_path, targets=[target])
    for command in (["rollback"], ["rollback", "--if-pending", "--boot"], ["status"]):
        proc = ifguard(root, *command)
        assert proc.returncode == 2 and "not a managed file" in proc.stderr, proc.stderr
    assert not victim.exists() and not (tmp_path / "ran").exists()


def test_a_record_never_writes_outside_its_root(tmp_path: Path) -> None:
    """The boot check with a record whose path is a file outside the tree: the path is
    derived from the managed system path under --root, the record's ``path`` ignored."""
    root, state = tree(tmp_path)
    (root / "etc/network/interfaces").write_bytes(b"# candidate\n")
    outside = tmp_path / "host-interfaces"
    target = {
        "path": str(outside),
        "system_path": "/etc/network/interfaces",
        "before": str(state / "txn/t1/before/0"),
        "after": None,
    }
    record(root, state, tmp_path, targets=[target])
    proc = ifguard(root, "rollback", "--if-pending", "--boot")
    assert proc.returncode == 0, proc.stderr
    assert not outside.exists() and (root / "etc/network/interfaces").read_bytes() == LO


def test_a_record_reads_its_bytes_only_from_its_own_txn_dir(tmp_path: Path) -> None:
    """A record naming another file as its snapshot: the bytes come from txn/<ID>/before/0
    of the state directory, whatever the record says."""
    root, state = tree(tmp_path)
    (root / "etc/network/interfaces").write_bytes(b"# candidate\n")
    secret = tmp_path / "secret"
    secret.write_text("root's secret\n")
    target = {
        "path": str(root / "etc/network/interfaces"),
        "system_path": "/etc/network/interfaces",
        "before": str(secret),
        "after": None,
    }
    record(root, state, tmp_path, targets=[target])
    proc = ifguard(root, "rollback", "--boot")
    assert proc.returncode == 0, proc.stderr
    assert (root / "etc/network/interfaces").read_bytes() == LO


@pytest.mark.parametrize("link", ["txn/t1", "txn/t1/before", "txn/t1/before/0"])
def test_a_link_in_the_txn_dir_is_refused(tmp_path: Path, link: str) -> None:
    """The snapshot's bytes are never read through a link (a link out of the state
    directory would put another file's content into /etc/network/interfaces)."""
    root, state = tree(tmp_path)
    record(root, state, tmp_path)
    secret = tmp_path / "elsewhere"
    (secret / "before").mkdir(parents=True)
    (secret / "before/0").write_text("root's secret\n")
    (secret / "0").write_text("root's secret\n")
    entry = state / link
    moved = tmp_path / "moved"
    entry.rename(moved)
    entry.symlink_to({"txn/t1": secret, "txn/t1/before": secret / "before"}.get(link, secret / "0"))
    proc = ifguard(root, "rollback", "--boot")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert "symbolic link" in proc.stderr and "damaged" in proc.stderr
    assert (root / "etc/network/interfaces").read_bytes() == LO


def test_restore_writes_only_managed_paths(tmp_path: Path) -> None:
    root, state = tree(tmp_path)
    History(state / "history.db").record_version(
        {"/etc/network/interfaces": LO, "/etc/cron.d/evil": b"* * * * * root id\n"},
        source="watch",
        errors=0,
        warnings=0,
    )
    proc = ifguard(root, "restore", "1", "--reload-cmd", "true", "--no-probes")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert "/etc/cron.d/evil" in proc.stderr and "does not manage" in proc.stderr
    assert not (root / "etc/cron.d").exists()


def test_managed_paths() -> None:
    assert managed("/etc/network/interfaces") and managed("/etc/network/interfaces.new")
    assert managed("/etc/network/interfaces.d/vlans")
    for path in (
        "/etc/network/interfaces.d/",
        "/etc/network/interfaces.d/a/b",
        "/etc/network/interfaces.d/../../cron.d/x",
        "/etc/network/if-up.d/x",
        "/root/.ssh/authorized_keys",
        "etc/network/interfaces",
    ):
        assert not managed(path), path


@pytest.mark.parametrize("name", ["history.db", "history.db-wal", "alerts.db"])
def test_a_database_linked_out_of_the_tree_is_refused(tmp_path: Path, name: str) -> None:
    """A link in a tree's state directory is never followed: SQLite would write its tables
    into the file it points to (a host database)."""
    root, state = tree(tmp_path)
    host_db = tmp_path / "host.db"
    host_db.write_bytes(b"")
    (state / name).symlink_to(host_db)
    command = ["watch", "--no-console"] if name == "alerts.db" else ["history"]
    proc = ifguard(root, *command)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert "is a symbolic link" in proc.stderr and name in proc.stderr
    assert host_db.read_bytes() == b""
