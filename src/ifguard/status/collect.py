"""Gather the ``Facts`` of a summary: from what the watcher already has (a lint result, a
runtime check), or by checking now (``ifguard status``, the boot check).

Each source is optional: a history that cannot be read or a transaction record that is
damaged leaves its part empty rather than hiding the rest.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ifguard.config.diagnostic import Diagnostic, Severity
from ifguard.lint.engine import HostResult
from ifguard.lint.settings import Settings
from ifguard.network.drift import Drift
from ifguard.network.netprobe import Net
from ifguard.network.probe_report import ProbeReport
from ifguard.network.readers.types import Runtime
from ifguard.status.summary import BondState, ConfigVerdict, Facts, Finding, Probe, stamp
from ifguard.store.history import History, content_hash
from ifguard.store.statedir import StateDir
from ifguard.system.root import Root
from ifguard.system.runner import Runner

ROLLBACK_EVENTS = ("apply-rolled-back",)
BOOT_EVENT = "boot-restored"  # ifguard.apply.bootcheck (not imported: status is beside apply)
RECENT = 24 * 3600.0  # rollbacks older than this are history, not news


def _line_text(result: HostResult, d: Diagnostic) -> str:
    for doc in result.loaded.documents:
        if doc.path == d.span.path:
            lines = doc.text.splitlines()
            return lines[d.span.line - 1] if 0 < d.span.line <= len(lines) else ""
    return ""


def config_verdicts(result: HostResult, root: Root) -> tuple[ConfigVerdict, ...]:
    """Running (interfaces and what it sources) and, when it exists, Proxmox's pending
    interfaces.new: error and warning counts and the first error with its line."""
    has_pending = result.of("pending") is not None
    groups: dict[str, list[Diagnostic]] = {"running": [], "pending": []}
    for d in result.diagnostics:
        groups["pending" if d.config == "pending" else "running"].append(d)
    out = []
    for which, diags in groups.items():
        if which == "pending" and not has_pending:
            continue
        errors = [d for d in diags if d.severity is Severity.ERROR]
        first = None
        if errors:
            d = errors[0]
            first = Finding(
                root.system_path(Path(d.span.path)),
                d.span.line,
                d.code,
                d.message,
                _line_text(result, d),
                bool(d.fix and d.fix.safe),
            )
        warnings = sum(d.severity is Severity.WARNING for d in diags)
        out.append(ConfigVerdict(which, len(errors), warnings, first))
    return tuple(out)


def bonds_of(members: Mapping[tuple[str, str, str], bool]) -> tuple[BondState, ...]:
    """From the watcher's ``{(bond, member, kind): up}``."""
    found: dict[str, tuple[list[str], list[str]]] = {}
    for (bond, member, _kind), up in sorted(members.items()):
        found.setdefault(bond, ([], []))[0 if up else 1].append(member)
    return tuple(BondState(b, tuple(u), tuple(d)) for b, (u, d) in found.items())


def bonds_in(rt: Runtime) -> tuple[BondState, ...]:
    return bonds_of(
        {
            (bond.name, m.name, bond.kind): m.up
            for bond in (*rt.bonds.values(), *rt.ovs.bonds.values())
            for m in bond.members
        }
    )


def probes_of(report: ProbeReport) -> tuple[Probe, ...]:
    return tuple(Probe(r.name, r.status, r.detail) for r in report.results)


def drift_lines(found: Iterable[Drift]) -> tuple[str, ...]:
    return tuple(f"{d.interface}: {d.message}" for d in found)


def history_facts(history: History | None, now: float) -> dict[str, object]:
    """Known-good version (id, since when) and recent rollbacks; empty when unreadable."""
    if history is None:
        return {}
    try:
        good = history.last_known_good()
        events = [e for kind in ROLLBACK_EVENTS for e in history.events(limit=20, kind=kind)]
        written = history.events(limit=1, kind="written-by")
    except (OSError, sqlite3.Error):
        return {}
    by = ""
    if written and written[0].detail.get("writer"):
        by = f"{written[0].detail['writer']} at {stamp(written[0].time)}"
    out: dict[str, object] = {
        "known_good": good.id if good else None,
        "known_good_since": (good.good_since or good.last_seen) if good else None,
        "rollbacks": tuple(sorted(e.time for e in events if now - e.time < RECENT)),
        "written_by": by,
    }
    with contextlib.suppress(OSError, sqlite3.Error):
        out.update(boot_restore_facts(history, now))
    return out


def boot_restore_facts(history: History, now: float) -> dict[str, object]:
    """The last restore of the boot check, when recent and kept."""
    for e in history.events(limit=1, kind=BOOT_EVENT):
        d = e.detail
        if now - e.time >= RECENT or d.get("kept") is not True:
            return {}
        restored, cut = d.get("restored"), d.get("booted")
        if not isinstance(restored, int) or not isinstance(cut, int):
            return {}
        pending = " (moved in from interfaces.new at boot)" if d.get("from_pending") else ""
        return {
            "boot_cut": cut,
            "boot_file": f"{d.get('file', '')}{pending}",
            "boot_restored": restored,
            "boot_restored_at": e.time,
        }
    return {}


def transaction_line(state: StateDir | None) -> str:
    if state is None:
        return ""
    from ifguard.store.record import DamagedRecord

    txn = None
    try:
        txn = state.read()
    except DamagedRecord:
        return "the apply record is damaged: `ifguard rollback --discard` clears it"
    except (OSError, ValueError):
        return ""
    if txn is None or not txn.open:
        return ""
    return (
        f"an `ifguard apply` is in progress ({txn.state}); `ifguard confirm` keeps it, "
        f"otherwise it is rolled back at {stamp(txn.deadline)}"
    )


