"""Shared fixtures: the real-world corpus and small helpers to lint text."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

from ifguard.config.diagnostic import Diagnostic
from ifguard.config.source import load_text
from ifguard.lint.engine import lint_loaded
from ifguard.lint.settings import Settings

REPO = Path(__file__).resolve().parents[1]


E2E = REPO / "tests" / "e2e"


@pytest.fixture
def public_tmp() -> Iterator[Path]:
    """A directory an unprivileged user can enter (pytest's tmp_path is private to root)."""
    path = Path(tempfile.mkdtemp(prefix="ifguard-public-", dir="/tmp"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path)


def ifguard_as_nobody(*args: str) -> subprocess.CompletedProcess[str]:
    """``ifguard ARGS`` from this tree's sources, run by the system python3 as nobody (uid and
    gid 65534, no other groups) from /: what an unprivileged user gets. Needs root."""
    return subprocess.run(
        ["/usr/bin/python3", "-m", "ifguard", *args],
        capture_output=True,
        text=True,
        user=65534,
        group=65534,
        extra_groups=[],
        cwd="/",
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO / "src")},
        check=False,
    )


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--test-order",
        choices=("file", "reverse", "random"),
        default="file",
        help="run the collected tests in file order (default), reversed, or shuffled: every "
        "test must pass in any order (each fixture makes what it needs)",
    )
    parser.addoption(
        "--test-order-seed", type=int, default=None, help="the seed of --test-order=random"
    )


def _seed(config: pytest.Config) -> int:
    seed = config.getoption("--test-order-seed")
    if seed is None:
        seed = config.stash.setdefault(_SEED, random.SystemRandom().randrange(1 << 31))
    return int(seed)


_SEED = pytest.StashKey[int]()


def pytest_report_header(config: pytest.Config) -> str | None:
    order = config.getoption("--test-order")
    if order == "random":
        return f"test order: random (--test-order-seed {_seed(config)} repeats it)"
    return None if order == "file" else f"test order: {order}"


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    header = pytest_report_header(config)  # -q hides the header: repeat it at the end
    if header:
        terminalreporter.write_line(header)


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test under tests/e2e is an e2e test, marked or not: ``-m "not e2e"`` never runs a
    lab test by accident. (``slow`` is set by hand on the unit tests that take 0.1 s or more.)
    Then ``--test-order``: reversed or shuffled, to show no test depends on another's run."""
    for item in items:
        if item.path.is_relative_to(E2E) and item.get_closest_marker("e2e") is None:
            item.add_marker(pytest.mark.e2e)
    order = config.getoption("--test-order")
    if order == "reverse":
        items.reverse()
    elif order == "random":
        random.Random(_seed(config)).shuffle(items)


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
    text: str | bytes,
    *,
    dialect: str | None = None,
    path: str = "interfaces",
    nics: frozenset[str] | None = None,
) -> list[Diagnostic]:
    """Every diagnostic of ``text`` linted as one file with default settings (``nics``: the
    host's NIC names, as ``--root`` reads them from /sys/class/net)."""
    loaded = load_text(text, path)
    return list(lint_loaded(loaded, Settings(), dialect=dialect, nics=nics).diagnostics)


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


def wait_closed(
    status: Callable[[], dict[str, Any]],
    *,
    limit: float,
    interval: float = 0.2,
    cli_gone: Callable[[dict[str, Any]], bool] | None = None,
) -> dict[str, Any]:
    """Poll ``status`` (the shape of ``ifguard status --format json``: pending, guardian_alive,
    transaction) until no transaction is open, and return the last status.

    With ``cli_gone`` (is the transaction's ``ifguard apply`` process gone?), an ARMED record
    whose guardian is not running and whose CLI died before starting it also ends the wait:
    nothing was written, nobody will finish it, and the next apply cleans it up. Raises
    AssertionError (with the last status) after ``limit`` seconds."""
    end = time.monotonic() + limit
    while True:
        data = status()
        if not data["pending"]:
            return data
        txn = data["transaction"]
        if (
            cli_gone is not None
            and txn["state"] == "armed"
            and not data["guardian_alive"]
            and cli_gone(txn)
        ):
            return data
        if time.monotonic() > end:
            raise AssertionError(f"transaction still pending after {limit} s: {data}")
        time.sleep(interval)
