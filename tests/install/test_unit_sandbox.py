"""The watcher unit's sandbox allows what the watcher opens: every address family the code
uses (the gateway ARP probe's AF_PACKET, netlink, ...) is in RestrictAddressFamilies=, else
the probe gets EAFNOSUPPORT under systemd and a healthy host reads as broken."""

from __future__ import annotations

import re
from pathlib import Path

from ifguard.install.files import unit_text

SRC = Path(__file__).resolve().parents[2] / "src/ifguard"


def _setting(unit: str, key: str) -> list[str]:
    values = [line.split("=", 1)[1] for line in unit.splitlines() if line.startswith(f"{key}=")]
    return " ".join(values).split()


def test_every_address_family_the_code_opens_is_allowed() -> None:
    used = {
        m
        for path in SRC.rglob("*.py")
        for m in re.findall(r"\bsocket\.(AF_[A-Z0-9]+)", path.read_text())
    }
    assert "AF_PACKET" in used and "AF_NETLINK" in used  # the scan finds the probes
    allowed = set(
        _setting(unit_text("ifguard-watch.service", "/usr/bin/ifguard"), "RestrictAddressFamilies")
    )
    assert used <= allowed, used - allowed


def test_the_watcher_unit_is_a_plain_watch_and_never_writes_etc() -> None:
    unit = unit_text("ifguard-watch.service", "/usr/bin/ifguard", man=True)
    assert _setting(unit, "ExecStart") == ["/usr/bin/ifguard", "watch"]
    assert _setting(unit, "ProtectSystem") == ["full"]  # /etc read-only: self-heal goes
    assert not any(p.startswith("/etc") for p in _setting(unit, "ReadWritePaths"))  # elsewhere
    assert _setting(unit, "Documentation")[0] == "man:ifguard-watch(1)"
