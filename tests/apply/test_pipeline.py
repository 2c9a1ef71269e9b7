"""The guarded-change policy in-process (apply, restore and reload share it): a scratch root,
the real lint gate, state directory and history, and the fakes of tests/fakes.py for the
runner (the reload), the clock, the guardian spawner, the probes and the alert sink."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from ifguard.apply.gate import GateFailed, Refused
from ifguard.apply.pipeline import guarded_change
from ifguard.apply.reload import IN_PLACE, reload_request
from ifguard.apply.request import ApplyRequest, Candidate
from ifguard.apply.transaction import Env
from ifguard.apply.world import World
from ifguard.store import record as rec
from ifguard.store.history import History
from ifguard.store.record import APPLY_TIMEOUTS, RELOAD_TIMEOUTS, Timeouts, Transaction
from ifguard.system.errors import UsageError
from ifguard.system.root import Root
from tests.fakes import FakeClock, FakeProber, FakeRunner, FakeSpawner

MAIN = "/etc/network/interfaces"
RELOAD2 = (("ifreload", "-a"),)  # given to `ifguard rollback` (--reload-cmd): never stored
OLD = b"auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet manual\n"
NEW = OLD + b"    mtu 9000\n"
# each test opens the SQLite history and fsyncs the record: 0.1-0.5 s
pytestmark = pytest.mark.slow
JUNK = b"27: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP\n"


@dataclass
class Host:
    root: Path
    runner: FakeRunner = field(default_factory=FakeRunner)
    clock: FakeClock = field(default_factory=FakeClock)
    probe: FakeProber = field(default_factory=FakeProber)
    before: FakeProber = field(default_factory=FakeProber)  # the probes before a restore
    alerts: list[tuple[str, str]] = field(default_factory=list)
    plain: list[list[str]] = field(default_factory=list)
    out: list[str] = field(default_factory=list)
    delivered: bool = True
    guardian_reports: bool = True

    @property
    def main(self) -> Path:
        return self.root / MAIN.lstrip("/")

    @property
    def state_dir(self) -> Path:
        return self.root / "var/lib/ifguard"

    def history(self) -> History:
        return History(self.state_dir / "history.db")

    def world(self) -> World:
        def alert(title: str, body: str) -> bool:
            self.alerts.append((title, body))
            return self.delivered

        def run_plain(argv: object) -> int:
            assert isinstance(argv, tuple)
            self.plain.append(list(argv))
            return 3

        def spawner(env: Env, _req: ApplyRequest) -> FakeSpawner:
            return FakeSpawner(env, reports=self.guardian_reports)

        return World(
            runner=self.runner,
            clock=self.clock,
            out=self.out.append,
            quiet=True,
            alert=alert,
            spawner=spawner,
            prober=lambda _env, _txn: self.probe,
            run_plain=run_plain,
            probe_before=lambda _req, _ssh: self.before,
        )

    def request(self, **kw: object) -> ApplyRequest:
        base = ApplyRequest(
            Root(self.root), self.state_dir, reload_cmd=(("ifreload", "-a"),), wait=False
        )
        return replace(base, **kw)  # type: ignore[arg-type]

    def candidate(self, data: bytes, name: str = "candidate") -> Candidate:
        path = self.root.parent / name
        path.write_bytes(data)
        return Candidate(name, "apply", path)

    def final(self, txn_id: str) -> Transaction:
        data = (self.state_dir / "txn" / txn_id / "result.json").read_bytes()
        return Transaction.from_json(data)


@pytest.fixture
def host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Host:
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    root = tmp_path / "root"
    (root / "etc/network").mkdir(parents=True)
    (root / MAIN.lstrip("/")).write_bytes(OLD)
    return Host(root)


def test_apply_writes_the_bytes_linted_and_confirms_after_settling(host: Host) -> None:
    cand = host.candidate(NEW)
    req = host.request(auto_confirm=True, timeouts=replace(APPLY_TIMEOUTS, settle=6.0))
    outcome = guarded_change(req, cand, host.world())
    assert outcome.txn is not None and outcome.txn.state == rec.CONFIRMED, outcome
    assert host.main.read_bytes() == NEW
    assert host.runner.calls == [["ifreload", "-a"]]
    assert host.probe.calls >= 2 and host.clock.slept >= 6.0  # green for the settle period
    good = host.history().last_known_good()
    assert good is not None and good.files == {MAIN: NEW}
    assert not host.alerts and any("guardian armed (fake" in line for line in host.out)


def test_the_record_carries_the_requests_timeouts(host: Host) -> None:
    timeouts = Timeouts(confirm=33.0, reload=44.0, probe=5.0, settle=1.0)
    outcome = guarded_change(host.request(timeouts=timeouts), host.candidate(NEW), host.world())
    assert outcome.txn is not None and outcome.txn.open  # --no-wait: pending
    assert outcome.txn.timeouts == replace(timeouts, settle=APPLY_TIMEOUTS.settle)
    assert "before" in host.out[-1] and "ifguard confirm" in host.out[-1]


def test_lint_errors_refuse_before_anything_is_written(host: Host) -> None:
    with pytest.raises(Refused) as refused:
        guarded_change(host.request(), host.candidate(NEW + JUNK), host.world())
    assert refused.value.result.errors >= 1
    assert host.main.read_bytes() == OLD and host.runner.calls == []
    assert not (host.state_dir / "pending.json").exists()


def test_force_applies_despite_lint_errors(host: Host) -> None:
    outcome = guarded_change(host.request(force=True), host.candidate(NEW + JUNK), host.world())
    assert outcome.txn is not None and host.main.read_bytes() == NEW + JUNK


def test_red_probes_roll_back_and_tell_the_alert_sink(host: Host) -> None:
    host.probe = FakeProber(False)
    pending = host.root / "etc/network/interfaces.new"
    pending.write_bytes(NEW)
    cand = Candidate("interfaces.new", "apply", pending, {"/etc/network/interfaces.new": None})
    outcome = guarded_change(host.request(), cand, host.world())
    assert outcome.txn is not None and outcome.txn.state == rec.ROLLED_BACK
    assert host.main.read_bytes() == OLD and pending.read_bytes() == NEW  # both files back
    assert host.runner.calls == [["ifreload", "-a"], ["ifreload", "-a"]]
    assert len(host.alerts) == 1 and "rolled back" in host.alerts[0][0]
    assert "the previous files" in host.alerts[0][1]


def _good(host: Host, files: dict[str, bytes]) -> int:
    history = host.history()
    version = history.record_version(files, source="watch", errors=0, warnings=0)
    history.mark_known_good(version)
    return version


def test_reload_without_a_known_good_version_runs_unguarded(host: Host) -> None:
    req = reload_request(Root(host.root), host.state_dir, ("ifreload", "-a"))
    outcome = guarded_change(req, IN_PLACE, host.world())
    assert outcome.plain == 3 and host.plain == [["ifreload", "-a"]]
    assert host.runner.calls == [] and not (host.state_dir / "pending.json").exists()


def test_reload_green_is_confirmed_at_once_and_becomes_known_good(host: Host) -> None:
    _good(host, {MAIN: NEW})  # the files on disk (OLD) are the change
    req = reload_request(Root(host.root), host.state_dir, ("ifreload", "-a"))
    assert req.timeouts == RELOAD_TIMEOUTS and req.timeouts.probe == 4.0
    outcome = guarded_change(req, IN_PLACE, host.world())
    assert outcome.txn is not None and outcome.txn.state == rec.CONFIRMED
    assert outcome.txn.outcome == "probes green after the reload" and host.clock.slept == 0
    assert host.main.read_bytes() == OLD and host.plain == []
    good = host.history().last_known_good()
    assert good is not None and good.files == {MAIN: OLD}


def test_reload_red_goes_back_to_the_known_good_version(host: Host) -> None:
    version = _good(host, {MAIN: NEW})
    host.probe, host.delivered = FakeProber(False), False
    req = reload_request(Root(host.root), host.state_dir, ("ifreload", "-a"))
    outcome = guarded_change(req, IN_PLACE, host.world())
    assert outcome.txn is not None and outcome.txn.state == rec.ROLLED_BACK
    assert host.main.read_bytes() == NEW  # the known-good version, not the files before
    assert len(host.alerts) == 1
    assert f"ROLLED BACK to known-good version {version}" in host.alerts[0][1]


def test_a_reload_whose_guardian_is_late_is_still_guarded_by_the_caller(host: Host) -> None:
    """On a loaded host the guardian may report in after the reload: the reload is not run
    'without a way back' (the VM's path 3b kept the cut that way); the caller probes and
    rolls back itself."""
    version = _good(host, {MAIN: NEW})
    host.probe, host.guardian_reports = FakeProber(False), False
    req = reload_request(Root(host.root), host.state_dir, ("ifreload", "-a"))
    outcome = guarded_change(req, IN_PLACE, host.world())
    assert outcome.plain is None and host.plain == []
    assert outcome.txn is not None and outcome.txn.state == rec.ROLLED_BACK
    assert host.main.read_bytes() == NEW
    assert f"ROLLED BACK to known-good version {version}" in host.alerts[0][1]


def test_an_apply_whose_guardian_never_reports_changes_nothing(host: Host) -> None:
    """``ifguard apply`` (maybe over SSH) needs the guardian that outlives the session: late,
    the change is refused with nothing written."""
    host.guardian_reports = False
    with pytest.raises(UsageError, match="guardian did not start"):
        guarded_change(host.request(), host.candidate(NEW), host.world())
    assert host.main.read_bytes() == OLD


def test_a_rolled_back_reload_leaves_its_verdict_for_the_units_last_line(
    host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    """networking.service's reload (Debian's start-networking exits 0 whatever ifreload
    said) ends with `ifguard reload --verdict`: it must learn the rollback."""
    from ifguard.apply.reload import guarded_reload, take_verdict

    _good(host, {MAIN: NEW})
    host.probe = FakeProber(False)
    monkeypatch.setenv("INVOCATION_ID", "0123456789abcdef0123456789abcdef")
    req = reload_request(Root(host.root), host.state_dir, ("ifreload", "-a"))
    assert guarded_reload(req, host.world()) == 1
    verdict = take_verdict(Root(host.root))
    assert verdict is not None and "ROLLED BACK to known-good version" in verdict
    assert take_verdict(Root(host.root)) is None  # taken once
    host.probe = FakeProber(True)  # a kept reload leaves nothing
    host.main.write_bytes(OLD)
    assert guarded_reload(req, host.world()) == 0 and take_verdict(Root(host.root)) is None
    monkeypatch.delenv("INVOCATION_ID")  # not under systemd: the exit status says it
    assert take_verdict(Root(host.root)) is None


def test_reload_lints_with_the_hosts_settings(host: Host) -> None:
    """A hand-run `ifguard reload` (no wrapper gate) uses <root>/etc/ifguard/ifguard.toml."""
    host.main.write_bytes(OLD + JUNK)
    req = reload_request(Root(host.root), host.state_dir, ("ifreload", "-a"))
    with pytest.raises(Refused):
        guarded_change(req, IN_PLACE, host.world())
    settings = host.root / "etc/ifguard/ifguard.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text('ignore = ["IFG101"]\n')
    assert guarded_change(req, IN_PLACE, host.world()).plain == 3
    settings.write_text("ignore = 1\n")
    with pytest.raises(GateFailed, match="`ignore` must be a list"):
        guarded_change(req, IN_PLACE, host.world())
    gated = replace(req, gated=True)  # the wrapper's gate passed: not linted again
    host.main.write_bytes(OLD + JUNK)
    assert guarded_change(gated, IN_PLACE, host.world()).plain == 3


def test_the_bytes_written_are_the_bytes_linted(host: Host) -> None:
    """The candidate file changes right after the gate read it: what is written (and
    recorded) is still what was linted, not a second reading."""
    cand = host.candidate(NEW)
    assert cand.lint_path is not None
    path = cand.lint_path

    def change_it(_result: object) -> None:
        path.write_bytes(NEW + JUNK)

    world = replace(host.world(), lint_report=change_it)
    outcome = guarded_change(host.request(), cand, world)
    assert outcome.txn is not None and host.main.read_bytes() == NEW
    version = host.history().find(str(outcome.txn.candidate_version))
    assert version is not None and version.files == {MAIN: NEW}


NO_AUTO = OLD + b"\niface eth1 inet static\n    address 192.0.2.10/24\n    gateway 192.0.2.1\n"


def test_a_version_whose_boot_cuts_the_management_path_is_never_known_good(host: Host) -> None:
    """eth1 carries the default route and nothing starts it at boot: the gate refuses it
    (IFG320); with the rule ignored in the host's settings it applies and works now, but
    is not recorded as known-good."""
    req = host.request(
        auto_confirm=True, unattended=True, timeouts=replace(APPLY_TIMEOUTS, settle=0.0)
    )
    with pytest.raises(Refused):
        guarded_change(req, host.candidate(NO_AUTO), host.world())
    settings = host.root / "etc/ifguard/ifguard.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text('ignore = ["IFG320"]\n')
    outcome = guarded_change(req, host.candidate(NO_AUTO), host.world())
    assert outcome.txn is not None and outcome.txn.state == rec.CONFIRMED, outcome
    assert outcome.txn.boot_cut == "nothing brings `eth1` up at boot: no `auto eth1`"
    assert host.history().last_known_good() is None
    (event,) = host.history().events(kind="apply-confirmed")
    assert event.detail["not_known_good"] == outcome.txn.boot_cut
    assert any("at the next boot:" in line for line in host.out)  # the plan says it
    fixed = NO_AUTO.replace(b"\niface eth1", b"\nauto eth1\niface eth1")
    outcome = guarded_change(req, host.candidate(fixed), host.world())
    assert outcome.txn is not None and outcome.txn.boot_cut == ""
    good = host.history().last_known_good()
    assert good is not None and good.files == {MAIN: fixed}


def test_rollback_now_goes_through_the_same_world(host: Host) -> None:
    """`ifguard rollback`: the pending change undone with the world's runner and prober."""
    from ifguard.apply.run import rollback_pending

    world = host.world()
    assert (
        rollback_pending(host.state_dir, Root(host.root), "test", world=world) is None
    )  # nothing pending
    outcome = guarded_change(host.request(), host.candidate(NEW), world)
    assert outcome.txn is not None and outcome.txn.open and host.main.read_bytes() == NEW
    probes = host.probe.calls
    done = rollback_pending(
        host.state_dir, Root(host.root), "`ifguard rollback`", world=world, reload_cmd=RELOAD2
    )
    assert done is not None and done.state == rec.ROLLED_BACK and done.outcome.endswith("rollback`")
    assert host.main.read_bytes() == OLD and host.probe.calls == probes + 1
    assert host.runner.calls == [["ifreload", "-a"], ["ifreload", "-a"]]
    assert rollback_pending(host.state_dir, Root(host.root), "again", world=world) is None


def test_a_restore_from_a_red_state_is_kept_once_the_probes_are_green(host: Host) -> None:
    """`ifguard restore N` as the console advises it (no --auto-confirm) on a host whose
    probes are red: kept once green, not rolled back to the broken files at the deadline."""
    host.before = FakeProber(False)
    cand = Candidate("version 1", "restore", host.candidate(NEW).lint_path)
    outcome = guarded_change(host.request(), cand, host.world())
    assert outcome.txn is not None and outcome.txn.state == rec.CONFIRMED, outcome
    assert host.main.read_bytes() == NEW and host.before.calls == 1
    assert any("red before this restore" in line for line in host.out)


def test_a_restore_from_a_green_state_waits_for_the_operator(host: Host) -> None:
    cand = Candidate("version 1", "restore", host.candidate(NEW).lint_path)
    outcome = guarded_change(host.request(), cand, host.world())
    assert outcome.txn is not None and outcome.txn.open  # --no-wait: pending confirmation
    assert host.before.calls == 1


def test_an_apply_never_probes_before(host: Host) -> None:
    outcome = guarded_change(host.request(), host.candidate(NEW), host.world())
    assert outcome.txn is not None and outcome.txn.open and host.before.calls == 0
