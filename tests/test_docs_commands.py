"""Every concrete, read-only ifguard command shown in README.md and docs/ runs as printed
(from a clone, with this checkout's ifguard): no usage error, no traceback, and where a
``console`` block shows the output, that output. The lab commands run in tests/e2e."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.docsnippets import Command, commands, runnable

IFGUARD = str(Path(sys.executable).with_name("ifguard"))
# commands that probe the running network run in an empty network namespace
NETWORK = ("status", "probe")
SAFE = ("lint", "explain", "rules", "drift", "status", "plan", "--version", "--help")
RUNNABLE = [c for c in commands() if runnable(c, SAFE)]


def test_the_docs_show_commands_to_run() -> None:
    names = {c.text.split()[1] for c in RUNNABLE}
    assert {"lint", "explain", "rules"} <= names and len(RUNNABLE) >= 8, RUNNABLE


@pytest.mark.slow
@pytest.mark.parametrize("command", RUNNABLE, ids=[f"{c.doc} {c.text}" for c in RUNNABLE])
def test_documented_command_runs_as_printed(command: Command) -> None:
    argv = [IFGUARD, *shlex.split(command.text)[1:]]
    if argv[1] in NETWORK:  # probes send ARP/ICMP: never to this machine's own network
        if os.geteuid() != 0 or shutil.which("unshare") is None:
            pytest.skip(f"`{command.text}` probes the network: needs root and unshare --net")
        argv = ["unshare", "--net", *argv]  # a fresh namespace with only a loopback
    done = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    on_this_host = all(a.startswith("-") for a in argv[2:])  # reads this machine's files
    allowed = (0, 1, 2) if on_this_host else (0, 1)
    assert done.returncode in allowed, f"{command.doc}: {done.stderr}"
    if done.returncode == 2:  # could not run here (no interfaces file): one clear line
        assert done.stderr.count("\n") == 1, done.stderr
    for line in command.output:
        assert line in done.stdout.splitlines(), f"{command.doc}: {line!r} not in\n{done.stdout}"
