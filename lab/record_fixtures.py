#!/usr/bin/env python3
"""Capture the runtime readers' inputs from a running lab into tests/fixtures/runtime/:
raw rtnetlink messages (hex), the ovs-vsctl JSON snapshot, ``ovs-appctl bond/show`` and
``lacp/show`` — once healthy, once with the switch port of enp1s0 down.

    python3 lab/ifguard_lab.py up && python3 lab/record_fixtures.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from lab.ifguard_lab import Lab

OUT = Path(__file__).resolve().parents[1] / "tests/fixtures/runtime"
RECORD = (
    "import json; from ifguard.network.readers.netlink import PyrouteSource, record; "
    "print(json.dumps(record(PyrouteSource())))"
)


def capture(lab: Lab, name: str) -> None:
    d = OUT / name
    d.mkdir(parents=True, exist_ok=True)
    nl = lab.host([sys.executable, "-c", RECORD], check=True).stdout
    (d / "netlink.json").write_text(json.dumps(json.loads(nl), indent=1) + "\n")
    from ifguard.network.readers.ovs import vsctl_argv

    (d / "ovs-vsctl.json").write_text(lab.host(vsctl_argv(), check=True).stdout)
    (d / "bond-show.txt").write_text(lab.host(["ovs-appctl", "bond/show"]).stdout)
    (d / "lacp-show.txt").write_text(lab.host(["ovs-appctl", "lacp/show"]).stdout)


def main() -> None:
    lab = Lab()
    capture(lab, "lab-healthy")
    lab.switch(["ip", "link", "set", "sw1", "down"], check=True)
    time.sleep(2)
    capture(lab, "lab-member-down")
    lab.switch(["ip", "link", "set", "sw1", "up"], check=True)
    print(f"recorded into {OUT}")


if __name__ == "__main__":
    main()
