"""The shipped Prometheus rules pass `promtool check rules` and their unit tests."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import require_tool

RULES = Path(__file__).resolve().parents[2] / "contrib" / "prometheus"


def _promtool() -> str:
    return require_tool("promtool", "prometheus")


@pytest.mark.slow
def test_rules_are_valid() -> None:
    done = subprocess.run(
        [_promtool(), "check", "rules", str(RULES / "ifguard.rules.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_rule_unit_tests_pass() -> None:
    done = subprocess.run(
        [_promtool(), "test", "rules", str(RULES / "ifguard.rules.test.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
