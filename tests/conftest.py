"""Shared fixtures: the real-world corpus and small helpers to lint text."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import pytest

from ifguard.config.diagnostic import Diagnostic
from ifguard.config.settings import Settings
from ifguard.config.source import load_text
from ifguard.lint.engine import lint_loaded

REPO = Path(__file__).resolve().parents[1]


def corpus_dir() -> Path | None:
    env = os.environ.get("IFGUARD_CORPUS")
    candidates = [Path(env)] if env else []
    candidates.append(REPO.parent / "shared" / "corpus")
    for c in candidates:
        if (c / "valid").is_dir():
            return c
    return None


@pytest.fixture(scope="session")
def corpus() -> Path:
    found = corpus_dir()
    if found is None:
        unavailable("real-world corpus not found (../shared/corpus or $IFGUARD_CORPUS)")
    return found


def lint_text(
    text: str | bytes, *, dialect: str | None = None, path: str = "interfaces"
) -> list[Diagnostic]:
    return list(lint_loaded(load_text(text, path), Settings(), dialect=dialect).diagnostics)


@pytest.fixture
def lint() -> Callable[..., list[Diagnostic]]:
    return lint_text


def unavailable(reason: str) -> NoReturn:
    """Skip for a missing prerequisite - or fail under CI (``CI`` set), where .ci/run
    installs everything the tests need, so a skip would hide a broken setup."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}, and CI is set")
    pytest.skip(reason)


def require_tool(name: str, package: str | None = None) -> str:
    """The path of a program the test drives for real (see ``unavailable``)."""
    found = shutil.which(name)
    if found is None:
        unavailable(f"{name} not installed" + (f" (Debian package `{package}`)" if package else ""))
    return found
