"""Fault injection for `ifguard apply`: SIGKILL the CLI at chosen points of the transaction.

A point is the N-th Python line executed from the moment the transaction begins (``begin``)
in the CLI process, stdlib included, so points fall between any two statements: inside
``atomic_write`` (after mkstemp, between write and fsync, before/after the rename), between
a state change and the next, during the reload, while waiting. The CLI runs the real code
under a temporary root with a fake reload and the real detached guardian; right after the
kill we check the invariants, then wait for the guardian:

* the interfaces file is byte-identical to the old or the new content (never torn);
* when the new content is on disk, or the record says APPLIED, a guardian is alive;
* in the end the old content is back (nothing was confirmed) and a new apply can start.

Used by tests/apply/test_faults.py (a few points) and benchmarks/apply_faults.py (20+).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ifguard.store.statedir import StateDir
from ifguard.system.process import process_alive
from ifguard.system.root import Root
from tests.apply.cli_helpers import CLEAN, MAIN, apply_argv, candidate, make_root
from tests.conftest import wait_closed

# Runs the CLI under a line tracer that kills the process at the N-th line event counted
# from the first call of the ANCHOR function (N<0: count only).
TRACER = r"""
import os, signal, sys, json
anchor, target, report = sys.argv[1], int(sys.argv[2]), sys.argv[3]
argv = sys.argv[4:]
pid = os.getpid()
state = {"n": 0, "on": False, "write": []}

def phase(frame):
    names = []
    while frame is not None:
        names.append(frame.f_code.co_name)
        frame = frame.f_back
    if "write_targets" in names:
        return "writing candidate" + (" (inside atomic_write)" if "atomic_write" in names
                                      else "")
    for fn, label in (("reload", "reload"), ("spawn", "spawning guardian"),
                      ("wait_guardian", "waiting for the guardian"),
                      ("wait_final", "waiting for confirmation"),
                      ("save_blob", "snapshot"), ("record_version", "snapshot"),
                      ("record_event", "history event"), ("update", "state change"),
                      ("begin", "opening the transaction")):
        if fn in names:
            return label
    return "other: " + names[0]

def tracer(frame, event, arg):
    if os.getpid() != pid:
        return None
    if not state["on"]:
        if event == "call" and frame.f_code.co_name == anchor and \
                os.sep + "ifguard" + os.sep in frame.f_code.co_filename:
            state["on"] = True
        else:
            return tracer
    if event == "line":
        state["n"] += 1
        n = state["n"]
        if target < 0:
            names = [f.f_code.co_name for f in _stack(frame)]
            if "write_targets" in names and "atomic_write" in names:
                state["write"].append(n)
        elif n == target:
            with open(report, "w") as fh:
                json.dump({"n": n, "phase": phase(frame)}, fh)
            os.kill(pid, signal.SIGKILL)
    return tracer

def _stack(frame):
    while frame is not None:
        yield frame
        frame = frame.f_back

sys.settrace(tracer)
from ifguard.cli import main
try:
    code = main(argv)
finally:
    sys.settrace(None)
    if target < 0:
        with open(report, "w") as fh:
            json.dump({"total": state["n"], "write": state["write"]}, fh)
