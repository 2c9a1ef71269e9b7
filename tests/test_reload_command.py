"""Where `ifguard reload` finds the watcher's notification URLs (watch/notify.py), and
`ifguard reload` as a process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ifguard.system.root import Root
from ifguard.watch.notify import notify_urls

JUNK = (
    "27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast master "
    "ovs-system state UP group default qlen 1000\n"
)


def test_urls_from_settings_notify_files_the_unit_and_the_command_line(tmp_path: Path) -> None:
    etc = tmp_path / "etc/ifguard"
    etc.mkdir(parents=True)
    (etc / "ifguard.toml").write_text('[watch]\nnotify = ["json://settings.example/"]\n')
    (etc / "ifguard.toml").chmod(0o600)
    (etc / "notify.urls").write_text("# ops\nntfys://ntfy.sh/topic\n")
    (etc / "notify.urls").chmod(0o600)
    (etc / "watch.env").write_text(
        "IFGUARD_WATCH_ARGS='--notify json://a.example/hook "
        "--notify-file=/etc/ifguard/notify.urls'\n"
    )
    unit = tmp_path / "etc/systemd/system/ifguard-watch.service"
    unit.parent.mkdir(parents=True)
    unit.write_text(
        "[Service]\nExecStart=/opt/ifguard/bin/ifguard watch --notify json://a.example/hook "
        "--notify 'mailto://u:p@mail.example'\n"
    )
    urls, problems = notify_urls(Root(tmp_path), ["json://cli.example/"], watcher_unit=True)
    assert problems == []
    assert urls == [
        "json://settings.example/",
        "json://a.example/hook",
        "ntfys://ntfy.sh/topic",
        "mailto://u:p@mail.example",
        "json://cli.example/",
    ]


def test_no_watcher_broken_quoting_and_unsafe_files(tmp_path: Path) -> None:
    assert notify_urls(Root(tmp_path), [], watcher_unit=True) == ([], [])
    etc = tmp_path / "etc/ifguard"
    etc.mkdir(parents=True)
    (etc / "notify.urls").write_text("json://x.example/\n")
    (etc / "notify.urls").chmod(0o644)  # others can read the tokens: refused, not fatal
    (etc / "watch.env").write_text(
        "IFGUARD_WATCH_ARGS='--notify json://x\n"  # unbalanced quote: skipped
        "IFGUARD_WATCH_ARGS=--notify-file /etc/ifguard/notify.urls\n"
    )
    urls, problems = notify_urls(Root(tmp_path), [], watcher_unit=True)
    assert urls == [] and len(problems) == 1 and "others can read" in problems[0]


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


@pytest.mark.slow
def test_lint_errors_refuse_and_nothing_is_reloaded(tmp_path: Path) -> None:
    root, orig = _root(tmp_path, "auto lo\niface lo inet loopback\n" + JUNK)
    done = _reload(root, orig, "-a")
    assert done.returncode == 1
    assert "IFG101" in done.stderr and "refused by ifguard" in done.stderr
    assert not (tmp_path / "called").exists()


@pytest.mark.slow
def test_without_a_known_good_version_the_real_reload_runs_unguarded(tmp_path: Path) -> None:
    root, orig = _root(tmp_path, "auto lo\niface lo inet loopback\n")
    done = _reload(root, orig, "-a", "two words")
    assert done.returncode == 3  # the real reload's status
    assert "no known-good configuration in the history" in done.stderr
    assert (tmp_path / "called").read_text() == "-a\ntwo words\n"


@pytest.mark.slow
def test_with_a_known_good_version_the_reload_is_a_transaction(tmp_path: Path) -> None:
    """The guarded path for real under a scratch root: guardian forked, the real (fake)
    ifreload run once, probes green (nothing on the management path), confirmed, the new
    files become the known-good version."""
    from ifguard.store.history import open_history

    root, orig = _root(tmp_path, "auto lo\niface lo inet loopback\n# new\n")
    orig.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> {tmp_path}/called\nexit 0\n')
    history = open_history(root / "var/lib/ifguard")
    old = {"/etc/network/interfaces": b"auto lo\niface lo inet loopback\n# old\n"}
    history.mark_known_good(history.record_version(old, source="watch", errors=0, warnings=0))
    done = _reload(root, orig, "-a")
    assert done.returncode == 0, done.stderr
    assert "guarded reload" in done.stderr and "probes green: kept" in done.stderr
    assert (tmp_path / "called").read_text() == "-a\n"
    good = history.last_known_good()
    assert good is not None and good.files["/etc/network/interfaces"].endswith(b"# new\n")
    assert not (root / "var/lib/ifguard/pending.json").exists()


@pytest.mark.slow
def test_a_hand_run_reload_lints_with_the_hosts_settings(tmp_path: Path) -> None:
    """`ifguard reload` run by hand (no wrapper gate before it) reads
    <root>/etc/ifguard/ifguard.toml: a rule the host ignores does not refuse the reload, and
    a bad settings file refuses it (exit 2: a gate that cannot run lets nothing through)."""
    root, orig = _root(tmp_path, "auto lo\niface lo inet loopback\n" + JUNK)
    settings = root / "etc/ifguard/ifguard.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text('ignore = ["IFG101"]\n')
    done = _reload(root, orig, "-a")
    assert "refused" not in done.stderr, done.stderr
    assert done.returncode == 3, done.stderr  # past the gate: the real reload's status
    assert (tmp_path / "called").read_text() == "-a\n"
    (tmp_path / "called").unlink()
    settings.write_text('ignore = "IFG101"\n')
    bad = _reload(root, orig, "-a")
    assert bad.returncode == 2 and "`ignore` must be a list" in bad.stderr, bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr
    assert not (tmp_path / "called").exists()
