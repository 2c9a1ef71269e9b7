"""Health probes as the transaction sees them: a callable returning a ``ProbeReport``.

The transaction only needs "is it green, and what was checked"; where the checks come from
(``ifguard.network.probe`` from the runtime engineer, or the small built-in checks in
``ifguard.apply.checks``) is decided by the command that builds the callable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""


@dataclass(frozen=True)
class ProbeReport:
    checks: tuple[Check, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.ok)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in self.checks],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> ProbeReport:
        if not data:
            return cls()
        return cls(
            tuple(
                Check(str(c.get("name", "")), bool(c.get("ok")), str(c.get("detail", "")))
                for c in data.get("checks", ())
            )
        )

    def summary(self) -> str:
        if not self.checks:
            return "no probes"
        bad = self.failed
        if not bad:
            return f"{len(self.checks)} probes green"
        return f"{len(bad)}/{len(self.checks)} probes failed: " + "; ".join(
            f"{c.name} ({c.detail})" if c.detail else c.name for c in bad
        )


Prober = Callable[[], ProbeReport]


def no_probes() -> ProbeReport:
    return ProbeReport()
