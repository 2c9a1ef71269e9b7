"""What a guarded change is asked to do, as frozen values: the command line (commands/) or the
watcher builds an ``ApplyRequest`` (the options) and a ``Candidate`` (the files); apply/ never
sees argparse. ``apply.pipeline.guarded_change`` takes both."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from ifguard.store.record import APPLY_TIMEOUTS, Timeouts
from ifguard.system.root import Root


@dataclass(frozen=True)
class ApplyRequest:
    """The options of ``ifguard apply``, ``restore`` and ``reload`` (see their --help)."""

    root: Root
    state_dir: Path
    timeouts: Timeouts = APPLY_TIMEOUTS
    auto_confirm: bool = False  # confirm when probes stay green for ``timeouts.settle``
    unattended: bool = False  # nobody to confirm: probes decide even on the management path
    probes: tuple[str, ...] = ()  # extra targets: tcp:HOST:PORT, ping:HOST
    probes_enabled: bool = True
    force: bool = False  # apply despite lint errors
    dialect: str | None = None  # None: detected
    reload_cmd: tuple[tuple[str, ...], ...] | None = None  # None: the dialect's reload
    against: str = "auto"  # plan against: auto, running, file
    wait: bool = True  # wait for the confirmation (False: --no-wait)
    spawner: str = "auto"  # how the guardian is started: auto, systemd-run, fork
    gated: bool = False  # the files in place passed the lint gate already (ifreload wrapper)
    message: str = ""  # -m MESSAGE: why, recorded in the history with the change


@dataclass(frozen=True)
class Candidate:
    """The files of a guarded change.

    With ``lint_path``: that file is linted and the very bytes linted are written to
    ``/etc/network/interfaces``; ``changes`` are the other files to write (None: remove);
    ``files`` the whole candidate for the history (default: what the lint read).
    Without (``in_place``): the candidate is what is on disk already (a reload someone else
    started); the way back is the last known-good version of the history."""

    label: str
    source: str  # the history's name for where the candidate came from
    lint_path: Path | None = None
    changes: Mapping[str, bytes | None] = field(default_factory=lambda: MappingProxyType({}))
    files: Mapping[str, bytes] | None = None

    @property
    def in_place(self) -> bool:
        return self.lint_path is None
