#!/usr/bin/env python3
"""Benchmark: the whole `ifguard lint` process against ifupdown2's own parse (`ifquery -a -i`).

Run by hand (not part of the test suite):

    python3 benchmarks/lint_bench.py [--runs 7] [--python /usr/bin/python3]

Generates a 10,000-stanza file (5,000 dummies + 5,000 bridges, ~55k lines) and a typical
Proxmox OVS file, then times each command N times in fresh processes and reports the median
wall time and the peak RSS (from /usr/bin/time). ifquery runs under Debian's python3, so by
default ifguard does too (PYTHONPATH=src); pass --python to compare another interpreter.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def big_file(path: Path) -> None:
    lines = ["auto lo", "iface lo inet loopback", ""]
    for i in range(5000):
        lines += [f"auto dummy{i}", f"iface dummy{i} inet manual", "    link-type dummy", ""]
    for i in range(5000):
        lines += [
            f"auto br{i}",
            f"iface br{i} inet static",
            f"    address 10.{i // 250}.{i % 250}.1/24",
            f"    bridge-ports dummy{i}",
            "    bridge-stp off",
            "    bridge-fd 0",
            "",
        ]
    path.write_text("\n".join(lines) + "\n")


def measure(argv: list[str], runs: int, env: dict[str, str], cwd: Path) -> tuple[float, float, int]:
    """(median wall s, median CPU s = user + sys, peak RSS KB). CPU time is the steadier
    figure on a loaded machine; wall time is what a user waits."""
    walls, cpus, rss = [], [], []
    for _ in range(runs):
        started = time.perf_counter()  # /usr/bin/time's %e has only 10 ms resolution
        proc = subprocess.run(
            ["/usr/bin/time", "-f", "%U %S %M", *argv],
            env=env,
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        walls.append(time.perf_counter() - started)
        user, system, kb = proc.stderr.strip().splitlines()[-1].split()
        cpus.append(float(user) + float(system))
        rss.append(int(kb))
    return statistics.median(walls), statistics.median(cpus), max(rss)


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--python", default="/usr/bin/python3")
    args = ap.parse_args()
    if not Path("/usr/bin/time").exists() or not shutil.which("ifquery"):
        print("needs /usr/bin/time (package time) and ifquery (package ifupdown2)", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="ifguard-bench-"))
    big = tmp / "big.interfaces"
    big_file(big)
    small = REPO / "examples" / "proxmox-ovs.interfaces"
    root = tmp / "root"
    root.mkdir()
    # Like an installed package: bytecode cached (pip compiles at install time), and run
    # from a directory without a pyproject.toml (the repo's own would be read as settings).
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([args.python, "-m", "compileall", "-q", str(REPO / "src")], check=True, env=env)
    print(f"interpreter for ifguard: {args.python}; runs: {args.runs}")
    print(
        f"{'file':<6} {'lines':>6} {'tool':<8} {'wall s':>7} {'cpu s':>6} {'peak MB':>8} "
        f"{'x wall':>7} {'x cpu':>6}"
    )
    for name, path in (("big", big), ("small", small)):
        nlines = len(path.read_text().splitlines())
        # Started like the installed `ifguard` console script (no runpy, as `-m` would add).
        ours = measure(
            [
                args.python,
                "-c",
                "import sys; from ifguard.cli import main; sys.exit(main())",
                "lint",
                "-q",
                "--root",
                str(root),
                str(path),
            ],
            args.runs,
            env,
            tmp,
        )
        theirs = measure(["ifquery", "-a", "-i", str(path)], args.runs, dict(os.environ), tmp)
        for tool, (wall, cpu, kb) in (("ifguard", ours), ("ifquery", theirs)):
            mine = tool == "ifguard"
            xw = f"{theirs[0] / wall:.1f}x" if mine and wall else ""
            xc = f"{theirs[1] / cpu:.1f}x" if mine and cpu else ""
            print(
                f"{name:<6} {nlines:>6} {tool:<8} {wall:>7.3f} {cpu:>6.2f} {kb / 1024:>8.1f} "
                f"{xw:>7} {xc:>6}"
            )
    shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
