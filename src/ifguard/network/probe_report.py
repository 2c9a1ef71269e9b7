"""What a health probe says: one ``ProbeResult`` per check, a ``ProbeReport`` per run.

Every check ends ``pass``, ``warn`` (degraded but working: one bond member of two down),
``fail``, ``error`` (could not be run: the reason is given; never a silent pass) or ``skip``
(not applicable). Healthy means no ``fail`` and no ``error``.

Two serialised forms, both stable: ``to_dict()`` is ``ifguard probe --format json``;
``to_record()``/``from_record()`` is what transaction records and the history store
(``{"ok", "checks": [{"name", "ok", "detail"}]}``, the status folded into the detail).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class ProbeStatus(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    ERROR = "error"
    SKIP = "skip"

    @property
    def ok(self) -> bool:
        return self not in (ProbeStatus.FAIL, ProbeStatus.ERROR)


@dataclass(frozen=True)
class ProbeResult:
    name: str
    status: ProbeStatus
    detail: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status.ok

    @property
    def note(self) -> str:
        """The detail with the status in front unless it is a plain pass or fail."""
        if self.status in (ProbeStatus.PASS, ProbeStatus.FAIL):
            return self.detail
        return f"{self.status}: {self.detail}" if self.detail else str(self.status)


@dataclass(frozen=True)
class ProbeReport:
    results: tuple[ProbeResult, ...] = ()

    @property
    def healthy(self) -> bool:
        return all(r.ok for r in self.results)

    @property
    def failed(self) -> tuple[ProbeResult, ...]:
        return tuple(r for r in self.results if not r.ok)

    def summary(self) -> str:
        if not self.results:
            return "no probes"
        bad = self.failed
        if not bad:
            return f"{len(self.results)} probes green"
        return f"{len(bad)}/{len(self.results)} probes failed: " + "; ".join(
            f"{r.name} ({r.note})" if r.note else r.name for r in bad
        )

    def to_dict(self) -> dict[str, object]:
        return {"healthy": self.healthy, "probes": [asdict(r) for r in self.results]}

    def to_record(self) -> dict[str, Any]:
        return {
            "ok": self.healthy,
            "checks": [{"name": r.name, "ok": r.ok, "detail": r.note} for r in self.results],
        }

    @classmethod
    def from_record(cls, data: Mapping[str, Any] | None) -> ProbeReport:
        if not data:
            return cls()
        return cls(tuple(_from_check(c) for c in data.get("checks", ())))


def _from_check(check: Mapping[str, Any]) -> ProbeResult:
    ok, detail = bool(check.get("ok")), str(check.get("detail", ""))
    head, sep, rest = detail.partition(": ")
    for status in (ProbeStatus.WARN, ProbeStatus.ERROR, ProbeStatus.SKIP):
        if (detail == status or (sep and head == status)) and status.ok == ok:
            return ProbeResult(str(check.get("name", "")), status, rest if sep else "")
    status = ProbeStatus.PASS if ok else ProbeStatus.FAIL
    return ProbeResult(str(check.get("name", "")), status, detail)
