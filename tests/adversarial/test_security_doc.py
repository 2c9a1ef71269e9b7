"""docs/security.md: every row of "what an attacker can and cannot do" names a test, and
each named test exists (a `*` stands for the rest of a test's name)."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

from tests.conftest import REPO

DOC = REPO / "docs/security.md"


def rows() -> list[list[str]]:
    text = DOC.read_text()
    table = text.split("## What an attacker", 1)[1].split("\n## ", 1)[0]
    lines = [ln for ln in table.splitlines() if ln.startswith("| ") and "---" not in ln]
    return [[c.strip() for c in ln.strip("|").split(" | ")] for ln in lines[1:]]


def test_every_row_names_existing_tests() -> None:
    found = rows()
    assert len(found) >= 10
    for row in found:
        refs = re.findall(r"`([^`]+)`", row[-1])
        assert refs, row
        module = None
        for ref in refs:
            path, _, name = ref.partition("::")
            if path.endswith(".py"):
                module = path
            elif ref.startswith("..."):
                name = ref
            assert module is not None, row
            candidates = [REPO / "tests/adversarial" / module, REPO / module]
            source = next((p for p in candidates if p.is_file()), None)
            assert source is not None, (module, row)
            if name:
                pattern = name.replace("...", "*")
                tests = re.findall(r"^def (test_\w+)", source.read_text(), re.M)
                assert any(fnmatch.fnmatch(t, pattern) for t in tests), (ref, row)


def test_the_doc_is_linked_from_the_architecture_page() -> None:
    assert "security.md" in (REPO / "docs/architecture.md").read_text()
    assert Path(DOC).is_file()
