"""How long the SSH login waits for ifguard: the /etc/update-motd.d script `ifguard install`
writes (it only reads the published summary), and the whole directory through run-parts as
pam_motd runs it. Goal: under 50 ms.

    python3 benchmarks/console_motd.py --runs 200

Under a scratch root: install, publish a broken summary (the incident's, as the watcher
would), then time each command in a fresh process (fork, exec, wait) and print the median,
95th percentile and maximum wall time.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from ifguard.install import files as F  # noqa: E402
from ifguard.install import ops  # noqa: E402
from ifguard.status.publish import Console  # noqa: E402
from ifguard.status.summary import BondState, Facts, Probe  # noqa: E402
from ifguard.system.root import Root  # noqa: E402
from ifguard.system.runner import Completed  # noqa: E402


class Quiet:
    def run(self, argv: object, *, timeout: float | None = None) -> Completed:
        return Completed(0, "", "")


def timed(argv: list[str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, check=False)
        out.append((time.perf_counter() - start) * 1000)
        if done.returncode != 0 or b"NETWORK BROKEN" not in done.stdout:
            raise SystemExit(f"{argv}: exit {done.returncode}: {done.stderr!r}")
    return out


def report(name: str, ms: list[float]) -> None:
    ms = sorted(ms)
    p95 = ms[max(0, int(len(ms) * 0.95) - 1)]
    print(
        f"{name:<34} median {statistics.median(ms):6.2f} ms  p95 {p95:6.2f} ms  "
        f"max {ms[-1]:6.2f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Root(Path(tmp))
        ifguard = shutil.which("ifguard") or "/usr/bin/ifguard"
        ops.install(ops.Options(root=root, ifguard=ifguard), lambda argv: 0, out=lambda s: None)
        facts = Facts(
            probes=(Probe("gateway 192.0.2.1 reachable", "fail", "no ARP or ICMP reply"),),
            bonds=(BondState("bond0", (), ("enp1s0", "enx60a4b758ba5b")),),
            known_good=12,
            version=14,
        )
        Console(root, Quiet(), signal_host=False).publish(facts)
        script = str(root.path(F.MOTD_SCRIPT))
        report("update-motd.d/50-ifguard", timed([script], args.runs))
        report(
            "run-parts --lsbsysinit update-motd.d",
            timed(["run-parts", "--lsbsysinit", str(root.path("/etc/update-motd.d"))], args.runs),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
