"""After networking has started at boot: the files it brought up cut the host off and are not
the last known-good version -> put the known-good version back, as a guarded restore.

A file can pass every reload gate and still cut the host at the next boot: a lint-clean edit
never reloaded (the management VLAN moved), or Proxmox's pending ``interfaces.new`` that
``pvenetcommit.service`` moves over ``interfaces`` early at boot. Nobody is at a prompt to
confirm anything then, so the probes decide (``ifguard rollback --after-boot``, run by
ifguard-status.service once networking.service has started):

1. an open transaction: its own rollback owns the boot (the boot unit restored its files);
2. no known-good version, or the files on disk are that version: nothing better to go back
   to (a cut is then the cables' or the switch's, and the console says so);
3. the probes (management path, gateway, cluster peers) turn green within ``settle``
   seconds: the new files work (the watcher marks them known-good later);
4. probes that could not run (none failed): no evidence, nothing is touched;
5. otherwise the known-good version is restored through ``pipeline.guarded_change``
   (unattended, auto-confirm): lint gate, snapshot, guardian, reload, probes; kept once
   green, and rolled back to the files that booted if the known-good version does not
   bring the host back either (a switch that is still down after a power cut).

Each outcome 5 is recorded as a ``boot-restored`` history event (the files that booted as
their own version, which file, whether it came from ``interfaces.new``, the failing probes,
the version restored): ``ifguard status``, the console and ``ifguard history`` read it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ifguard.apply.gate import Refused
from ifguard.apply.pipeline import guarded_change
from ifguard.apply.probes import Prober
from ifguard.apply.request import ApplyRequest, Candidate
from ifguard.apply.world import World
from ifguard.config.ondisk import current_files
from ifguard.config.source import DEFAULT_INTERFACES, PROXMOX_PENDING
from ifguard.network.probe_report import ProbeReport, ProbeStatus
from ifguard.store import record as rec
from ifguard.store.history import History
from ifguard.store.record import DamagedRecord, Timeouts
from ifguard.store.statedir import save_blob
from ifguard.system.errors import UsageError

EVENT = "boot-restored"
# the restore at boot: the bond and LACP come up again after the reload (seconds under TCG),
# then a short green settle keeps it
BOOT_TIMEOUTS = Timeouts(confirm=120.0, reload=120.0, probe=30.0, settle=5.0)


@dataclass(frozen=True)
class BootCheck:
    restored: bool  # the known-good version was put back (and kept)
    message: str  # one line: what was decided and why
    rc: int = 0  # 0 nothing to do or restored and kept, 1 the restore failed
    alert: tuple[str, str] | None = None  # (title, body) for the owner, when one was tried


def cannot_check(report: ProbeReport) -> bool:
    statuses = {r.status for r in report.results}
    return ProbeStatus.ERROR in statuses and ProbeStatus.FAIL not in statuses


def failing(report: ProbeReport) -> str:
    bad = [r for r in report.results if not r.ok]
    return "; ".join(f"{r.name}: {r.detail}" if r.detail else r.name for r in bad[:3])


def came_from_pending(history: History, main: bytes, booted_at: float | None) -> bool:
    """Whether these bytes of /etc/network/interfaces were, before this boot, last seen as
    Proxmox's pending interfaces.new (``pvenetcommit.service`` moved it into place) rather
    than as interfaces itself. Versions seen since ``booted_at`` (the watcher starts beside
    this check) are not evidence of what was there before."""
    for v in history.versions(50):  # most recently seen first
        if booted_at is not None and v.last_seen >= booted_at:
            continue
        full = history.get(v.id)
        if full is None:
            continue
        if full.files.get(PROXMOX_PENDING) == main:
            return True
        if full.files.get(DEFAULT_INTERFACES) == main:
            return False
    return False


def boot_request(req: ApplyRequest) -> ApplyRequest:
    return replace(req, auto_confirm=True, unattended=True, timeouts=BOOT_TIMEOUTS, wait=True)


def after_boot(
    req: ApplyRequest,
    world: World,
    probe: Prober,
    lint_counts: tuple[int, int] = (0, 0),
    booted_at: float | None = None,
) -> BootCheck:
    """See the module docstring. ``probe``: the settled probes of the files that booted;
    ``lint_counts``: their lint errors and warnings, for the history; ``booted_at``: when
    this host booted (None: unknown)."""
    env = world.env(req)
    try:
        txn = env.state.read()
    except DamagedRecord:
        return BootCheck(False, "the apply record is damaged: nothing restored at boot")
    if txn is not None and txn.open:
        return BootCheck(False, f"transaction {txn.id} is open: its rollback owns the boot")
    history = env.history
    if history is None:
        return BootCheck(False, "the history cannot be read: nothing to go back to")
    good = history.last_known_good()
    if good is None:
        return BootCheck(False, "no known-good version in the history: nothing to go back to")
    booted = current_files(req.root)
    good_files = {p: b for p, b in good.files.items() if p != PROXMOX_PENDING}
    if DEFAULT_INTERFACES not in good_files:
        return BootCheck(False, f"the known-good version {good.id} has no {DEFAULT_INTERFACES}")
    if booted == good_files:
        return BootCheck(False, f"the files that booted are the known-good version {good.id}")
    report = probe()
    if report.healthy:
        return BootCheck(False, "the files that booted work (probes green): kept")
    if cannot_check(report):
        return BootCheck(False, f"the probes could not run ({failing(report)}): nothing restored")
    main = booted.get(DEFAULT_INTERFACES, b"")
    from_pending = came_from_pending(history, main, booted_at)  # before it is seen again
    errors, warnings = lint_counts
    cut = history.record_version(booted, source="boot", errors=errors, warnings=warnings)
    what = DEFAULT_INTERFACES + (
        f" (moved in from {PROXMOX_PENDING} at boot)" if from_pending else ""
    )
    world.out(
        f"ifguard: the files that booted (version {cut}: {what}) leave the host cut off "
        f"({failing(report)}): restoring the known-good version {good.id}"
    )
    main_good = good_files[DEFAULT_INTERFACES]
    lint_path = Path(save_blob(req.state_dir / "restore", f"{good.id}.interfaces", main_good))
    cand = Candidate(f"version {good.id}", "restore", lint_path, good_files, good_files)
    try:
        outcome = guarded_change(boot_request(req), cand, world)
    except (Refused, UsageError) as exc:
        return BootCheck(False, f"restoring version {good.id} failed: {exc}", 1)
    final = outcome.txn
    kept = final is not None and final.state == rec.CONFIRMED
    history.record_event(
        EVENT,
        {
            "file": DEFAULT_INTERFACES,
            "from_pending": from_pending,
            "booted": cut,
            "restored": good.id,
            "kept": kept,
            "probes": failing(report),
            "txn": outcome.txn_id,
        },
        version_id=cut,
    )
    body = (
        f"{what} (version {cut}) left the host cut off after it booted "
        f"({failing(report)}). "
        + (
            f"ifguard restored the last known-good version {good.id}: the host is back. "
            if kept
            else f"Restoring the last known-good version {good.id} did not bring the host "
            f"back either: the files that booted are in place again. Look at the host. "
        )
        + f"The change: ifguard diff {good.id} {cut}"
    )
    if kept:
        title = f"next boot cut the host: restored known-good version {good.id}"
        message = f"restored the known-good version {good.id} (version {cut} cut)"
        return BootCheck(True, message, 0, (title, body))
    state = final.state if final is not None else "unknown"
    title = f"next boot cut the host: restoring version {good.id} FAILED"
    message = f"restoring version {good.id} did not keep the host up ({state})"
    return BootCheck(False, message, 1, (title, body))
