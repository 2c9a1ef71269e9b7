"""`ifguard watch` as admins start it: where the URLs come from, what is refused, state dir
permissions, runtime checks only for this host's own root."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from ifguard.cli import build_parser
from ifguard.commands.watch import make_watcher
from ifguard.commands.watchopts import resolve
from ifguard.system.errors import UsageError
from ifguard.system.root import Root
from tests.test_cli import assert_usage_error, ifguard

GOOD = b"auto lo\niface lo inet loopback\n"


def make_root(tmp_path: Path, toml: str | None = None, mode: int = 0o600) -> Path:
    root = tmp_path / "root"
    (root / "etc/network").mkdir(parents=True)
    (root / "etc/network/interfaces").write_bytes(GOOD)
    if toml is not None:
        (root / "etc/ifguard").mkdir()
        (root / "etc/ifguard/ifguard.toml").write_text(toml)
        os.chmod(root / "etc/ifguard/ifguard.toml", mode)
    return root


def watcher_args(root: Path, *extra: str) -> list[str]:
    return ["watch", "--root", str(root), "--state-dir", str(root / "state"), *extra]


@pytest.mark.slow
def test_notify_from_system_settings_and_notify_file(tmp_path: Path) -> None:
    root = make_root(tmp_path, '[watch]\nnotify = ["json://127.0.0.1:9/from-toml"]\n')
    nf = tmp_path / "notify.urls"
    nf.write_text("json://127.0.0.1:9/from-file\n")
    nf.chmod(0o600)
    args = build_parser().parse_args(watcher_args(root, "--notify-file", str(nf)))
    w = make_watcher(args)
    assert w.sender.urls == ["json://127.0.0.1:9/from-toml", "json://127.0.0.1:9/from-file"]


@pytest.mark.slow
@pytest.mark.parametrize("mode", [0o644, 0o604])
def test_world_readable_settings_with_urls_are_refused_in_one_line(
    tmp_path: Path, mode: int
) -> None:
    root = make_root(tmp_path, '[watch]\nnotify = ["json://h/SECRETTOKEN"]\n', mode)
    done = ifguard(*watcher_args(root))
    assert_usage_error(done, "refused")
    assert "SECRETTOKEN" not in done.stderr


@pytest.mark.slow
def test_world_readable_settings_without_urls_are_fine(tmp_path: Path) -> None:
    root = make_root(tmp_path, 'select = ["ALL"]\n', 0o644)
    make_watcher(build_parser().parse_args(watcher_args(root)))


@pytest.mark.slow
def test_bad_watch_table_is_a_usage_error(tmp_path: Path) -> None:
    root = make_root(tmp_path, '[watch]\nnotify = "json://h/x"\n')
    assert_usage_error(ifguard(*watcher_args(root)), "[watch] `notify` must be a list")


def test_runtime_checks_only_for_this_hosts_root_unless_asked(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    parse = build_parser().parse_args
    assert make_watcher(parse(watcher_args(root))).runtime is None
    assert make_watcher(parse(watcher_args(root, "--runtime"))).runtime is not None
    with pytest.raises(UsageError, match="--runtime"):
        make_watcher(parse(watcher_args(root, "--self-heal")))


def test_state_dir_tightened_on_start(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = make_root(tmp_path)
    state = root / "state"
    state.mkdir(mode=0o755)
    state.chmod(0o755)
    (state / "alerts.db").touch(mode=0o644)
    (state / "txn").mkdir(mode=0o755)
    (state / "txn" / "result.json").write_text("{}")
    os.chmod(state / "txn" / "result.json", 0o644)
    make_watcher(build_parser().parse_args(watcher_args(root)))
    modes = {
        p.relative_to(state).as_posix(): stat.S_IMODE(p.stat().st_mode)
        for p in [state, *state.rglob("*")]
    }
    assert modes.pop(".") == 0o700 and modes.pop("txn") == 0o700
    assert set(modes.values()) == {0o600}, modes
    assert "permissions tightened" in caplog.text
    caplog.clear()
    make_watcher(build_parser().parse_args(watcher_args(root)))
    assert "permissions tightened" not in caplog.text  # said once


@pytest.mark.slow
def test_corrupt_alert_queue_is_moved_aside_and_alerted(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    (root / "state").mkdir(mode=0o700)
    (root / "state" / "alerts.db").write_bytes(b"garbage" * 1000)
    w = make_watcher(build_parser().parse_args(watcher_args(root)))
    aside = list((root / "state").glob("alerts.db.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"garbage")
    with sqlite3.connect(root / "state" / "alerts.db") as db:
        (title,) = db.execute("SELECT title FROM alerts").fetchone()
    assert "alert queue was corrupt" in title and w.queue.pending() == 1


@pytest.mark.slow
def test_metrics_addr_default_is_local_and_bad_addr_is_one_line(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    assert resolve(build_parser().parse_args(watcher_args(root)), Root(root)).metrics_addr == (
        "127.0.0.1"
    )
    done = ifguard(*watcher_args(root, "--metrics-port", "0", "--metrics-addr", "no.such.host."))
    assert_usage_error(done, "--metrics-addr")
