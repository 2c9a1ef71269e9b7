"""Issue 16 in the lab: what the person at the console sees, kept current by the real
watcher. The incident's junk line appended -> the issue file and `ifguard status` name the
line and the restore command; a bond member cut -> which member, redundancy lost; fixed ->
the one-line "ok". Times are printed (run with -s) and reported in docs/console.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from .conftest import ifguard
from .test_watch_lab import stop, wait_for

pytestmark = pytest.mark.e2e

JUNK = (
    "27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast "
    "master ovs-system state UP group default qlen 1000\n"
)


def published(lab: Any) -> tuple[dict[str, Any], str]:
    run = lab.h.root / "run/ifguard"
    try:
        return json.loads((run / "summary.json").read_text()), (run / "issue").read_text()
    except (OSError, ValueError):
        return {}, ""


def level(lab: Any) -> str:
    return str(published(lab)[0].get("summary", {}).get("level", ""))


def known_good(lab: Any) -> int | None:
    hist = json.loads(ifguard(lab, "history", "--format", "json").stdout)
    good = [v["id"] for v in hist["versions"] if v["known_good"]]
    return good[0] if good else None


def test_console_follows_the_incident(lab: Any, tmp_path: Path) -> None:
    good = lab.read_interfaces()
    log = (tmp_path / "watch.log").open("w")
    watch = subprocess.Popen(
        lab.h.argv([sys.executable, "-m", "ifguard", "watch", "--no-wall", "-v"]),
        stdout=log,
        stderr=log,
    )
    try:
        wait_for(lambda: level(lab) == "ok", 60, "the first summary: ok")
        wait_for(lambda: known_good(lab) is not None, 60, "a known-good version")
        version = known_good(lab)
        ok_issue = published(lab)[1]
        assert ok_issue.count("\n") == 1 and ok_issue.startswith("ifguard: network OK since")

        # the incident: a line of `ip` output appended to the file
        lab.write_interfaces(good + JUNK)
        t0 = time.monotonic()
        line = len(good.splitlines()) + 1
        wait_for(lambda: "IFG101" in published(lab)[1], 10, "the junk line on the console")
        seen = time.monotonic() - t0
        issue = published(lab)[1]
        assert f"/etc/network/interfaces:{line}: IFG101" in issue
        assert "> 27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP>" in issue
        assert f"    ifguard restore {version}\n" in issue
        t1 = time.monotonic()
        status = ifguard(lab, "status")
        status_s = time.monotonic() - t1
        assert status.returncode == 1, status.stderr
        assert f"interfaces:{line}: IFG101" in status.stdout
        assert f"ifguard restore {version}" in status.stdout
        assert "(published by ifguard watch, pid" in status.stdout
        lab.write_interfaces(good)
        fixed = wait_for(lambda: level(lab) == "ok", 10, "back to ok")
        assert published(lab)[1].count("\n") == 1

        # a bond member cut at the switch
        lab.switch(["ip", "link", "set", "sw1", "down"], check=True)
        cut = wait_for(lambda: "redundancy lost" in published(lab)[1], 30, "member down")
        issue = published(lab)[1]
        assert "NETWORK DEGRADED" in issue
        assert "bond bond0: member enp1s0 down, redundancy lost" in issue
        assert ifguard(lab, "status").returncode == 1
        lab.switch(["ip", "link", "set", "sw1", "up"], check=True)
        back = wait_for(lambda: level(lab) == "ok", 60, "member back, ok")
        print(
            f"\n[console e2e] junk line -> issue file {seen:.2f} s; `ifguard status` "
            f"{status_s:.2f} s; fixed -> ok {fixed:.2f} s; member cut -> issue {cut:.2f} s; "
            f"member back -> ok {back:.2f} s"
        )
        assert seen < 1.0, f"the console showed the junk line after {seen:.2f} s"
    finally:
        stop(watch)
        log.close()
    print((tmp_path / "watch.log").read_text()[-2000:])
    # stopped: nobody keeps the text current, so the console shows none (the link dangles)
    assert not (lab.h.root / "run/ifguard/issue").exists()
    kept = json.loads((lab.h.root / "run/ifguard/summary.json").read_text())
    assert kept["summary"]["level"] == "ok"  # kept for "since" on a restart
