"""The fixes the per-rule tests assert (``helpers.fixed``: the real fixer, in-process) are the
fixes an admin gets: `ifguard lint FILE --fix --select CODE` on each fixable rule's documented
Example writes exactly that text, and linting the result with the CLI finds no more of it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ifguard.lint.rules import RULES, Rule
from ifguard.lint.rules.base import code_block, section
from tests.lint.rules.helpers import fixed

FIXABLE = [r for r in RULES if r.fixable]


def _example(rule: Rule) -> str:
    block = code_block(section(rule.doc, "Example"))
    return block.encode("latin-1", "backslashreplace").decode("unicode_escape")


def _ifguard(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ifguard", "lint", *args], capture_output=True, text=True
    )


def test_some_rules_are_fixable() -> None:
    assert len(FIXABLE) >= 5


@pytest.mark.slow
@pytest.mark.parametrize("rule", FIXABLE, ids=lambda r: r.code)
def test_cli_fix_writes_what_the_rule_tests_expect(rule: Rule, tmp_path: Path) -> None:
    example = _example(rule)
    path = tmp_path / "interfaces"
    path.write_text(example)
    expected = fixed(rule.code, example)
    assert expected != example
    proc = _ifguard(str(path), "--fix", "--select", rule.code)
    assert proc.returncode in (0, 1), proc.stderr
    assert path.read_text() == expected
    again = _ifguard(str(path), "--select", rule.code, "--format", "json")
    assert again.returncode == 0 and rule.code not in again.stdout, again.stdout
