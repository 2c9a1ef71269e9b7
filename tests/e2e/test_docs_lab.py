"""The lab commands of README.md and docs/lab.md run as printed, from the repository's top
directory (relative paths such as `.venv/bin/ifguard` included), under the lab lock."""

from __future__ import annotations

import fcntl
import re
import subprocess
import tempfile

import pytest

from tests.conftest import REPO, unavailable
from tests.docsnippets import commands
from tests.e2e.conftest import _unavailable

pytestmark = pytest.mark.e2e
LAB = "python3 lab/ifguard_lab.py "


def sh(line: str) -> subprocess.CompletedProcess[str]:
    """Output to files, not pipes: `lab up` leaves daemons that hold inherited descriptors."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        done = subprocess.run(
            ["bash", "-c", line], cwd=REPO, stdout=out, stderr=err, timeout=300, check=False
        )
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(done.args, done.returncode, out.read(), err.read())


def test_lab_commands_of_the_docs_run_as_printed() -> None:
    reason = _unavailable()
    if reason:
        unavailable(f"e2e prerequisites missing: {reason}")
    if not (REPO / ".venv/bin/ifguard").exists():
        unavailable("no .venv/bin/ifguard in the repository (bash scripts/dev-setup.sh)")
    readme = (REPO / "README.md").read_text()
    (inline,) = re.findall(r"`(python3 lab/ifguard_lab\.py up && [^`]+)`", readme)
    block = [
        c.text for c in commands() if c.doc.startswith("docs/lab.md") and c.text.startswith(LAB)
    ]
    assert any(".venv/bin/ifguard" in line for line in block) and block[-1].endswith(" down")
    with open("/run/ifguard-lab.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            for line in [inline, *block]:
                done = sh(line)
                assert "No such file or directory" not in done.stderr, f"{line}: {done.stderr}"
                ok = (0, 1) if line.endswith(" probe") else (0,)
                assert done.returncode in ok, (
                    f"{line}: rc {done.returncode}\n{done.stdout}\n{done.stderr}"
                )
                if line.endswith(" probe"):
                    assert "management" in done.stdout or "gateway" in done.stdout, done.stdout
        finally:
            sh(LAB + "down")
