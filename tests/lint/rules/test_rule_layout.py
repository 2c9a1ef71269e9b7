"""One place per rule: IFG402 gateway-outside-subnet is the one ``@rule`` in
``src/ifguard/lint/rules/ifg402_gateway_outside_subnet.py``, found from its code without grep.

Helpers two rules share live in ``helpers.py`` (beside ``base.py`` and ``fixes.py``); a rule
module never imports another rule module, so moving or deleting one rule touches no other.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import ifguard.lint.rules as package
from ifguard.lint.rules import RULES, Rule

RULES_DIR = Path(package.__file__).parent
SUPPORT = {"__init__", "base", "fixes", "helpers"}  # the modules that are not one rule


def module_of(rule: Rule) -> str:
    """The module a rule must live in, from its code and name alone."""
    return f"{rule.code.lower()}_{rule.name.replace('-', '_')}"


def test_each_rule_lives_in_the_module_named_after_it() -> None:
    misplaced = [
        f"{r.code} {r.name}: in {r.check.__module__}, expected ifguard.lint.rules.{module_of(r)}"
        for r in RULES
        if r.check.__module__ != f"ifguard.lint.rules.{module_of(r)}"
    ]
    assert misplaced == []


def test_every_module_is_one_registered_rule_or_a_support_module() -> None:
    expected = {module_of(r) for r in RULES}
    found = {p.stem for p in RULES_DIR.glob("*.py")} - SUPPORT
    assert sorted(found - expected) == [], "modules with no registered rule"
    assert sorted(expected - found) == [], "registered rules with no module"
    for stem in sorted(found):
        module = importlib.import_module(f"ifguard.lint.rules.{stem}")
        defined = [
            v
            for v in vars(module).values()
            if isinstance(v, Rule) and v.check.__module__ == module.__name__
        ]
        assert len(defined) == 1, f"{stem}.py defines {len(defined)} rules, not one"


def rule_modules_imported(path: Path) -> list[tuple[str, int]]:
    """(rule module, line) for every import of a rule module in ``path``."""
    rules = {p.stem for p in RULES_DIR.glob("*.py")} - SUPPORT
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "ifguard.lint.rules":
                found += [(a.name, node.lineno) for a in node.names if a.name in rules]
            elif node.module.startswith("ifguard.lint.rules."):
                name = node.module.rsplit(".", 1)[1]
                if name in rules:
                    found.append((name, node.lineno))
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            found += [(node.module or a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.Import):
            for a in node.names:
                name = a.name.rsplit(".", 1)[-1]
                if a.name.startswith("ifguard.lint.rules.") and name in rules:
                    found.append((name, node.lineno))
    return found


@pytest.mark.slow
def test_no_rule_module_imports_another_rule_module() -> None:
    bad = [
        f"{path.name}:{line} imports {name}"
        for path in sorted(RULES_DIR.glob("*.py"))
        if path.stem != "__init__"  # the registry imports every rule module
        for name, line in rule_modules_imported(path)
    ]
    assert bad == []


def test_the_layout_check_sees_an_import_between_rule_modules(tmp_path: Path) -> None:
    sample = tmp_path / "ifg999_sample.py"
    sample.write_text(
        "from ifguard.lint.rules.ifg401_invalid_address import invalid_address\n"
        "from ifguard.lint.rules import ifg402_gateway_outside_subnet\n"
        "from ifguard.lint.rules.helpers import addresses\n"
        "from . import base\n"
    )
    assert rule_modules_imported(sample) == [
        ("ifg401_invalid_address", 1),
        ("ifg402_gateway_outside_subnet", 2),
        ("base", 4),
    ]
