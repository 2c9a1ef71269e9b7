#!/usr/bin/env python3
"""Benchmark: `ifguard lint --fix` racing an editor that takes no lock (issue 22).

Run by hand:

    PYTHONPATH=src python3 benchmarks/fix_race.py [--rounds 800]

Each round the file holds a CRLF line (a safe fix: IFG106); the editor saves a new text
(by rename, as vim does, or in place, as nano does, alternately) while `lint --fix` runs.
After both are done the file must hold the editor's text (fixed or not): otherwise the
fix was computed from the old text and written over the editor's save - a lost write.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OLD = b"auto lo\r\niface lo inet loopback\r\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=800)
    args = parser.parse_args()
    lost = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "interfaces"
        for n in range(args.rounds):
            path.write_bytes(OLD)
            edit = f"auto lo\niface lo inet loopback\n# edit {n}\n".encode()
            fixer = subprocess.Popen(
                [sys.executable, "-m", "ifguard", "lint", "-q", "--fix", str(path)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(random.uniform(0.05, 0.25))  # somewhere in the fixer's run
            if n % 2:
                tmp_edit = path.with_name("edit.tmp")
                tmp_edit.write_bytes(edit)
                os.replace(tmp_edit, path)
            else:
                with path.open("r+b") as fh:
                    fh.truncate(0)
                    fh.write(edit)
            fixer.wait()
            if f"# edit {n}".encode() not in path.read_bytes():
                lost += 1
    print(f"{lost} of {args.rounds} editor writes lost")
    return 0


if __name__ == "__main__":
    sys.exit(main())
