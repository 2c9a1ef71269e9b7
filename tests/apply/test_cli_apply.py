"""`ifguard apply/confirm/rollback/status` as real processes: temp root, fake reload, the
real detached guardian (fork fallback), SIGKILL and terminal hang-up."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import subprocess
import termios
import time
from pathlib import Path

import pytest

from ifguard.store.history import History
from ifguard.system.process import process_alive
from tests.apply.cli_helpers import (
    CLEAN,
    INCIDENT,
    MAIN,
    apply_argv,
    argv,
    candidate,
    ifguard,
    make_root,
    reloads,
    status,
    wait_closed,
)

# a change off the management path (vlan1001 carries no default route)
OFF_PATH = ("tag=1001", "tag=1002")
# a change on it (the gateway of the management interface)
ON_PATH = ("gateway 192.0.2.1", "gateway 192.0.2.254")


def history(root: Path) -> History:
    return History(root / "var/lib/ifguard/history.db")


def default_signals() -> None:
    """In the child: SIGINT and SIGHUP as a login shell's command gets them. A test run started
    in the background (``cmd &`` without job control ignores SIGINT) or under ``nohup`` (SIGHUP)
    passes SIG_IGN down, which survives exec: Ctrl-C and the hangup would never arrive."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


def apply_until_applied(root: Path, cand: Path, *extra: str) -> subprocess.Popen[str]:
    """``ifguard apply`` as a process, returned once it printed "change applied" (it now waits
    for a confirmation) or closed its output."""
    proc = subprocess.Popen(
        apply_argv(root, cand, *extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        preexec_fn=default_signals,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if "change applied" in line:
            break
    return proc


@pytest.mark.slow
def test_lint_failing_candidate_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    proc = subprocess.run(apply_argv(root, INCIDENT), capture_output=True, text=True)
    assert proc.returncode == 1, proc
    assert "IFG101" in proc.stdout and "ifguard: refused:" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert (root / MAIN).read_bytes() == CLEAN.read_bytes()
    assert reloads(root) == 0 and not (root / "var/lib/ifguard/pending.json").exists()


@pytest.mark.slow
def test_nothing_to_apply_without_pending_file(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    proc = ifguard(root, "apply")
    assert proc.returncode == 0 and "nothing to apply" in proc.stdout


@pytest.mark.slow
def test_bad_probe_target_is_a_usage_error(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    cand = candidate(tmp_path, *OFF_PATH)
    proc = ifguard(root, "apply", str(cand), "--probe", "tcp:nohost")
    assert proc.returncode == 2 and proc.stderr.startswith("ifguard: error: bad probe target")


@pytest.mark.slow
def test_pending_proxmox_file_is_applied_and_confirmed_elsewhere(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    new = candidate(tmp_path, *OFF_PATH).read_bytes()
    (root / "etc/network/interfaces.new").write_bytes(new)
    cmd = apply_argv(root, root / "x", "--no-wait", "--timeout", "60")
    cmd.remove(str(root / "x"))
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc
    assert "is pending" in proc.stdout
    assert (root / MAIN).read_bytes() == new
    assert not (root / "etc/network/interfaces.new").exists()
    assert status(root)["pending"] and status(root)["guardian_alive"]
    done = ifguard(root, "confirm")
    assert done.returncode == 0 and "confirmed" in done.stdout
    final = wait_closed(root)
    assert final["transaction"]["state"] == "confirmed"
    good = history(root).last_known_good()
    assert good is not None and good.files["/etc/network/interfaces"] == new
    assert reloads(root) == 1
    assert ifguard(root, "confirm").returncode == 1  # nothing left to confirm


@pytest.mark.slow
def test_unconfirmed_change_is_rolled_back_after_sigkill(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    cand = candidate(tmp_path, *OFF_PATH)
    # 6 s: the status below (a Python start, seconds under load) must see the change still
    # pending - with 2 s the guardian had sometimes rolled back already on a loaded machine
    proc = apply_until_applied(root, cand, "--timeout", "6")
    assert (root / MAIN).read_bytes() == cand.read_bytes()
    proc.kill()
    proc.wait()
    pending = status(root)
    assert pending["pending"] and pending["guardian_alive"]
    final = wait_closed(root)
    assert final["transaction"]["state"] == "rolled-back"
    assert "not confirmed within 6 s" in final["transaction"]["outcome"]
    assert (root / MAIN).read_bytes() == CLEAN.read_bytes()
    assert reloads(root) == 2
    kinds = [e.kind for e in history(root).events()]
    assert kinds[0] == "apply-rolled-back"


def _spawn_in_pty(argv: list[str]) -> tuple[subprocess.Popen[bytes], int]:
    master, slave = pty.openpty()

    def controlling_tty() -> None:
        default_signals()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen(
        argv,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
        preexec_fn=controlling_tty,
    )
    os.close(slave)
    return proc, master


def _read_until(fd: int, needle: bytes, limit: float = 60) -> bytes:
    seen = b""
    end = time.monotonic() + limit
    while needle not in seen:
        assert time.monotonic() < end, seen
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            seen += os.read(fd, 4096)
    return seen


@pytest.mark.slow
def test_terminal_hangup_does_not_stop_the_rollback(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    cand = candidate(tmp_path, *OFF_PATH)
    proc, master = _spawn_in_pty(apply_argv(root, cand, "--timeout", "2"))
    seen = _read_until(master, b"press Enter here")
    assert b"guardian armed (fork" in seen
    os.close(master)  # the SSH session / terminal goes away: SIGHUP to the session
    assert proc.wait(10) == -signal.SIGHUP
    final = wait_closed(root)
    assert final["transaction"]["state"] == "rolled-back"
    assert (root / MAIN).read_bytes() == CLEAN.read_bytes()


@pytest.mark.slow
def test_enter_on_the_terminal_confirms(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    cand = candidate(tmp_path, *OFF_PATH)
    proc, master = _spawn_in_pty(apply_argv(root, cand, "--timeout", "30"))
    _read_until(master, b"press Enter here")
    os.write(master, b"\n")
    out = _read_until(master, b"confirmed")
    assert proc.wait(10) == 0, out
    os.close(master)
    assert (root / MAIN).read_bytes() == cand.read_bytes()
    assert wait_closed(root)["transaction"]["state"] == "confirmed"


@pytest.mark.slow
def test_rollback_command_undoes_now(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    cand = candidate(tmp_path, *OFF_PATH)
    assert subprocess.run(apply_argv(root, cand, "--no-wait"), capture_output=True).returncode == 0
    assert (root / MAIN).read_bytes() == cand.read_bytes()
    proc = ifguard(root, "rollback")
    assert proc.returncode == 0 and "rolled-back" in proc.stdout
    assert (root / MAIN).read_bytes() == CLEAN.read_bytes()
    assert ifguard(root, "rollback").returncode == 1
    assert ifguard(root, "rollback", "--if-pending").returncode == 0


@pytest.mark.slow
def test_second_apply_is_refused_while_one_is_pending(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    cand = candidate(tmp_path, *OFF_PATH)
    assert subprocess.run(apply_argv(root, cand, "--no-wait"), capture_output=True).returncode == 0
    proc = subprocess.run(apply_argv(root, cand), capture_output=True, text=True)
    assert proc.returncode == 2 and "still open" in proc.stderr
    assert ifguard(root, "rollback").returncode == 0


@pytest.mark.slow
def test_boot_check_restores_files_without_reloading(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    cand = candidate(tmp_path, *OFF_PATH)
    assert subprocess.run(apply_argv(root, cand, "--no-wait"), capture_output=True).returncode == 0
    guardian = status(root)["transaction"]["guardian_pid"]
    os.kill(guardian, signal.SIGKILL)  # the machine "reboots": every process is gone
    end = time.monotonic() + 10
    while process_alive(guardian, None) and time.monotonic() < end:
        time.sleep(0.05)
    assert ifguard(root, "status").returncode == 1  # pending, guardian lost
    proc = ifguard(root, "rollback", "--if-pending", "--boot")
    assert proc.returncode == 0, proc
    assert (root / MAIN).read_bytes() == CLEAN.read_bytes()
    assert reloads(root) == 1  # only the apply's reload
    assert not status(root)["pending"]


@pytest.mark.slow
def test_auto_confirm_keeps_a_green_change_off_the_management_path(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    cand = candidate(tmp_path, *OFF_PATH)
    proc = subprocess.run(
        apply_argv(root, cand, "--auto-confirm", "--settle", "0"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc
    assert "the management path is untouched" in proc.stdout
    assert (root / MAIN).read_bytes() == cand.read_bytes()
    good = history(root).last_known_good()
    assert good is not None and good.files["/etc/network/interfaces"] == cand.read_bytes()


@pytest.mark.slow
def test_auto_confirm_is_ignored_on_the_management_path(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    cand = candidate(tmp_path, *ON_PATH)
    proc = subprocess.run(
        apply_argv(root, cand, "--auto-confirm", "--settle", "0", "--no-wait"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc
    assert "! vlan1: gateway 192.0.2.1 -> 192.0.2.254" in proc.stdout
    assert "--auto-confirm ignored" in proc.stdout
    assert status(root)["pending"]
    assert ifguard(root, "rollback").returncode == 0


@pytest.mark.slow
def test_unattended_auto_confirm_trusts_the_probes_on_the_management_path(tmp_path: Path) -> None:
    """What `watch --self-heal` uses: nobody is there to confirm, green probes keep it."""
    root = make_root(tmp_path)
    cand = candidate(tmp_path, *ON_PATH)
    proc = subprocess.run(
        apply_argv(root, cand, "--auto-confirm", "--unattended", "--settle", "0"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc
    assert "--unattended: confirmed by the probes alone" in proc.stdout
    assert not status(root)["pending"]
    assert (root / MAIN).read_bytes() == cand.read_bytes()


@pytest.mark.slow
def test_ctrl_c_while_waiting_rolls_back_now(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    cand = candidate(tmp_path, *OFF_PATH)
    proc = apply_until_applied(root, cand, "--timeout", "300")
    proc.send_signal(signal.SIGINT)
    assert proc.stdout is not None
    rest = proc.stdout.read()
    assert proc.wait(30) == 1 and "interrupted: rolling back now" in rest
    assert (root / MAIN).read_bytes() == CLEAN.read_bytes()
    assert wait_closed(root)["transaction"]["state"] == "rolled-back"


def test_unwritable_target_is_a_usage_error(tmp_path: Path) -> None:
    """A directory the user may not write, or (as root, who may write anywhere) a read-only
    filesystem: a bind mount made read-only in a private mount namespace."""
    root = make_root(tmp_path)
    cmd = apply_argv(root, candidate(tmp_path, *OFF_PATH))
    if os.geteuid() == 0:
        net = str(root / "etc/network")
        ro = f'mount --bind {net} {net} && mount -o remount,bind,ro {net} && exec "$@"'
        cmd = ["unshare", "--mount", "--propagation", "private", "sh", "-c", ro, "sh", *cmd]
    else:
        (root / "etc/network").chmod(0o555)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc
    assert "not writable" in proc.stderr and len(proc.stderr.splitlines()) == 1
    assert (root / MAIN).read_bytes() == CLEAN.read_bytes()


@pytest.mark.slow
def test_unusable_state_dir_is_a_usage_error(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    (tmp_path / "file").write_text("")
    proc = ifguard(root, "status", "--state-dir", str(tmp_path / "file" / "sub"))
    assert proc.returncode == 2 and proc.stderr.startswith("ifguard: error: ")
    assert "Traceback" not in proc.stderr


def test_root_tree_without_reload_cmd_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    """Under --root DIR the dialect's reload (``ifreload -a``) would reconfigure this host
    from the host's files: apply asks for --reload-cmd instead of reloading the wrong system."""
    root = make_root(tmp_path)
    cand = candidate(tmp_path, *OFF_PATH)
    bin_dir = tmp_path / "bin"  # were the refusal gone, the test must not reload this host
    bin_dir.mkdir()
    for name in ("ifreload", "ifup", "ifdown"):
        fake = bin_dir / name
        fake.write_text(f"#!/bin/sh\necho {name} >> {tmp_path / 'ran'}\n")
        fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ.get('PATH', '')}"}
    proc = subprocess.run(
        argv(root, "apply", str(cand), "--no-probes", "--spawner", "fork"),
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 2, proc
    assert not (tmp_path / "ran").exists()
    assert proc.stderr.startswith("ifguard: error: --root ") and "--reload-cmd" in proc.stderr
    assert len(proc.stderr.splitlines()) == 1
    assert (root / MAIN).read_bytes() == CLEAN.read_bytes()
    assert not (root / "var/lib/ifguard/pending.json").exists()
