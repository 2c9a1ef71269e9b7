#!/usr/bin/python3
"""ifguard VM lab, guest side: runs the test's commands from a virtio serial port.

One JSON object a line each way. Request ``{"id": N, "cmd": "shell text", "timeout": S}``;
answer ``{"id": N, "rc": RC, "out": "...", "err": "...", "t": UNIX_TIME_STARTED}``. Commands
run one after the other with ``sh -c`` as root (test image only). rc 124: timed out.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main(port: str) -> None:
    while not os.path.exists(port):
        time.sleep(0.2)
    fd = os.open(port, os.O_RDWR)
    with os.fdopen(fd, "rb+", buffering=0) as dev:
        buf = b""
        while True:
            chunk = dev.read(65536)
            if not chunk:
                time.sleep(0.05)
                continue
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                try:
                    req = json.loads(line)
                except ValueError:
                    continue
                started = time.time()
                try:
                    done = subprocess.run(
                        ["sh", "-c", req["cmd"]],
                        capture_output=True,
                        timeout=float(req.get("timeout", 60)),
                        stdin=subprocess.DEVNULL,
                    )
                    rc, out, err = done.returncode, done.stdout, done.stderr
                except subprocess.TimeoutExpired as exc:
                    rc, out, err = 124, exc.stdout or b"", exc.stderr or b""
                answer = {
                    "id": req.get("id"),
                    "rc": rc,
                    "out": out.decode("utf-8", "replace"),
                    "err": err.decode("utf-8", "replace"),
                    "t": started,
                }
                data = json.dumps(answer).encode() + b"\n"
                while data:  # a virtio port takes a large answer in several writes
                    written = dev.write(data)
                    data = data[written or 0 :]


if __name__ == "__main__":
    main(sys.argv[1])
