"""What a guarded change is asked to do, as typed values: the command line (commands/) builds
an ``ApplyRequest``; apply/ never sees argparse."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ifguard.system.root import Root


@dataclass(frozen=True)
class ApplyRequest:
    """The options of ``ifguard apply`` and ``ifguard restore`` (see their --help)."""

    root: Root
    state_dir: Path
    timeout: float = 120.0  # roll back unless confirmed within this many seconds
    auto_confirm: bool = False  # confirm when probes stay green for ``settle`` seconds
    unattended: bool = False  # nobody to confirm: probes decide even on the management path
    settle: float = 10.0
    probes: tuple[str, ...] = ()  # extra targets: tcp:HOST:PORT, ping:HOST
    probe_timeout: float = 8.0
    probes_enabled: bool = True
    force: bool = False  # apply despite lint errors
    dialect: str | None = None  # None: detected
    reload_cmd: str | None = None  # None: the dialect's reload
    reload_timeout: float = 120.0
    against: str = "auto"  # plan against: auto, running, file
    wait: bool = True  # wait for the confirmation (False: --no-wait)
    spawner: str = "auto"  # how the guardian is started: auto, systemd-run, fork
