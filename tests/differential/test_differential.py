"""ifguard's reading of real files next to ifupdown2's own parser (Debian 12, 3.0.0).

Every file of the shared corpus, the examples and every rule's documented Example and Use
instead is staged as /etc/network/interfaces of an empty tree and read by both. A file they
read differently must get a diagnostic (lint says so); an identical reading must not need
one. The verdicts here are for ifupdown2 (``--dialect ifupdown2``): classic ifupdown and
ifupdown-ng files in the corpus are read as Proxmox would read them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from ifguard.config.parse import Kind
from ifguard.lint.rules import RULES
from ifguard.lint.rules.base import code_block, section
from tests.conftest import REPO, corpus_dir
from tests.differential.generate import EXTRA, EXTRA_TEXT, interfaces_file
from tests.differential.harness import (
    MAIN,
    Oracle,
    compare,
    errors,
    lint_tree,
    named,
    ours,
    stage,
)

_CORPUS = corpus_dir()


def _files() -> list[tuple[str, bytes]]:
    found: list[tuple[str, bytes]] = []
    if _CORPUS:
        found += [(f"{p.parent.name}/{p.name}", p.read_bytes()) for p in _CORPUS.glob("*/*")]
    found += [(f"examples/{p.name}", p.read_bytes()) for p in REPO.glob("examples/*.interfaces")]
    for r in RULES:
        for title in ("Example", "Use instead"):
            text = code_block(section(r.doc, title))
            if text:
                found.append((f"{r.code} {title}", text.encode()))
    return sorted(found)


FILES = _files()


# Disagreements found by this harness that lint does not name yet (strict: a fix turns the
# xfail into a failure, so the entry must then be removed). Fixed so far: `rename`,
# `source-directory` (IFG206) and `inherits` (IFG203) under ifupdown2.
PENDING: dict[str, str] = {}


def _cases() -> list[object]:
    return [
        pytest.param(
            name,
            data,
            id=name,
            marks=[pytest.mark.xfail(reason=PENDING[name], strict=True)] if name in PENDING else [],
        )
        for name, data in FILES
    ]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "data"), _cases())
def test_a_reading_that_differs_from_ifupdown2_is_named(
    name: str, data: bytes, oracle: Oracle, tmp_path: Path
) -> None:
    root = stage(tmp_path, {MAIN: data})
    result = lint_tree(root)
    if any(line.kind is Kind.TEMPLATE for d in result.loaded.documents for line in d.lines):
        pytest.skip("a Mako template: ifupdown2 renders it by running it, the harness does not")
    differences = compare(ours(result, root), oracle.ask(root))
    if differences:
        assert named(result), f"{name}: read differently, lint says nothing: {differences}"


@pytest.mark.slow
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=interfaces_file())
def test_a_generated_file_read_differently_gets_an_error(
    data: bytes, oracle: Oracle, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """CR/CRLF, backslashes, comments, non-space separators, source forms, odd digits,
    look-alike and invisible characters, long names, aliases, ranges: wherever ifupdown2's
    reading differs from ifguard's, lint reports an error."""
    root = stage(tmp_path_factory.mktemp("generated"), {MAIN: data, EXTRA: EXTRA_TEXT})
    result = lint_tree(root)
    differences = compare(ours(result, root), oracle.ask(root))
    if differences:
        assert errors(result), f"{data!r}: read differently, no error: {differences}"
