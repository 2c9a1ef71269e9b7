"""Every registered rule code has its own test file here, named after its code and name, with
at least a test that it fires on its line, one that a near-miss stays clean and, for a fixable
rule, one of its fix. A new rule without tests, or a renamed rule whose tests were left behind
under the old name, fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ifguard.lint.rules import RULES, Rule

HERE = Path(__file__).parent


def file_name(rule: Rule) -> str:
    """`IFG402 gateway-outside-subnet` -> `test_ifg402_gateway_outside_subnet.py`."""
    return f"test_{rule.code.lower()}_{rule.name.replace('-', '_')}.py"


def _tests_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    return [
        n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test")
    ]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_its_own_test_file(rule: Rule) -> None:
    path = HERE / file_name(rule)
    assert path.is_file(), f"{rule.code} {rule.name}: add {path.relative_to(HERE.parents[2])}"
    names = _tests_in(path)
    assert any("fires" in n for n in names), f"{path.name}: no test_..._fires_... test"
    assert any("near_miss" in n or "clean" in n for n in names), (
        f"{path.name}: no near-miss test (test_near_miss_stays_clean)"
    )
    if rule.fixable:
        assert any("fix" in n for n in names), f"{path.name}: {rule.code} is fixable: test the fix"
    assert f'CODE = "{rule.code}"' in path.read_text(), f"{path.name}: CODE is not {rule.code}"


def test_no_test_file_for_a_code_that_is_not_registered() -> None:
    expected = {file_name(r) for r in RULES}
    found = {p.name for p in HERE.glob("test_ifg*.py")}
    assert found <= expected, (
        f"rule test files without a registered rule: {sorted(found - expected)}"
    )
