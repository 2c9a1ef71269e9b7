"""Run by hand: write -> notification latency of the watcher, and its idle CPU and RSS.

    .venv/bin/python benchmarks/watch_latency.py [--writes 100] [--idle 600]

Idle CPU and RSS are measured twice: right after start (apprise not loaded yet) and after
the alerts of the latency run.

The watcher runs in its own process (like `ifguard watch`) against a temp --root and notifies a
json:// receiver on 127.0.0.1. Each round appends the junk line (-> one alert) or removes it
(-> one "resolved"); the latency is write() -> POST received.
"""

from __future__ import annotations

import argparse
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import ClassVar

GOOD = b"auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet dhcp\n"
JUNK = (
    b"27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast"
    b" master ovs-system state UP group default qlen 1000\n"
)
# `ifguard watch` as the command line builds it (runtime checks included), without the flap
# rate limit so that every write of the benchmark is notified
CHILD = """
import sys
from ifguard.cli import build_parser
from ifguard.commands.watch import make_watcher
args = build_parser().parse_args(["watch", *sys.argv[1:]])
w = make_watcher(args)
w.alerter.hold = 0
w.install_signals()
w.run()
"""


class Receiver(http.server.BaseHTTPRequestHandler):
    times: ClassVar[list[float]] = []
    cond: ClassVar[threading.Condition] = threading.Condition()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        with self.cond:
            self.times.append(time.perf_counter())
            self.cond.notify_all()
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def cpu_rss(pid: int) -> tuple[float, int]:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    rss = next(
        int(line.split()[1])
        for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        if line.startswith("VmRSS:")
    )
    return cpu, rss * 1024


def idle(pid: int, seconds: float, label: str) -> None:
    cpu0, _ = cpu_rss(pid)
    t0 = time.monotonic()
    time.sleep(seconds)
    cpu1, rss = cpu_rss(pid)
    wall = time.monotonic() - t0
    print(
        f"{label}, {wall:.0f} s: CPU {100 * (cpu1 - cpu0) / wall:.3f} %  RSS {rss / 2**20:.1f} MB",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--writes", type=int, default=100)
    ap.add_argument("--idle", type=float, default=600.0, help="idle measurement, seconds")
    a = ap.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    tmp = Path(tempfile.mkdtemp(prefix="ifguard-watch-bench-"))
    conf = tmp / "root/etc/network/interfaces"
    conf.parent.mkdir(parents=True)
    conf.write_bytes(GOOD)
    url = f"json://127.0.0.1:{server.server_address[1]}/"
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            "--root",
            str(tmp / "root"),
            "--state-dir",
            str(tmp / "state"),
            "--notify",
            url,
        ]
    )
    time.sleep(3)
    idle(child.pid, a.idle, "idle from start, no alert sent yet")
    lat = []
    for i in range(a.writes):
        with Receiver.cond:
            n = len(Receiver.times)
        t0 = time.perf_counter()
        conf.write_bytes(GOOD + JUNK if i % 2 == 0 else GOOD)
        with Receiver.cond:
            if not Receiver.cond.wait_for(lambda: len(Receiver.times) > n, 10):  # noqa: B023
                print(f"write {i}: no notification within 10 s")
                continue
            lat.append((Receiver.times[n] - t0) * 1000)
        time.sleep(0.1)
    first, rest = lat[0], sorted(lat[1:])
    rest_p99 = rest[min(len(rest) - 1, int(len(rest) * 0.99))]
    print(
        f"first alert (loads apprise): {first:.1f} ms; the other {len(rest)}: p50 "
        f"{statistics.median(rest):.1f} ms  p99 {rest_p99:.1f} ms",
        flush=True,
    )
    lat.sort()
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
    print(
        f"latency write->notification over {len(lat)} writes: p50 {statistics.median(lat):.1f} ms"
        f"  p99 {p99:.1f} ms  max {lat[-1]:.1f} ms",
        flush=True,
    )
    time.sleep(2)
    idle(child.pid, a.idle, f"idle after {len(lat)} alerts")
    child.terminate()
    child.wait(10)
    print(f"exit status after SIGTERM: {child.returncode}")


if __name__ == "__main__":
    main()
