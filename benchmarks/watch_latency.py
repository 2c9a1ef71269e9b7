"""Run by hand: write -> notification latency of the watcher, and its idle CPU and RSS.

    .venv/bin/python benchmarks/watch_latency.py [--writes 100] [--idle 600] [--scheme json]

The watcher runs in its own process, built as `ifguard watch` builds it (runtime checks on,
--runtime), against a temp --root, and notifies a receiver on 127.0.0.1 through apprise URL
``SCHEME://127.0.0.1:PORT/...`` (json: the fast webhook path; ntfy: through apprise, imported
in the background once idle). Each round appends the junk line (-> one alert) or removes it
(-> one "resolved"); the latency is write() -> POST received. The first alert after start is
measured on --starts fresh watchers (each started, left idle 3 s, then broken) and counted in
the p50/p99. Idle CPU and RSS are measured right after start and after the alerts.
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
# `ifguard watch` as the command line builds it (runtime checks included); --alert-hold 0 so
# that every write of the benchmark is notified
CHILD = """
import logging, sys
logging.basicConfig(level=logging.INFO, format="%(message)s")  # "watching ..." = ready
from ifguard.cli import build_parser
from ifguard.commands.watch import make_watcher
args = build_parser().parse_args(["watch", *sys.argv[1:]])
w = make_watcher(args)
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


def start(tmp: Path, url: str, n: int) -> tuple[subprocess.Popen[bytes], Path]:
    conf = tmp / f"root{n}/etc/network/interfaces"
    conf.parent.mkdir(parents=True)
    conf.write_bytes(GOOD)
    argv = ["--root", str(tmp / f"root{n}"), "--state-dir", str(tmp / f"state{n}")]
    argv += ["--runtime", "--alert-hold", "0", "--notify", url]
    child = subprocess.Popen([sys.executable, "-c", CHILD, *argv], stderr=subprocess.PIPE)
    assert child.stderr is not None
    for line in child.stderr:  # ready: inotify is armed
        if line.startswith(b"watching "):
            break
    threading.Thread(target=child.stderr.read, daemon=True).start()  # drain the rest
    return child, conf


def notify(conf: Path, data: bytes) -> float | None:
    """Write, wait for the next POST; the latency in ms (None: nothing within 10 s)."""
    with Receiver.cond:
        n = len(Receiver.times)
    t0 = time.perf_counter()
    conf.write_bytes(data)
    with Receiver.cond:
        if not Receiver.cond.wait_for(lambda: len(Receiver.times) > n, 10):
            return None
        return (Receiver.times[n] - t0) * 1000


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def stop(child: subprocess.Popen[bytes]) -> int:
    child.terminate()
    return child.wait(10)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--writes", type=int, default=100)
    ap.add_argument("--idle", type=float, default=600.0, help="idle measurement, seconds")
    ap.add_argument("--starts", type=int, default=5, help="fresh starts for the first alert")
    ap.add_argument("--scheme", choices=["json", "ntfy"], default="json")
    a = ap.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    tmp = Path(tempfile.mkdtemp(prefix="ifguard-watch-bench-"))
    url = f"{a.scheme}://127.0.0.1:{server.server_address[1]}/ifguard-bench"
    firsts = []
    for n in range(a.starts):
        child, conf = start(tmp, url, n)
        time.sleep(3)  # idle: the first runtime check is done
        first = notify(conf, GOOD + JUNK)
        if first is None:
            print(f"start {n}: no first alert within 10 s")
        else:
            firsts.append(first)
        stop(child)
    print(
        f"first alert after start ({a.starts} starts, {a.scheme}://): "
        + " ".join(f"{x:.0f}" for x in firsts)
        + " ms",
        flush=True,
    )
    child, conf = start(tmp, url, a.starts)
    time.sleep(3)
    idle(child.pid, a.idle, "idle from start, no alert sent yet")
    lat = []
    for i in range(a.writes):
        got = notify(conf, GOOD + JUNK if i % 2 == 0 else GOOD)
        if got is None:
            print(f"write {i}: no notification within 10 s")
        else:
            lat.append(got)
        time.sleep(0.1)
    print(
        f"steady state, {len(lat)} writes: p50 {statistics.median(lat):.1f} ms  "
        f"p99 {pct(lat, 0.99):.1f} ms  max {max(lat):.1f} ms",
        flush=True,
    )
    every = firsts + lat
    print(
        f"all {len(every)} notifications incl. {len(firsts)} first alerts: p50 "
        f"{statistics.median(every):.1f} ms  p99 {pct(every, 0.99):.1f} ms  "
        f"max {max(every):.1f} ms",
        flush=True,
    )
    time.sleep(2)
    idle(child.pid, a.idle, f"idle after {len(lat)} alerts")
    print(f"exit status after SIGTERM: {stop(child)}")


if __name__ == "__main__":
    main()
