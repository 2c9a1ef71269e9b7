"""The ifupdown2 oracle, started once per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import unavailable
from tests.differential.harness import Oracle, available


@pytest.fixture(scope="session")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oracle]:
    reason = available()
    if reason:
        unavailable(reason)
    proc = Oracle()
    try:  # a chroot needs root or an unprivileged user namespace
        proc.ask(tmp_path_factory.mktemp("oracle-probe"))
    except RuntimeError as exc:
        proc.close()
        unavailable(f"ifupdown2's parser cannot run in a chroot here: {exc}")
    yield proc
    proc.close()
