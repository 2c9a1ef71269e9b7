"""The VM tests' measured figures, listed at the end of the run by conftest.py's terminal
summary (one list, whichever name the test modules and the conftest were imported under)."""

from __future__ import annotations

FIGURES: list[str] = []


def figure(name: str, value: str) -> None:
    """A measured figure: listed at the end of the run (pytest's terminal summary)."""
    FIGURES.append(f"{name}: {value}")
