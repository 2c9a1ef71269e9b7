"""Every rule documents itself, and its documented examples behave as documented."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from ifguard.lint.engine import host_settings, inventory, lint_host
from ifguard.lint.rules import RULES, Rule
from ifguard.lint.rules.base import code_block, section
from ifguard.lint.settings import Settings
from ifguard.system.root import Root

SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead")


def test_codes_and_names_are_unique_and_well_formed() -> None:
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    for r in RULES:
        assert re.fullmatch(r"IFG\d{3}", r.code), r.code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.name), r.name


def test_registry_is_grouped_by_family() -> None:
    families = [r.code[3] for r in RULES]
    assert families == sorted(families)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.code}-{r.name}")
def test_docstring_has_the_four_sections(rule: Rule) -> None:
    for title in SECTIONS:
        assert section(rule.doc, title).strip(), f"{rule.code}: missing '## {title}'"
    assert code_block(section(rule.doc, "Example")), f"{rule.code}: Example has no code block"
    assert code_block(section(rule.doc, "Use instead")), f"{rule.code}: no Use-instead block"


def _example(rule: Rule, title: str) -> str:
    block = code_block(section(rule.doc, title))
    # Docstrings spell control characters as escapes (\r, \x1b, \xe9) so they stay readable.
    return block.encode("latin-1", "backslashreplace").decode("unicode_escape")


_NICS = re.compile(r"#\s*this host's NICs[^:]*:(.*)")


def _nics(text: str) -> frozenset[str] | None:
    """An example about the host's NICs says which it has: `# this host's NICs (...): eno1`."""
    match = _NICS.search(text)
    return frozenset(match.group(1).split()) if match else None


def _lint_as_host_file(tmp: Path, text: str, rule: Rule) -> list[str]:
    """Lint ``text`` as /etc/network/interfaces of a fresh Debian-like root under ``tmp``,
    the way `ifguard lint --root` does (its NICs in sys/class/net when the example says)."""
    net = tmp / "etc" / "network"
    (net / "interfaces.d").mkdir(parents=True, exist_ok=True)
    data = text.encode("latin-1") if rule.code == "IFG104" else text.encode()
    (net / "interfaces").write_bytes(data)
    for nic in _nics(text) or ():
        (tmp / "sys" / "class" / "net" / nic).mkdir(parents=True)
    root = Root(tmp)
    result = lint_host(root, host_settings(root), nics=inventory(root))
    return [d.code for d in result.diagnostics]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.code}-{r.name}")
def test_example_fires_and_use_instead_does_not(rule: Rule, tmp_path: Path) -> None:
    example = _example(rule, "Example")
    assert rule.code in _lint_as_host_file(tmp_path / "a", example, rule), (
        f"{rule.code} does not fire on its own Example:\n{example}"
    )
    fixed = _example(rule, "Use instead")
    assert rule.code not in _lint_as_host_file(tmp_path / "b", fixed, rule), (
        f"{rule.code} fires on its Use-instead:\n{fixed}"
    )


@pytest.mark.slow
def test_explain_prints_the_docstring() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "ifguard", "explain", "IFG101"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "pasted-command-output" in out and "## Why is this bad?" in out


@pytest.mark.slow
def test_explain_by_name_and_unknown_code() -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "ifguard", "explain", "crlf-line-ending"],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0 and "IFG106" in ok.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "ifguard", "explain", "IFG999"], capture_output=True, text=True
    )
    assert bad.returncode == 2 and bad.stderr.startswith("ifguard: error: unknown rule")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.code}-{r.name}")
def test_explain_prints_every_rules_docstring(
    rule: Rule, capsys: pytest.CaptureFixture[str]
) -> None:
    from ifguard.cli import main

    assert main(["explain", rule.code]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{rule.code} {rule.name}\n")
    assert rule.doc.strip() in out
    for title in SECTIONS:
        assert f"## {title}" in out


# The source rules (IFG201/IFG202/IFG208) need files on disk to point at: covered by the
# host-file test.
@pytest.mark.parametrize(
    "rule",
    [r for r in RULES if r.code not in {"IFG201", "IFG202", "IFG208"}],
    ids=lambda r: f"{r.code}-{r.name}",
)
def test_examples_alone_fire_their_rule_when_linted_as_a_single_file(rule: Rule) -> None:
    """The Example block linted by itself (not as a host file with sources): the rule still
    fires, so `ifguard explain` never shows an example that `ifguard lint FILE` accepts."""
    from ifguard.config.source import load_text
    from ifguard.lint.engine import lint_loaded

    example = _example(rule, "Example")
    data = example.encode("latin-1") if rule.code == "IFG104" else example.encode()
    loaded = load_text(data, "interfaces")
    codes = [d.code for d in lint_loaded(loaded, Settings(), nics=_nics(example)).diagnostics]
    assert rule.code in codes, example
