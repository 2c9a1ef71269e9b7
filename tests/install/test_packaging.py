"""What the package ships for admins: every user document and none of the developers'
(architecture, lab), and the shipped documents speak to admins (no references to the project's
issue tracker, to files outside the repository, or to its developers)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEVELOPER_DOCS = {"architecture.md", "lab.md", "vmlab.md"}


def _shipped() -> set[str]:
    lines = (REPO / "debian/ifguard.install").read_text().splitlines()
    return {
        Path(line.split()[0]).name
        for line in lines
        if line.startswith("docs/") and line.split()[1] == "usr/share/doc/ifguard/docs/"
    }


def test_every_user_document_and_no_developer_document_is_shipped() -> None:
    docs = {p.name for p in (REPO / "docs").glob("*.md")}
    assert _shipped() == docs - DEVELOPER_DOCS
    assert "docs" not in (REPO / "debian/ifguard.docs").read_text().split()


def test_shipped_documents_speak_to_admins() -> None:
    internal = re.compile(r"\bissue \d+\b|\.\./shared|\bengineers?\b|\(#\d+\)", re.I)
    for name in [*sorted(_shipped()), "../README.md"]:
        text = (REPO / "docs" / name).read_text()
        found = [
            f"{name}:{n}: {line.strip()}"
            for n, line in enumerate(text.splitlines(), 1)
            if internal.search(line) and "ifupdown2 issue" not in line
        ]
        assert found == [], found
