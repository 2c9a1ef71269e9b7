#!/usr/bin/env python3
"""Print what the person at an 80x25 console sees on a guarded host in the incident's state:
Proxmox's /etc/issue banner, ifguard's issue.d file, the login prompt.

Built from the real code path: examples/incident.interfaces is linted by ifguard, the
summary is published by ifguard.status (as the watcher does) under a scratch root, and the
real agetty (`--show-issue`, in a pseudo-terminal) expands the banner and the published
issue file. The running-state facts are those the lab measured after the incident's reload
(tests/e2e, docs/incident.md): both bond members down, the gateway silent.

usage: scripts/console-capture.py            (docs/console.md shows its output)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from ifguard.lint.engine import lint_host  # noqa: E402
from ifguard.lint.settings import Settings  # noqa: E402
from ifguard.status import collect  # noqa: E402
from ifguard.status.publish import ISSUE, Console  # noqa: E402
from ifguard.status.summary import BondState, Facts, Probe  # noqa: E402
from ifguard.system.root import Root  # noqa: E402
from ifguard.system.runner import Completed  # noqa: E402

# pvebanner's /etc/issue (the management URL); agetty expands \4{vlan1} etc. on a real host
BANNER = """\

------------------------------------------------------------------------------

Welcome to the Proxmox Virtual Environment. Please use your web browser to
configure this server - connect to:

  https://192.0.2.10:8006/

------------------------------------------------------------------------------

"""
NOW = time.mktime((2026, 11, 29, 19, 42, 0, 0, 0, -1))
GOOD_SINCE = time.mktime((2026, 11, 20, 8, 14, 0, 0, 0, -1))


class Quiet:
    """A Runner that runs nothing: no getty or terminal of this machine is signalled."""

    def run(self, argv: object, *, timeout: float | None = None) -> Completed:
        return Completed(0, "", "")


class Frozen:
    """The capture's moment: a clock that does not move."""

    def now(self) -> float:
        return NOW

    def sleep(self, seconds: float) -> None:
        pass


def main() -> int:
    os.environ["TZ"] = "UTC"
    time.tzset()
    with tempfile.TemporaryDirectory() as tmp:
        root = Root(Path(tmp))
        (Path(tmp) / "etc/network").mkdir(parents=True)
        (Path(tmp) / "etc/network/interfaces").write_bytes(
            (REPO / "examples/incident.interfaces").read_bytes()
        )
        result = lint_host(root, Settings())
        facts = Facts(
            config=collect.config_verdicts(result, root),
            probes=(
                Probe("bond bond0 members", "fail", "no member up"),
                Probe("address 192.0.2.10/24 on vlan1", "pass"),
                Probe("default route via 192.0.2.1", "pass", "dev vlan1"),
                Probe("gateway 192.0.2.1 reachable", "fail", "no ARP or ICMP reply"),
            ),
            bonds=(BondState("bond0", (), ("enp1s0", "enx60a4b758ba5b")),),
            version=14,
            known_good=12,
            known_good_since=GOOD_SINCE,
        )
        Console(root, Quiet(), clock=Frozen(), signal_host=False).publish(facts)
        banner = Path(tmp) / "issue"
        banner.write_text(BANNER)
        show = f"agetty --show-issue --issue-file {banner}:{root.path(ISSUE)}"
        shown = subprocess.run(
            ["script", "-qc", show, "/dev/null"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.replace("\r\n", "\n")
    lines = (shown.rstrip("\n") + "\n\npve login: ").split("\n")
    lines = ([""] * 25 + lines)[-25:]  # the screen's last 25 rows
    print("+" + "-" * 80 + "+")
    for line in lines:
        assert len(line) <= 80, line
        print("|" + line.ljust(80) + "|")
    print("+" + "-" * 80 + "+")
    return 0


if __name__ == "__main__":
    sys.exit(main())
