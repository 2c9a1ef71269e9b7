#!/usr/bin/env python3
"""Time from the end of the reload to restored connectivity, in the lab (run by hand, root):

    .venv/bin/python benchmarks/apply_rollback_time.py [--runs 3] [--timeout 20]

For each scenario - a candidate with a wrong gateway rolled back by the CLI when the probes
stay red (`wait`, with --probe-timeout 10 and the default 20), by the guardian after the CLI
was SIGKILLed right after the reload (`kill`, with --probe-timeout 10 and the default: the
guardian probes by itself once the CLI is gone), or after its terminal hung up (`hangup`) -
the remote admin namespace pings the host every 0.1 s; the figure is the time from "reload
finished" to the first answer after the outage. Uses the lab (lab/ifguard_lab.py) and
tests/e2e/test_apply_lab.py's helpers. The lab's namespaces use the prefix "ifgb", but the
lab also binds fixed paths, so it takes the e2e tests' lock (/run/ifguard-lab.lock) and waits
for a running e2e test of another checkout instead of colliding with it.
"""

from __future__ import annotations

import argparse
import fcntl
import statistics
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO)]

from lab.ifguard_lab import Lab  # noqa: E402
from tests.e2e.test_apply_lab import (  # noqa: E402
    Watch,
    current,
    drive,
    wait_closed,
    wrong_gateway,
)

LOCK = "/run/ifguard-lab.lock"
SCENARIOS = (
    ("wait", ("--probe-timeout", "10")),
    ("wait", ()),
    ("kill", ("--probe-timeout", "10")),
    ("kill", ()),
    ("hangup", ("--probe-timeout", "10")),
)


def once(lab: Any, mode: str, timeout: str, extra: tuple[str, ...]) -> float | None:
    good = current(lab)
    watch = Watch(lab)
    try:
        res = drive(lab, wrong_gateway(good), mode, "--timeout", timeout, *extra)
        wait_closed(lab)
        watch.wait_reachable(90)
    finally:
        watch.stop()
    lost, seconds = watch.restored_after(res["t_reload"])
    return seconds if lost else None


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--timeout", default="20")
    args = p.parse_args()
    with open(LOCK, "a") as lock:
        print(f"waiting for {LOCK} (e2e tests of other checkouts)...", flush=True)
        fcntl.flock(lock, fcntl.LOCK_EX)
        return run(args)


def run(args: argparse.Namespace) -> int:
    lab = Lab(prefix="ifgb")
    lab.up()
    try:
        for mode, extra in SCENARIOS:
            times = [once(lab, mode, args.timeout, extra) for _ in range(args.runs)]
            ok = [t for t in times if t is not None]
            label = (
                f"{mode} --timeout {args.timeout} {' '.join(extra) or '(default --probe-timeout)'}"
            )
            if ok:
                print(
                    f"{label:<48} median {statistics.median(ok):5.1f} s  max {max(ok):5.1f} s"
                    f"  runs {len(ok)}/{len(times)}"
                )
            else:
                print(f"{label:<48} no outage observed or never restored: {times}")
    finally:
        lab.down()
    return 0


if __name__ == "__main__":
    sys.exit(main())
