"""ConfigMonitor: one alert when the config breaks, one when it is fixed."""

from __future__ import annotations

from pathlib import Path

from ifguard.lint.engine import lint_host
from ifguard.lint.settings import Settings
from ifguard.system.root import Root
from ifguard.watch.config import ConfigMonitor

GOOD = b"auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet dhcp\n"
JUNK = (
    b"27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast"
    b" master ovs-system state UP group default qlen 1000\n"
)


def test_break_then_fix(tmp_path: Path) -> None:
    root = Root(tmp_path)
    conf = root.path("/etc/network/interfaces")
    conf.parent.mkdir(parents=True)
    conf.write_bytes(GOOD)
    monitor = ConfigMonitor(lambda: lint_host(root, Settings()), root)

    verdict, alerts = monitor.check()
    # the first check states what is true now; the alerter sends it only when it differs
    # from what the receiver was last told (nothing, on a first start: tests/watch/test_resume)
    assert verdict.errors == 0 and [a.state for a in alerts] == ["resolved"]
    assert conf in verdict.files
    assert verdict.contents == {"/etc/network/interfaces": GOOD}

    conf.write_bytes(GOOD + JUNK)
    verdict, alerts = monitor.check()
    assert verdict.errors >= 1
    assert [a.state for a in alerts] == ["firing"]
    assert "/etc/network/interfaces:6:" in alerts[0].body
    assert "IFG1" in alerts[0].body

    _, again = monitor.check()
    assert again == []

    conf.write_bytes(GOOD)
    _, alerts = monitor.check()
    assert [a.state for a in alerts] == ["resolved"]
