"""The status summary's values: the ``Facts`` gathered (``collect.py``), the ``Summary`` built
from them (``summary.py``), and their JSON form read back. Plain frozen data; no I/O.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

OK, DEGRADED, BROKEN = "ok", "degraded", "broken"


@dataclass(frozen=True)
class Finding:
    """The first error of a file set: where, which rule, and the offending line."""

    path: str
    line: int
    code: str
    message: str
    text: str = ""
    fixable: bool = False


@dataclass(frozen=True)
class ConfigVerdict:
    which: str  # "running": what ifupdown reads now; "pending": Proxmox's interfaces.new
    errors: int
    warnings: int = 0
    first: Finding | None = None


@dataclass(frozen=True)
class Probe:
    name: str
    status: str  # pass, warn, fail, error, skip
    detail: str = ""


@dataclass(frozen=True)
class BondState:
    name: str
    up: tuple[str, ...]
    down: tuple[str, ...]


@dataclass(frozen=True)
class Facts:
    config: tuple[ConfigVerdict, ...] = ()
    probes: tuple[Probe, ...] | None = None  # None: the running state was not checked
    bonds: tuple[BondState, ...] = ()
    drift: tuple[str, ...] = ()  # "iface: message"
    version: int | None = None  # the history id of the files on disk
    known_good: int | None = None
    known_good_since: float | None = None
    heal_attempts: int = 0
    heal_max: int = 0
    rollbacks: tuple[float, ...] = ()  # times of recent automatic/explicit rollbacks
    transaction: str = ""  # an open `ifguard apply`, described
    checked_by: str = "watch"  # watch | boot | status
    boot: tuple[str, ...] = ()  # why the files' next boot would not bring the management path up
    changed_since_boot: bool = False  # the files were written after this host booted
    # the boot check (`ifguard rollback --after-boot`) put the known-good version back: the
    # version that booted and cut the host, which file (and whether from interfaces.new),
    # the version restored, when
    boot_cut: int | None = None
    boot_file: str = ""
    boot_restored: int | None = None
    boot_restored_at: float | None = None
    written_by: str = ""  # who wrote the files last (the watcher's audit reader), and when


@dataclass(frozen=True)
class Summary:
    level: str
    since: float
    problems: tuple[str, ...]
    did: tuple[str, ...]
    fix: tuple[str, ...]
    facts: Facts = field(default_factory=Facts)

    @property
    def broken(self) -> bool:
        return self.level == BROKEN

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "since": self.since,
            "problems": list(self.problems),
            "did": list(self.did),
            "fix": list(self.fix),
            "facts": asdict(self.facts),
        }


def _facts_from(d: dict[str, Any]) -> Facts:
    config = tuple(
        ConfigVerdict(
            c["which"],
            c["errors"],
            c.get("warnings", 0),
            Finding(**c["first"]) if c.get("first") else None,
        )
        for c in d.get("config", ())
    )
    probes = d.get("probes")
    return Facts(
        config=config,
        probes=None if probes is None else tuple(Probe(**p) for p in probes),
        bonds=tuple(BondState(b["name"], tuple(b["up"]), tuple(b["down"])) for b in d["bonds"]),
        drift=tuple(d.get("drift", ())),
        boot=tuple(d.get("boot", ())),
        rollbacks=tuple(d.get("rollbacks", ())),
        **{k: d[k] for k in _SCALARS if k in d},
    )


_SCALARS = (
    "version",
    "known_good",
    "known_good_since",
    "heal_attempts",
    "heal_max",
    "transaction",
    "checked_by",
    "changed_since_boot",
    "boot_cut",
    "boot_file",
    "boot_restored",
    "boot_restored_at",
    "written_by",
)


def summary_from_dict(d: dict[str, Any]) -> Summary:
    """Read back ``Summary.to_dict()`` (raises KeyError/TypeError/ValueError if damaged)."""
    return Summary(
        str(d["level"]),
        float(d["since"]),
        tuple(d["problems"]),
        tuple(d["did"]),
        tuple(d["fix"]),
        _facts_from(d["facts"]),
    )
