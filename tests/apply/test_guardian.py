"""The guardian: how it is started (systemd-run argv, the double-fork fallback for real) and
when it decides to roll back."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from ifguard.apply.guardian import (
    ForkSpawner,
    SystemdRunSpawner,
    choose_spawner,
    detach,
    due,
    guardian_argv,
    systemd_run_argv,
)
from ifguard.store import record as rec
from ifguard.system.process import process_alive, start_ticks
from ifguard.system.root import Root
from tests.apply.world import DEAD_PID, make_world


def test_systemd_run_argv_is_a_transient_service_outside_the_session(tmp_path: Path) -> None:
    inner = guardian_argv(
        "20250101T000000-abcdef",
        tmp_path / "state",
        Root(),
        (("ifreload", "-a"),),
        python="/usr/bin/python3",
    )
    argv = systemd_run_argv("20250101T000000-abcdef", inner)
    assert argv[0] == "systemd-run"
    assert "--unit=ifguard-guardian-20250101T000000-abcdef" in argv
    assert "--scope" not in argv and "--user" not in argv  # a system service, not a scope
    assert "--collect" in argv and "--service-type=exec" in argv
    assert argv[argv.index("--") + 1 :] == [
        "/usr/bin/python3",
        "-m",
        "ifguard",
        "apply",
        "--guardian",
        "20250101T000000-abcdef",
        "--state-dir",
        str(tmp_path / "state"),
        "--root",
        "/",
        "--guardian-reload",
        '[["ifreload", "-a"]]',  # the CLI's own commands, in argv: never read from state
    ]


def test_spawner_choice(tmp_path: Path) -> None:
    assert isinstance(choose_spawner(tmp_path, "fork"), ForkSpawner)
    assert isinstance(choose_spawner(tmp_path, "systemd-run"), SystemdRunSpawner)
    auto = choose_spawner(tmp_path, "auto")
    expected = SystemdRunSpawner if os.path.isdir("/run/systemd/system") else ForkSpawner
    assert isinstance(auto, expected)


_PROBE = """
import json, os, signal, sys, time
info = {"pid": os.getpid(), "ppid": os.getppid(), "sid": os.getsid(0), "pgid": os.getpgid(0),
        "sighup_ignored": signal.getsignal(signal.SIGHUP) == signal.SIG_IGN,
        "stdin": os.readlink("/proc/self/fd/0"), "cwd": os.getcwd(),
        "fds": sorted(int(f) for f in os.listdir("/proc/self/fd"))}
open(sys.argv[1] + ".tmp", "w").write(json.dumps(info))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(60)
"""


@pytest.mark.slow
def test_double_fork_detaches_for_real(tmp_path: Path) -> None:
    out = tmp_path / "info.json"
    pid = detach([sys.executable, "-c", _PROBE, str(out)], tmp_path / "log")
    try:
        end = time.monotonic() + 30
        while not out.exists():
            assert time.monotonic() < end, (tmp_path / "log").read_text()
            time.sleep(0.05)
        info = json.loads(out.read_text())
        assert info["pid"] == pid
        assert info["ppid"] != os.getpid()  # not our child: reparented
        assert info["sid"] != os.getsid(0)  # its own session: no controlling tty
        assert info["sid"] != pid  # not a session leader: cannot get one
        assert info["pgid"] != os.getpgid(0)  # not in our process group
        assert info["sighup_ignored"]
        assert info["stdin"] == "/dev/null" and info["cwd"] == "/"
        assert info["fds"][:3] == [0, 1, 2] and len(info["fds"]) <= 4  # +1: listdir's own fd
        os.kill(pid, signal.SIGHUP)
        time.sleep(0.2)
        assert process_alive(pid, None)
    finally:
        os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
def test_due_decisions(tmp_path: Path) -> None:
    w = make_world(tmp_path)
    t = w.begin(timeout=10)
    me = os.getpid()
    ticks = start_ticks(me)
    now = t.created
    alive = replace(t, apply_pid=me, apply_ticks=ticks)
    dead = replace(t, apply_pid=DEAD_PID, apply_ticks=None)
    assert due(alive, now, 1) is None  # armed, CLI working
    assert due(dead, now, 1) is not None  # armed, CLI gone: abort
    applied = replace(alive, state=rec.APPLIED, phase="waiting", deadline=now + 10)
    assert due(applied, now + 9.9, 1) is None
    assert due(applied, now + 10, 1) == "not confirmed within 10 s"
    reloading = replace(applied, phase="reloading", phase_since=now, reload_timeout=100)
    assert due(reloading, now + 50, 1) is None  # slow reload, CLI alive
    assert due(reloading, now + 111, 1) is not None  # reload hung: give up
    assert due(replace(reloading, apply_pid=DEAD_PID, apply_ticks=None), now + 10, 1)
    probing = replace(applied, phase="probing", phase_since=now, probe_timeout=20)
    assert due(probing, now + 25, 1) is None  # probes retrying, CLI alive
    assert due(probing, now + 31, 1) is not None
    assert due(replace(probing, apply_pid=DEAD_PID, apply_ticks=None), now + 10, 1)
    rolling = replace(applied, state=rec.ROLLING_BACK, actor_pid=me, actor_ticks=ticks)
    assert due(rolling, now + 100, 1) is None  # someone alive rolls back
    assert due(replace(rolling, actor_pid=DEAD_PID), now, 1) is not None
    assert due(replace(applied, state=rec.CONFIRMED), now + 100, 1) is None
    # pid reuse: same pid, different start time -> not the same process
    assert due(replace(t, apply_pid=me, apply_ticks=(ticks or 0) + 1), now, 1) is not None
