"""IFG224 broken-shell-command (code: src/ifguard/lint/rules/ifg224_broken_shell_command.py; docs:
`ifguard explain IFG224`)."""

from __future__ import annotations

from ifguard.config.diagnostic import Severity
from tests.lint.rules.helpers import codes, lint, only, position

CODE = "IFG224"
HEAD = "auto eth0\niface eth0 inet manual\n"


def test_fires_on_its_line() -> None:
    text = HEAD + '    post-up echo "hello\n    post-up echo “hi”\n'
    found = only(CODE, lint(text))
    assert [(position(d), d.severity) for d in found] == [
        ((3, 5, 3, 24), Severity.ERROR),  # unbalanced quote: the command never runs
        ((4, 5, 4, 22), Severity.WARNING),  # typographic quotes reach the shell literally
    ]


def test_near_miss_stays_clean() -> None:
    """Balanced quotes, and an apostrophe inside a shell comment, are fine."""
    text = HEAD + "    post-up echo \"it's up\" > /run/eth0.state\n    post-up true # don't\n"
    assert codes(text) == []
