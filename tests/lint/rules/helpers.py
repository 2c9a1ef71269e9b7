"""What the per-rule tests share: lint a text the way ``ifguard lint FILE`` does, pick one
rule's diagnostics by position, apply one rule's fixes with the real fixer.

One test file per rule code lives beside this module:
``test_<code>_<name>.py`` (``test_ifg402_gateway_outside_subnet.py``); the rule's code is in
``src/ifguard/lint/rules/`` and its documentation is its docstring (``ifguard explain CODE``).
"""

from __future__ import annotations

from pathlib import Path

from ifguard.config.diagnostic import Diagnostic
from ifguard.config.source import load_text
from ifguard.lint import engine
from ifguard.lint.engine import lint_loaded
from ifguard.lint.fixer import fix
from ifguard.lint.settings import Settings
from ifguard.system.root import Root
from tests.conftest import lint_text

Position = tuple[int, int, int, int]  # line, column, end_line, end_column (1-based, end exclusive)


def lint(
    text: str | bytes,
    *,
    dialect: str | None = None,
    nics: frozenset[str] | None = None,
) -> list[Diagnostic]:
    """Every diagnostic of ``text`` linted as a single file (default settings)."""
    return lint_text(text, dialect=dialect, nics=nics)


def only(code: str, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.code == code]


def hits(
    code: str,
    text: str | bytes,
    *,
    dialect: str | None = None,
    nics: frozenset[str] | None = None,
) -> list[Position]:
    """Where ``code`` fires in ``text``: (line, column, end_line, end_column) of each finding."""
    return [position(d) for d in only(code, lint(text, dialect=dialect, nics=nics))]


def messages(code: str, text: str | bytes, *, dialect: str | None = None) -> list[str]:
    return [d.message for d in only(code, lint(text, dialect=dialect))]


def codes(
    text: str | bytes, *, dialect: str | None = None, nics: frozenset[str] | None = None
) -> list[str]:
    """The codes of every diagnostic of ``text``, in file order."""
    return [d.code for d in lint(text, dialect=dialect, nics=nics)]


def fixed(code: str, text: str | bytes, *, unsafe: bool = False) -> str:
    """``text`` after applying the fixes of ``code`` only (what ``--fix --select CODE`` does)."""
    loaded = load_text(text, "interfaces")
    diags = [d for d in lint_loaded(loaded, Settings()).diagnostics if d.code == code]
    assert any(d.fix is not None for d in diags), f"{code} offers no fix on this text"
    files = fix(loaded.documents, diags, unsafe=unsafe)
    assert len(files) == 1, files
    return files[0].text


def lint_host(root: Path, files: dict[str, str]) -> list[Diagnostic]:
    """Lint the host's own configuration (``ifguard lint --root ROOT``) after writing ``files``
    (paths relative to the root) into it."""
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
    host = Root(root)
    return list(engine.lint_host(host, Settings(), nics=engine.inventory(host)).diagnostics)


def position(d: Diagnostic) -> Position:
    return (d.line, d.column, d.end_line, d.end_column)
