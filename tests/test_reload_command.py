"""Where `ifguard reload` finds the watcher's notification URLs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ifguard.commands.reload import notify_urls

JUNK = (
    "27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast master "
    "ovs-system state UP group default qlen 1000\n"
)


def test_urls_from_the_env_file_the_unit_and_the_command_line(tmp_path: Path) -> None:
    env = tmp_path / "etc/ifguard/watch.env"
    env.parent.mkdir(parents=True)
    env.write_text(
        "# managed by ansible\n"
        "IFGUARD_WATCH_ARGS='--notify json://a.example/hook --notify=ntfys://ntfy.sh/t'\n"
    )
    unit = tmp_path / "etc/systemd/system/ifguard-watch.service"
    unit.parent.mkdir(parents=True)
    unit.write_text(
        "[Service]\nExecStart=/opt/ifguard/bin/ifguard watch --notify json://a.example/hook "
        "--notify 'mailto://u:p@mail.example'\n"
    )
    assert notify_urls(tmp_path, ["json://cli.example/"]) == [
        "json://cli.example/",
        "json://a.example/hook",
        "ntfys://ntfy.sh/t",
        "mailto://u:p@mail.example",
    ]


def test_no_watcher_and_broken_quoting(tmp_path: Path) -> None:
    assert notify_urls(tmp_path, []) == []
    env = tmp_path / "etc/ifguard/watch.env"
    env.parent.mkdir(parents=True)
    env.write_text("IFGUARD_WATCH_ARGS='--notify json://x\n")  # unbalanced quote: skipped
    assert notify_urls(tmp_path, []) == []


def _root(tmp_path: Path, interfaces: str) -> tuple[Path, Path]:
    import stat

    root = tmp_path / "root"
    (root / "etc/network").mkdir(parents=True)
    (root / "etc/network/interfaces").write_text(interfaces)
    orig = tmp_path / "ifguard-orig-ifreload"
    orig.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {tmp_path}/called\nexit 3\n')
    orig.chmod(orig.stat().st_mode | stat.S_IXUSR)
    return root, orig


def _reload(root: Path, orig: Path, *args: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "ifguard", "reload", "--root", str(root), "--orig", str(orig)]
    return subprocess.run(
        [*argv, "--", *args], capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL
    )


def test_lint_errors_refuse_and_nothing_is_reloaded(tmp_path: Path) -> None:
    root, orig = _root(tmp_path, "auto lo\niface lo inet loopback\n" + JUNK)
    done = _reload(root, orig, "-a")
    assert done.returncode == 1
    assert "IFG101" in done.stderr and "refused by ifguard" in done.stderr
    assert not (tmp_path / "called").exists()


def test_without_a_known_good_version_the_real_reload_runs_unguarded(tmp_path: Path) -> None:
    root, orig = _root(tmp_path, "auto lo\niface lo inet loopback\n")
    done = _reload(root, orig, "-a", "two words")
    assert done.returncode == 3  # the real reload's status
    assert "no known-good configuration in the history" in done.stderr
    assert (tmp_path / "called").read_text() == "-a\ntwo words\n"
