"""The example Alertmanager configuration is valid (amtool) and routes every ifguard alert."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import require_tool

CONTRIB = Path(__file__).resolve().parents[2] / "contrib"
CONFIG = CONTRIB / "alertmanager" / "alertmanager.yml"


def amtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [require_tool("amtool", "prometheus-alertmanager"), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_config_is_valid() -> None:
    done = amtool("check-config", str(CONFIG))
    assert done.returncode == 0 and "SUCCESS" in done.stdout, done.stdout + done.stderr


def _rules() -> list[tuple[str, str]]:
    """(alert, severity) of every rule (promtool has checked the file's structure)."""
    text = (CONTRIB / "prometheus" / "ifguard.rules.yml").read_text()
    rules = re.split(r"^\s*- alert: ", text, flags=re.M)[1:]
    out = [(r.split()[0], re.search(r"severity: (\w+)", r)) for r in rules]
    assert all(m is not None for _, m in out)
    return [(name, m.group(1)) for name, m in out if m is not None]


def test_the_rules_are_all_found() -> None:
    assert len(_rules()) == 8 and ("IfguardConfigInvalid", "critical") in _rules()
    assert ("IfguardClusterNodeLeft", "critical") in _rules()


def test_survivors_of_one_departure_share_a_group() -> None:
    """IfguardClusterNodeLeft is grouped by the node that left, not by who saw it (the
    notification count with a real Alertmanager: tests/e2e/test_alertmanager_cluster.py)."""
    done = amtool("config", "routes", f"--config.file={CONFIG}")
    assert re.search(
        r'\{alertname="IfguardClusterNodeLeft"\}\s+receiver: ifguard-oncall', done.stdout
    )
    text = CONFIG.read_text()
    route = text[text.index('alertname = "IfguardClusterNodeLeft"') :]
    assert route.split("group_by:", 1)[1].split("\n", 1)[0].strip() == "[alertname, node]"


@pytest.mark.parametrize(("alert", "severity"), _rules())
def test_every_ifguard_alert_reaches_an_ifguard_receiver(alert: str, severity: str) -> None:
    done = amtool(
        "config",
        "routes",
        "test",
        f"--config.file={CONFIG}",
        f"alertname={alert}",
        f"severity={severity}",
        "instance=pve1:9861",
    )
    assert done.returncode == 0, done.stderr
    want = "ifguard-oncall" if severity == "critical" else "ifguard-team"
    assert done.stdout.strip() == want


def test_other_alerts_keep_the_default_route() -> None:
    done = amtool("config", "routes", "test", f"--config.file={CONFIG}", "alertname=NodeDown")
    assert done.stdout.strip() == "default"
