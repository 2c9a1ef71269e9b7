"""The ifupdown2 oracle, started once per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import unavailable
from tests.differential.harness import Oracle, available


@pytest.fixture(scope="session")
def oracle() -> Iterator[Oracle]:
    reason = available()
    if reason:
        unavailable(reason)
    proc = Oracle()
    yield proc
    proc.close()
