"""Commands shown in README.md and docs/*.md, as a reader would copy them.

A command is a line of a fenced code block (``$ `` prompts stripped, a trailing ``# comment``
dropped) that starts with ``ifguard`` or ``python3 lab/ifguard_lab.py``. ``console`` blocks
also carry the output printed under a ``$ `` line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import REPO

DOCS = (REPO / "README.md", *sorted((REPO / "docs").glob("*.md")))
# words a reader must replace (FILE, DIR, CODES, PATH ...), alternatives and ellipses
PLACEHOLDER = re.compile(r"\b[A-Z]{2,}\b|[|…<>\[\]]|\.\.\.")


@dataclass
class Command:
    doc: str  # README.md:12
    text: str
    output: list[str] = field(default_factory=list)  # documented output (console blocks)


def _strip_comment(line: str) -> str:
    # a comment starts at "#" after whitespace, outside quotes (good enough for the docs)
    quote = ""
    for i, c in enumerate(line):
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"`":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip()
    return line.rstrip()


def commands(paths: tuple[Path, ...] = DOCS) -> list[Command]:
    found: list[Command] = []
    for path in paths:
        fence = ""
        last: Command | None = None
        for number, raw in enumerate(path.read_text().splitlines(), 1):
            stripped = raw.strip()
            if stripped.startswith("```"):
                fence = "" if fence else (stripped[3:].strip() or "text")
                last = None
                continue
            if not fence:
                continue
            prompt = stripped.startswith("$ ")
            line = _strip_comment(stripped[2:] if prompt else stripped)
            line = re.split(r"\s{3,}", line)[0]  # an explanation in a second column
            if line.startswith(("ifguard ", "python3 lab/ifguard_lab.py ")) or line == "ifguard":
                last = Command(f"{path.relative_to(REPO)}:{number}", line)
                found.append(last)
            elif fence == "console" and last is not None and stripped and not prompt:
                last.output.append(stripped)
    return found


def runnable(command: Command, safe: tuple[str, ...]) -> bool:
    """Concrete (no placeholder) and one of the ``safe`` subcommands."""
    words = command.text.split()
    files = [w for w in words[2:] if not w.startswith("-") and ("/" in w or "." in w)]
    return (
        words[0] == "ifguard"
        and len(words) > 1
        and words[1] in safe
        and not PLACEHOLDER.search(command.text)
        and "--fix" not in words
        and all((REPO / f).exists() for f in files)  # not an example name (/mnt/rescue)
    )
