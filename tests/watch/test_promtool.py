"""The shipped Prometheus rules pass `promtool check rules` and their unit tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

RULES = Path(__file__).resolve().parents[2] / "contrib" / "prometheus"


def _promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("promtool not installed (Debian package `prometheus`) and CI is set")
        pytest.skip("promtool not installed (Debian package `prometheus`)")
    return found


def test_rules_are_valid() -> None:
    done = subprocess.run([_promtool(), "check", "rules", str(RULES / "ifguard.rules.yml")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_rule_unit_tests_pass() -> None:
    done = subprocess.run([_promtool(), "test", "rules", str(RULES / "ifguard.rules.test.yml")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
