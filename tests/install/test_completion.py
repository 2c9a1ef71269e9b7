"""Bash completion as an admin meets it: a real interactive bash (Debian 12's, with
bash-completion loaded) in a tmux terminal, keys typed, the screen read back. Subcommands,
options, an option's choices, file and directory names, rule codes and names for `explain`.

(Debian 12's shtab 1.5.5 expanded only the first element of each word list: `ifguard <TAB>`
went straight to `lint` and `explain <TAB>` offered nothing.)
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ifguard.cli import build_parser
from ifguard.commands.completion import bash_script
from ifguard.lint.rules import rule_keys
from tests.conftest import require_tool

BASH_COMPLETION = Path("/usr/share/bash-completion/bash_completion")


class Terminal:
    """One tmux session running bash; ``type`` sends keys, ``screen`` reads the pane."""

    def __init__(self, tmux: str, socket: str, cwd: Path) -> None:
        self.tmux, self.socket = tmux, socket
        shell = "env -i TERM=xterm HOME=/root PATH=/usr/bin:/bin bash --norc --noprofile"
        self.run("new-session", "-d", "-x", "220", "-y", "50", "-c", str(cwd), shell)

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [self.tmux, "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return done.stdout

    def type(self, *keys: str) -> None:
        self.run("send-keys", "-t", "0", *keys)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-J", "-t", "0")

    def wait_for(self, text: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not on the screen:\n{screen}")
            time.sleep(0.1)

    def fresh(self) -> None:
        """An empty command line and a clear screen."""
        self.type("C-u", "clear", "Enter")
        deadline = time.monotonic() + 5
        while self.screen().strip() not in ("$", "") and time.monotonic() < deadline:
            time.sleep(0.05)

    def line(self, typed: str, *keys: str, expect: str) -> str:
        """Type ``typed`` then ``keys`` (Tab...) on a fresh line; the screen once it shows
        ``expect``."""
        self.fresh()
        self.type("-l", typed)
        self.type(*keys)
        return self.wait_for(expect)


@pytest.fixture
def term(tmp_path: Path) -> Iterator[Terminal]:
    tmux = require_tool("tmux", "tmux")
    require_tool("bash", "bash")
    if not BASH_COMPLETION.is_file():
        pytest.skip("bash-completion not installed")
    script = tmp_path / "ifguard.bash"
    codes = [word for pair in rule_keys() for word in pair]
    script.write_text(bash_script(build_parser(), codes))
    work = tmp_path / "work"
    work.mkdir()
    (work / "interfaces.test").write_text("auto lo\n")
    (work / "textfiles").mkdir()
    t = Terminal(tmux, f"ifguard-completion-{os.getpid()}-{tmp_path.name}", work)
    try:
        t.type("-l", f"PS1='$ '; . {BASH_COMPLETION}; . {script}")
        t.type("Enter")
        t.wait_for("$ ")
        yield t
    finally:
        subprocess.run([tmux, "-L", t.socket, "kill-server"], capture_output=True, check=False)


@pytest.mark.slow
def test_subcommands_all_offered_and_a_prefix_completes(term: Terminal) -> None:
    screen = term.line("ifguard ", "Tab", "Tab", expect="uninstall")
    for command in ("lint", "explain", "watch", "status", "apply", "restore", "history"):
        assert command in screen.split(), screen
    assert "$ ifguard status " in term.line("ifguard st", "Tab", expect="status")


@pytest.mark.slow
def test_options_and_their_choices(term: Terminal) -> None:
    assert "$ ifguard lint --format " in term.line("ifguard lint --for", "Tab", expect="--format")
    screen = term.line("ifguard lint --format ", "Tab", "Tab", expect="github")
    assert {"text", "json", "sarif", "github"} <= set(screen.split()), screen
    assert "--format sarif " in term.line("ifguard lint --format s", "Tab", expect="sarif ")
    assert "--format=json" in term.line("ifguard lint --format=j", "Tab", expect="json")
    assert "--dialect ifupdown-ng " in term.line(
        "ifguard lint --dialect ifupdown-", "Tab", expect="-ng"
    )


@pytest.mark.slow
def test_file_and_directory_names(term: Terminal) -> None:
    assert "$ ifguard lint interfaces.test " in term.line(
        "ifguard lint inter", "Tab", expect="interfaces.test"
    )
    # a directory option offers directories, not the file next to it
    screen = term.line("ifguard watch --textfile-dir ", "Tab", expect="textfiles/")
    assert "interfaces.test" not in screen


def test_rule_codes_and_names_for_explain(term: Terminal) -> None:
    screen = term.line("ifguard explain IFG1", "Tab", "Tab", expect="IFG111")
    assert {"IFG101", "IFG105", "IFG110"} <= set(screen.split()), screen
    assert "explain pasted-command-output " in term.line(
        "ifguard explain pasted-c", "Tab", expect="output"
    )