sys.exit(code)
"""


@dataclass
class Outcome:
    point: str
    phase: str
    on_disk: str  # "old" | "new" | "TORN"
    record: str  # state right after the kill ("none" when no record)
    guardian_alive: bool
    armed_ok: bool  # a guardian is alive whenever one is needed
    final: str  # "old" | "new" | "TORN" after the guardian finished
    final_state: str
    temp_files: int  # leftover hidden temp files next to the target
    next_apply_ok: bool


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def torn(self) -> int:
        return sum(o.on_disk == "TORN" or o.final == "TORN" for o in self.outcomes)

    @property
    def unarmed(self) -> int:
        return sum(not o.armed_ok for o in self.outcomes)

    @property
    def not_restored(self) -> int:
        return sum(o.final != "old" for o in self.outcomes)

    @property
    def blocked(self) -> int:
        return sum(not o.next_apply_ok for o in self.outcomes)

    def table(self) -> str:
        rows = [
            f"{'point':>20}  {'phase':<42} {'disk':<5} {'record':<13} {'guardian':<8} "
            f"{'final':<5} final-state"
        ]
        for o in self.outcomes:
            rows.append(
                f"{o.point:>20}  {o.phase:<42} {o.on_disk:<5} {o.record:<13} "
                f"{'alive' if o.guardian_alive else '-':<8} {o.final:<5} "
                f"{o.final_state}"
            )
        phases = Counter(o.phase for o in self.outcomes)
        rows.append("")
        rows.append(
            "points per phase: " + ", ".join(f"{k}: {v}" for k, v in sorted(phases.items()))
        )
        rows.append(
            f"kills: {len(self.outcomes)}; torn files: {self.torn}; rollback not armed "
            f"when needed: {self.unarmed}; old config not restored: "
            f"{self.not_restored}; next apply blocked: {self.blocked}; new content "
            f"on disk at kill: {sum(o.on_disk == 'new' for o in self.outcomes)}; "
            f"leftover temp files: {sum(o.temp_files for o in self.outcomes)}"
        )
        return "\n".join(rows)


def _content(path: Path, old: bytes, new: bytes) -> str:
    data = path.read_bytes()
    return "old" if data == old else "new" if data == new else "TORN"


def _run(
    work: Path, point: int, anchor: str = "begin", timeout: str = "1"
) -> tuple[Path, Path, dict[str, object]]:
    work.mkdir(parents=True)
    root = make_root(work)
    cand = candidate(work, "tag=1001", "tag=1002")
    report = work / "report.json"
    argv = apply_argv(root, cand, "--timeout", timeout)[3:]  # drop python -m ifguard
    proc = subprocess.run(
        [sys.executable, "-c", TRACER, anchor, str(point), str(report), *argv],
        capture_output=True,
        text=True,
        timeout=300,
    )
    info = json.loads(report.read_text()) if report.exists() else {}
    info["rc"] = proc.returncode
    info["stderr"] = proc.stderr
    return root, cand, info


def calibrate(work: Path) -> tuple[int, list[int]]:
    """Count the line events of a whole transaction, and find those inside ``atomic_write``
    of the candidate, counted from the first call of ``write_targets`` (deterministic: no
    polling loop in between)."""
    root, _, info = _run(work / "all", -1)
    assert info.get("total"), info
    _wait_closed(StateDir(root / "var/lib/ifguard", Root(root)))
    root, _, info = _run(work / "write", -1, "write_targets")
    _wait_closed(StateDir(root / "var/lib/ifguard", Root(root)))
    return int(info["total"]), list(info["write"])  # type: ignore[call-overload]


def _wait_closed(state: StateDir, limit: float = 60) -> None:
    """Until the record under ``state`` is closed (or stale: never started; the next apply
    cleans it), read in-process as `ifguard status --format json` shows it."""

    def status() -> dict[str, Any]:
        txn = state.read()
        return {
            "pending": bool(txn and txn.open),
            "guardian_alive": bool(txn and process_alive(txn.guardian_pid, txn.guardian_ticks)),
            "transaction": asdict(txn) if txn else None,
        }

    def cli_gone(txn: dict[str, Any]) -> bool:
        return not process_alive(txn["apply_pid"], txn["apply_ticks"])

    wait_closed(status, limit=limit, interval=0.1, cli_gone=cli_gone)


def inject(work: Path, point: int, anchor: str = "begin") -> Outcome:
    root, cand, info = _run(work, point, anchor)
    old, new = CLEAN.read_bytes(), cand.read_bytes()
    main = root / MAIN
    state = StateDir(root / "var/lib/ifguard", Root(root))
    killed = info["rc"] == -signal.SIGKILL
    phase = (
        str(info.get("phase", "finished before the point"))
        if killed
        else "finished before the point"
    )
    on_disk = _content(main, old, new)
    txn = state.read()
    alive = bool(txn and process_alive(txn.guardian_pid, txn.guardian_ticks))
    needs_guardian = on_disk == "new" or bool(txn and txn.state in ("applied", "rolling-back"))
    armed_ok = alive or not needs_guardian or not (txn and txn.open)
    _wait_closed(state)
    final = _content(main, old, new)
    last = state.read() or state.last_result()
    temps = [
        p
        for p in main.parent.iterdir()
        if p.name.startswith(".interfaces.") and p.name.endswith(".tmp")
    ]
    again = subprocess.run(
        apply_argv(root, cand, "--no-wait", "--timeout", "30"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    next_ok = again.returncode == 0
    if next_ok:
        subprocess.run(
            [*apply_argv(root, cand)[:3], "rollback", "--root", str(root)],
            capture_output=True,
            timeout=120,
        )
    return Outcome(
        f"{anchor}+{point}",
        phase,
        on_disk,
        txn.state if txn else "none",
        alive,
        armed_ok,
        final,
        last.state if last else "none",
        len(temps),
        next_ok,
    )


def campaign(work: Path, kills: int, seed: int, in_write: int) -> Summary:
    """``kills`` points: ``in_write`` of them inside the candidate write, the rest anywhere
    from the start of the transaction to its end."""
    total, write = calibrate(work / "calibrate")
    rng = random.Random(seed)
    points = {("write_targets", p) for p in rng.sample(write, min(in_write, len(write)))}
    while len(points) < kills:
        points.add(("begin", rng.randint(1, total)))
    summary = Summary()
    for n, (anchor, point) in enumerate(sorted(points, key=lambda a: (a[0] != "begin", a[1]))):
        summary.outcomes.append(inject(work / f"kill{n}", point, anchor))
    return summary


if __name__ == "__main__":  # pragma: no cover
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        print(campaign(Path(tmp), int(sys.argv[1]) if len(sys.argv) > 1 else 20, 1, 5).table())
        os._exit(0)
