#!/usr/bin/env python3
"""Fault injection campaign for `ifguard apply` (run by hand, not part of the test suite):

    .venv/bin/python benchmarks/apply_faults.py [--kills 20] [--in-write 6] [--seed 1]

SIGKILLs the CLI at random points of a real transaction under a temporary root (fake reload,
real detached guardian), `--in-write` of them inside the atomic write of the candidate, and
prints per point: the phase hit, the file on disk right after the kill (old/new/TORN), the
record state, whether a guardian was alive, and the final outcome. See tests/apply/faults.py.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.apply.faults import campaign  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--kills", type=int, default=20)
    p.add_argument("--in-write", type=int, default=6)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        summary = campaign(Path(tmp), args.kills, args.seed, args.in_write)
    print(summary.table())
    bad = summary.torn + summary.unarmed + summary.not_restored + summary.blocked
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