def boot_lines(lint: HostResult | None, root: Root) -> tuple[str, ...]:
    """Why the running configuration's next boot would not bring the management path up
    (``ifguard.config.bootpath``, with the host's NICs); empty when it would."""
    from ifguard.config.bootpath import boot_path
    from ifguard.lint.engine import inventory

    if lint is None or not lint.results:
        return ()
    return tuple(b.message for b in boot_path(lint.running.config, inventory(root)).breaks)


def changed_since_boot(lint: HostResult | None, root: Root) -> bool:
    """Whether a file of the running configuration was written after this host booted
    (``btime`` of /proc/stat; never for a tree under another root)."""
    if lint is None or root.prefix != Path("/"):
        return False
    try:
        with open("/proc/stat", encoding="ascii") as f:
            btime = next(float(line.split()[1]) for line in f if line.startswith("btime "))
        mtimes = [Path(doc.path).stat().st_mtime for doc in lint.running.loaded.documents]
    except (OSError, StopIteration, ValueError, IndexError):
        return False
    return any(m > btime for m in mtimes)


def facts(
    lint: HostResult | None,
    root: Root,
    *,
    history: History | None = None,
    state: StateDir | None = None,
    report: ProbeReport | None = None,
    drift: Sequence[Drift] = (),
    bonds: tuple[BondState, ...] = (),
    version: int | None = None,
    heal_attempts: int = 0,
    heal_max: int = 0,
    checked_by: str = "watch",
    now: float | None = None,
) -> Facts:
    now = time.time() if now is None else now
    hist = history_facts(history, now)
    known_good = hist.get("known_good")
    since = hist.get("known_good_since")
    rollbacks = hist.get("rollbacks", ())
    written_by = hist.get("written_by", "")
    return Facts(
        config=config_verdicts(lint, root) if lint is not None else (),
        probes=probes_of(report) if report is not None else None,
        bonds=bonds,
        drift=drift_lines(drift),
        version=version,
        known_good=known_good if isinstance(known_good, int) else None,
        known_good_since=since if isinstance(since, float) else None,
        heal_attempts=heal_attempts,
        heal_max=heal_max,
        rollbacks=rollbacks if isinstance(rollbacks, tuple) else (),
        transaction=transaction_line(state),
        checked_by=checked_by,
        boot=boot_lines(lint, root),
        changed_since_boot=changed_since_boot(lint, root),
        **_boot_restore(hist, version),
        written_by=written_by if isinstance(written_by, str) else "",
    )


def _boot_restore(hist: Mapping[str, object], version: int | None) -> dict[str, Any]:
    """The boot check's restore, while the files are still the version it restored."""
    restored = hist.get("boot_restored")
    if not isinstance(restored, int) or version not in (None, restored):
        return {}
    return {k: hist[k] for k in ("boot_cut", "boot_file", "boot_restored", "boot_restored_at")}


def version_of(result: HostResult, root: Root, history: History | None) -> int | None:
    """The history id of the files on disk, when the history has seen them (no write)."""
    if history is None or not result.loaded.documents:
        return None
    files = {root.system_path(Path(doc.path)): doc.data for doc in result.loaded.documents}
    with contextlib.suppress(OSError, sqlite3.Error):
        found = history.find(content_hash(files))
        return found.id if found is not None else None
    return None


def check_now(
    root: Root,
    state_dir: Path,
    runner: Runner,
    net: Net,
    *,
    targets: Sequence[str] = (),
    checked_by: str = "status",
    runtime: bool = True,
    settings: Settings | None = None,
) -> Facts:
    """Lint, read the running state, probe and compare, as the watcher would. Without
    ``runtime`` only the files are checked: the running network of this machine is not that
    of a tree under another root, so it is neither read nor probed. ``settings``: the host's
    lint settings when the caller read them already (default: read them)."""
    from ifguard.config.ondisk import config_on_disk
    from ifguard.lint.engine import host_settings, inventory, lint_host
    from ifguard.network.drift import drift
    from ifguard.network.probe import run_probes
    from ifguard.network.readers import read_runtime

    settings = settings if settings is not None else host_settings(root)
    result = lint_host(root, settings, nics=inventory(root))
    history = None
    with contextlib.suppress(OSError, sqlite3.Error):
        history = History(state_dir / "history.db")
    if not runtime:
        return facts(
            result,
            root,
            history=history,
            state=StateDir(state_dir, root),
            version=version_of(result, root, history),
            checked_by=checked_by,
        )
    running = result.of("running")  # the files as linted: not read a second time
    config = running.config if running is not None else config_on_disk(root)
    rt = read_runtime(runner, root)
    report = run_probes(config, rt, net, targets=targets)
    if root.prefix == Path("/"):  # corosync's view: this host's, not another --root's
        from ifguard.network.cluster import cluster_of
        from ifguard.network.corosync import checks, read_view

        cluster = cluster_of(root, config)
        report = ProbeReport(report.results + tuple(checks(cluster, read_view(runner, cluster))))
    return facts(
        result,
        root,
        history=history,
        state=StateDir(state_dir, root),
        report=report,
        drift=drift(config, rt),
        bonds=bonds_in(rt),
        version=version_of(result, root, history),
        checked_by=checked_by,
    )
