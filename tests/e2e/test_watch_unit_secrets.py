"""The installed watcher unit with notification URLs configured: no URL on any command line.

The unit's own ExecStart (as `ifguard install` renders it) runs as a real process in a private
mount namespace whose /etc is an overlay (the machine's /etc is not touched) holding
/etc/ifguard/ifguard.toml (root, 0600) with `[watch] notify`, and whose /etc/network and
/var/lib/ifguard are temporary directories. `ps -eo args` must show no URL and no token, and
the junk line must still reach the receiver (the URL was read from the file).
"""

from __future__ import annotations

import http.server
import os
import shlex
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import ClassVar

import pytest

from ifguard.install.files import unit_text
from tests.conftest import require_tool, unavailable

pytestmark = pytest.mark.e2e
TOKEN = "tk_SECRET0123456789abcdef"
GOOD = b"auto lo\niface lo inet loopback\n"
JUNK = b"27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master ovs-system\n"
SCRIPT = """set -e
mount -t tmpfs tmpfs /run
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$IFG_UPPER,workdir=$IFG_WORK" /etc
mkdir -p /etc/ifguard /var/lib/ifguard
install -m 600 -o root -g root "$IFG_TOML" /etc/ifguard/ifguard.toml
mount --bind "$IFG_NET" /etc/network
mount --bind "$IFG_STATE" /var/lib/ifguard
exec "$@"
"""


class Receiver(http.server.BaseHTTPRequestHandler):
    got: ClassVar[list[bytes]] = []

    def do_POST(self) -> None:
        self.got.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def exec_start(unit: str) -> list[str]:
    (line,) = [x for x in unit.splitlines() if x.startswith("ExecStart=")]
    return shlex.split(line.removeprefix("ExecStart="))


def test_ps_shows_no_notification_url_while_the_unit_runs(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        unavailable("needs root (mount namespace)")
    require_tool("unshare", "util-linux")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"json://127.0.0.1:{server.server_address[1]}/hook?token={TOKEN}"
    for d in ("upper", "work", "net", "state"):
        (tmp_path / d).mkdir()
    (tmp_path / "net/interfaces").write_bytes(GOOD)
    toml = tmp_path / "ifguard.toml"
    toml.write_text(f'[watch]\nnotify = ["{url}"]\n')
    argv = exec_start(
        unit_text("ifguard-watch.service", str(Path(sys.executable).parent / "ifguard"))
    )
    assert argv[1:] == ["watch"] and "notify" not in " ".join(argv)
    env = dict(
        os.environ,
        IFG_UPPER=str(tmp_path / "upper"),
        IFG_WORK=str(tmp_path / "work"),
        IFG_TOML=str(toml),
        IFG_NET=str(tmp_path / "net"),
        IFG_STATE=str(tmp_path / "state"),
    )
    log = (tmp_path / "watch.log").open("w")
    proc = subprocess.Popen(
        # /run is a private tmpfs (the console summary and agetty's reload stay inside) and the
        # runtime checks are off: the running network here is the machine's own, never probed
        [
            "unshare",
            "-m",
            "--propagation",
            "private",
            "sh",
            "-c",
            SCRIPT,
            "sh",
            *argv,
            "--no-runtime",
        ],
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "state/alerts.db").exists():
            assert proc.poll() is None, (tmp_path / "watch.log").read_text()
            assert time.monotonic() < deadline, "the watcher did not start"
            time.sleep(0.2)
        time.sleep(1.0)
        with (tmp_path / "net/interfaces").open("ab") as fh:
            fh.write(JUNK)
        while not Receiver.got:
            assert time.monotonic() < deadline + 30, (tmp_path / "watch.log").read_text()
            time.sleep(0.2)
        assert b"IFG101" in Receiver.got[0]  # the URL from the file was used
        args = subprocess.run(
            ["ps", "-eo", "args"], capture_output=True, text=True, check=True
        ).stdout
        mine = [a for a in args.splitlines() if " watch" in a and "ifguard" in a]
        assert mine, args  # the watcher is in the list...
        assert TOKEN not in args and "json://" not in args  # ...without its URL
        environ = Path(f"/proc/{proc.pid}/environ").read_bytes()
        assert TOKEN.encode() not in environ
        assert TOKEN not in (tmp_path / "watch.log").read_text()
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()
        server.shutdown()
