"""``ifguard doctor``: is the protection on this host actually working?

Each check reads the host (under a ``Root``) and, for services, asks systemd through the
``Runner``; nothing is changed, nothing is sent unless asked (``send_test``). A check is one
``Check``: where, what was found, and the command that fixes it.

Levels: ``ok``; ``warn`` (works, but less than it could: ARP probes falling back to ping, no
node_exporter); ``fail`` (a gate is off, the watcher is down or cannot probe, alerts cannot
be delivered, the state is damaged); ``unknown`` (could not be checked here: systemd is not
PID 1, a ``--root`` tree). Only ``fail`` makes ``ifguard doctor`` exit 1.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ifguard.system.clock import Clock
from ifguard.system.root import Root
from ifguard.system.runner import Runner
from ifguard.watch.queue import Sender

OK, WARN, FAIL, UNKNOWN = "ok", "warn", "fail", "unknown"


@dataclass(frozen=True)
class Check:
    area: str  # gates, watcher, alerts, metrics, host, state
    name: str
    status: str
    detail: str
    fix: str = ""


@dataclass(frozen=True)
class Host:
    """What the checks look at and through."""

    root: Root
    runner: Runner
    clock: Clock
    state_dir: Path
    systemd: bool  # systemd is PID 1 and ``root`` is this machine: services can be asked
    owner: int = 0  # who must own the state dir and the settings file (root)
    # --send-test: a sender for one notification URL (None: nothing is sent)
    sender: Callable[[str], Sender] | None = None


@dataclass(frozen=True)
class Report:
    checks: tuple[Check, ...]

    @property
    def problems(self) -> int:
        return sum(c.status == FAIL for c in self.checks)

    @property
    def warnings(self) -> int:
        return sum(c.status == WARN for c in self.checks)

    @property
    def exit_code(self) -> int:
        return 1 if self.problems else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": not self.problems,
            "problems": self.problems,
            "warnings": self.warnings,
            "checks": [asdict(c) for c in self.checks],
        }


def diagnose(host: Host) -> Report:
    """Every check, in the order they are shown."""
    from ifguard.doctor import alerts, gates, state, watcher

    checks: list[Check] = []
    checks += gates.checks(host)
    service = watcher.service_properties(host)
    checks += watcher.checks(host, service)
    checks += alerts.checks(host)
    checks += watcher.metrics_checks(host)
    checks += state.checks(host)
    return Report(tuple(checks))


_LABEL = {OK: " ok ", WARN: "warn", FAIL: "FAIL", UNKNOWN: " ?? "}


def render_text(report: Report) -> str:
    lines: list[str] = []
    for c in report.checks:
        lines.append(f"[{_LABEL[c.status]}] {c.area}: {c.name}: {c.detail}")
        if c.fix and c.status != OK:
            lines.append(f"       fix: {c.fix}")
    p, w = report.problems, report.warnings
    verdict = "all good" if not p and not w else f"{p} problem(s), {w} warning(s)"
    lines.append(f"doctor: {verdict}")
    return "\n".join(lines) + "\n"


def lines_of(items: Sequence[str]) -> str:
    return ", ".join(items)
