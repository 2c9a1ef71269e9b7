"""The boot check after networking (``ifguard rollback --after-boot``) in-process: a scratch
root, the real history and guarded-change pipeline, the fakes of tests/fakes.py for the reload,
the clock, the guardian and the probes (the Host of tests/apply/test_pipeline.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from ifguard.apply.bootcheck import EVENT, after_boot
from ifguard.store.timeline import timeline
from tests.apply.test_pipeline import MAIN, NEW, OLD, Host
from tests.fakes import FakeProber

pytestmark = pytest.mark.slow
PENDING = "/etc/network/interfaces.new"


@pytest.fixture
def host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Host:
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    root = tmp_path / "root"
    (root / "etc/network").mkdir(parents=True)
    (root / MAIN.lstrip("/")).write_bytes(OLD)
    return Host(root)


def known_good(h: Host, files: dict[str, bytes]) -> int:
    history = h.history()
    vid = history.record_version(files, source="watch", errors=0, warnings=0)
    history.mark_known_good(vid)
    return vid


def booted(h: Host, data: bytes) -> None:
    h.main.write_bytes(data)


def test_a_cut_that_booted_is_replaced_by_the_known_good_version(host: Host) -> None:
    good = known_good(host, {MAIN: OLD})
    booted(host, NEW)
    red = FakeProber(False)
    host.before = FakeProber(False)
    done = after_boot(host.request(wait=True), host.world(), red, (0, 1))
    assert done.restored and done.rc == 0, done
    assert host.main.read_bytes() == OLD
    assert host.runner.calls == [["ifreload", "-a"]]
    (event,) = host.history().events(kind=EVENT)
    assert event.detail["restored"] == good and event.detail["kept"] is True
    assert event.detail["from_pending"] is False and event.detail["probes"]
    cut = event.version_id
    assert cut is not None and host.history().get(cut).files == {MAIN: NEW}  # type: ignore[union-attr]
    assert host.history().get(cut).warnings == 1  # type: ignore[union-attr]
    (entry,) = [e for e in timeline(host.history()) if e.version.id == cut]
    assert entry.outcome == f"cut at boot, v{good} restored"
    assert done.alert is not None
    title, body = done.alert
    assert f"restored known-good version {good}" in title
    assert f"ifguard diff {good} {cut}" in body and "/etc/network/interfaces" in body
    assert len(entry.who) <= 40  # `ifguard history` shows 40 characters of it


def test_a_pending_file_moved_in_at_boot_is_named(host: Host) -> None:
    # what the watcher saw before the reboot: interfaces and the GUI's pending interfaces.new
    host.history().record_version({MAIN: OLD, PENDING: NEW}, source="watch", errors=0, warnings=0)
    good = known_good(host, {MAIN: OLD})
    booted(host, NEW)  # pvenetcommit moved it over interfaces
    host.before = FakeProber(False)
    done = after_boot(host.request(wait=True), host.world(), FakeProber(False))
    assert done.restored and host.main.read_bytes() == OLD
    assert not (host.root / PENDING.lstrip("/")).exists()
    (event,) = host.history().events(kind=EVENT)
    assert event.detail["from_pending"] is True and event.detail["restored"] == good


def test_the_file_last_seen_as_interfaces_is_not_called_pending(host: Host) -> None:
    """The same bytes were once a pending interfaces.new, but before this boot they were
    last seen as interfaces itself (an edit): not "moved in from interfaces.new"."""
    history = host.history()
    history.record_version({MAIN: OLD, PENDING: NEW}, source="watch", errors=0, warnings=0)
    history.record_version({MAIN: NEW}, source="watch", errors=0, warnings=0)
    known_good(host, {MAIN: OLD})
    booted(host, NEW)
    host.before = FakeProber(False)
    done = after_boot(host.request(wait=True), host.world(), FakeProber(False))
    assert done.restored
    (event,) = host.history().events(kind=EVENT)
    assert event.detail["from_pending"] is False


def test_a_known_good_version_with_a_pending_file_restores_interfaces_only(host: Host) -> None:
    good = known_good(host, {MAIN: OLD, PENDING: NEW})  # marked by an older watcher
    booted(host, NEW)
    host.before = FakeProber(False)
    done = after_boot(host.request(wait=True), host.world(), FakeProber(False))
    assert done.restored and host.main.read_bytes() == OLD, done
    assert not (host.root / PENDING.lstrip("/")).exists(), "the cut would boot again"
    assert good


@pytest.mark.parametrize(
    ("setup", "said"),
    [
        ("none", "no known-good version"),
        ("same", "are the known-good version"),
        ("green", "work (probes green)"),
    ],
)
def test_nothing_is_restored_when(host: Host, setup: str, said: str) -> None:
    if setup != "none":
        known_good(host, {MAIN: OLD})
    booted(host, OLD if setup == "same" else NEW)
    probe = FakeProber(True) if setup == "green" else FakeProber(False)
    done = after_boot(host.request(wait=True), host.world(), probe)
    assert not done.restored and done.rc == 0 and said in done.message, done
    assert host.main.read_bytes() == (OLD if setup == "same" else NEW)
    assert host.runner.calls == [] and host.history().events(kind=EVENT) == []


def test_probes_that_could_not_run_are_no_evidence(host: Host) -> None:
    from ifguard.network.probe_report import ProbeReport, ProbeResult, ProbeStatus

    known_good(host, {MAIN: OLD})
    booted(host, NEW)

    def cannot() -> ProbeReport:
        return ProbeReport((ProbeResult("gateway answers", ProbeStatus.ERROR, "EPERM"),))

    done = after_boot(host.request(wait=True), host.world(), cannot)
    assert not done.restored and "could not run" in done.message
    assert host.main.read_bytes() == NEW and host.runner.calls == []


def test_the_known_good_version_red_too_is_undone(host: Host) -> None:
    """A switch still down after a power cut: the known-good files do not bring the host
    back either, so the files that booted are put back (the admin's change is not lost)."""
    known_good(host, {MAIN: OLD})
    booted(host, NEW)
    host.before = FakeProber(False)
    host.probe = FakeProber(*[False] * 500)
    req = host.request(wait=True)
    done = after_boot(replace(req), host.world(), FakeProber(False))
    assert not done.restored and done.rc == 1, done
    assert host.main.read_bytes() == NEW
    (event,) = host.history().events(kind=EVENT)
    assert event.detail["kept"] is False
    assert done.alert is not None and "FAILED" in done.alert[0]
