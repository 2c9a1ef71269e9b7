"""Runtime watching and self-heal decisions on lab-recorded snapshots, with a fake clock."""

from __future__ import annotations

from dataclasses import replace

from ifguard.network.readers.types import Runtime
from ifguard.watch.heal import Observation, SelfHealer
from ifguard.watch.runtime import RuntimeMonitor
from tests.fakes import FakeClock, FakeNet
from tests.network.conftest import incident_config, recorded


def monitor(state: dict[str, Runtime], net: FakeNet, clock: FakeClock) -> RuntimeMonitor:
    config = incident_config()
    return RuntimeMonitor(
        lambda: config, lambda: state["rt"], net, clock, grace=1.0, drift_grace=10.0
    )


def test_metrics_from_a_healthy_snapshot() -> None:
    clock = FakeClock(1000.0)
    verdict, alerts = monitor({"rt": recorded("lab-healthy")}, FakeNet(), clock).check()
    assert verdict.healthy and alerts == [] and verdict.drift == []
    assert verdict.links["enp1s0"] and verdict.links["vlan1"] and "lo" not in verdict.links
    assert verdict.bond_members == {
        ("bond0", "enp1s0", "ovs"): True,
        ("bond0", "enx60a4b758ba5b", "ovs"): True,
    }


def test_member_down_is_a_warning_alert_with_its_own_resolved() -> None:
    """Degraded redundancy is the warning before the outage: it alerts, titled as one."""
    clock, state = FakeClock(1000.0), {"rt": recorded("lab-member-down")}
    m = monitor(state, FakeNet(), clock)
    verdict, alerts = m.check()
    assert verdict.healthy and alerts == [] and verdict.recheck_in == 1.0  # grace first
    assert verdict.bond_members[("bond0", "enp1s0", "ovs")] is False
    assert verdict.links["enp1s0"] is False
    clock.t += 1
    _, alerts = m.check()
    assert [(a.key, a.state, a.title) for a in alerts] == [
        ("warn:bond bond0 members", "firing", "probe warning: bond bond0 members")
    ]
    assert "down: enp1s0" in alerts[0].body
    assert m.check()[1] == []  # once
    state["rt"] = recorded("lab-healthy")
    _, alerts = m.check()
    assert [(a.state, a.title) for a in alerts] == [
        ("resolved", "resolved warning: bond bond0 members")
    ]


def test_gateway_silent_fires_after_grace_once_and_resolves_once() -> None:
    clock, net, state = (
        FakeClock(1000.0),
        FakeNet(arp=False, ping=False),
        {"rt": recorded("lab-healthy")},
    )
    m = monitor(state, net, clock)
    verdict, alerts = m.check()
    assert not verdict.healthy and alerts == [] and verdict.recheck_in == 1.0  # grace
    clock.t += 1.0
    _, alerts = m.check()
    assert [(a.key, a.state) for a in alerts] == [("probe:gateway 192.0.2.1 reachable", "firing")]
    clock.t += 5
    assert m.check()[1] == []  # no repeat
    net.arp_ok = True
    _, alerts = m.check()
    assert [(a.key, a.state) for a in alerts] == [("probe:gateway 192.0.2.1 reachable", "resolved")]


def test_nothing_fires_or_resolves_while_a_transaction_is_open() -> None:
    """A guarded reload cuts the gateway for seconds and rolls back: its outcome is its own
    alert; the watcher's probe alerts of the reload in progress were noise (VM lab path 3)."""
    clock, net, state = (
        FakeClock(1000.0),
        FakeNet(arp=False, ping=False),
        {"rt": recorded("lab-healthy")},
    )
    m = monitor(state, net, clock)
    for _ in range(10):  # the reload, the probes, the rollback: 20 s with the gateway silent
        verdict, alerts = m.check(hold=True)
        assert alerts == [] and verdict.recheck_in == 1.0  # looks again soon
        clock.t += 2
    net.arp_ok = True  # rolled back: healthy when the transaction ends
    assert m.check()[1] == [] and m.check()[0].recheck_in is None
    net.arp_ok = False  # still bad when it ends: fires after the grace, counted from the end
    m.check(hold=True)
    clock.t += 30
    assert m.check()[1] == []
    clock.t += 1
    assert [(a.key, a.state) for a in m.check()[1]] == [
        ("probe:gateway 192.0.2.1 reachable", "firing")
    ]
    _, alerts = m.check(hold=True)  # firing before a transaction: not resolved by it either
    assert alerts == [] and "probe:gateway 192.0.2.1 reachable" in m.firing


def test_a_probe_that_cannot_run_is_a_cannot_check_warning_not_a_failure() -> None:
    clock, net = FakeClock(1000.0), FakeNet(arp=None, ping=None)
    m = monitor({"rt": recorded("lab-healthy")}, net, clock)
    verdict, _ = m.check()
    assert not verdict.healthy and verdict.cannot_check
    clock.t += 1.0
    _, alerts = m.check()
    assert [(a.key, a.state, a.title) for a in alerts] == [
        (
            "warn:gateway 192.0.2.1 reachable",
            "firing",
            "cannot check: gateway 192.0.2.1 reachable",
        )
    ]
    net.ping_ok = True  # the fallback runs again
    verdict, alerts = m.check()
    assert verdict.healthy and not verdict.cannot_check
    assert [a.title for a in alerts] == ["resolved warning: gateway 192.0.2.1 reachable"]
    net.gateway_ok = False  # a probe that ran and heard nothing is a failure, not "cannot check"
    verdict, _ = m.check()
    assert not verdict.healthy and not verdict.cannot_check


def test_a_blip_shorter_than_the_grace_is_not_alerted() -> None:
    clock, state = FakeClock(1000.0), {"rt": recorded("lab-healthy")}
    rt = state["rt"]
    m = monitor(state, FakeNet(), clock)
    state["rt"] = replace(rt, ovs=replace(rt.ovs, bonds={}))  # a reload: bond0 gone
    assert m.check()[1] == []
    clock.t += 0.3
    state["rt"] = rt
    assert m.check()[1] == []  # back before the grace: nothing fired, nothing resolved


def test_drift_fires_after_its_own_grace() -> None:
    clock, state = FakeClock(1000.0), {"rt": recorded("lab-healthy")}
    rt = state["rt"]
    ports = dict(rt.ovs.ports)
    ports["vlan1001"] = replace(ports["vlan1001"], tag=7)
    state["rt"] = replace(rt, ovs=replace(rt.ovs, ports=ports))
    m = monitor(state, FakeNet(), clock)
    verdict, alerts = m.check()
    assert len(verdict.drift) == 1 and alerts == [] and verdict.recheck_in == 10.0
    clock.t += 10
    _, alerts = m.check()
    assert [a.key for a in alerts] == ["drift"] and "vlan1001 tag is 7" in alerts[0].body


class History:
    def __init__(self, good: int | None = None) -> None:
        self.good = good
        self.restored: list[int] = []

    def known(self) -> int | None:
        return self.good

    def mark(self, vid: int) -> None:
        self.good = vid

    def restore(self, vid: int) -> int:
        self.restored.append(vid)
        return 0


def healer(h: History, enabled: bool = True) -> SelfHealer:
    return SelfHealer(
        h.known, h.mark, h.restore, enabled=enabled, after=30, settle=10, max_attempts=2, backoff=60
    )


def obs(
    t: float, healthy: bool, version: int = 2, errors: int = 0, pending: bool = False
) -> Observation:
    return Observation(t, healthy, errors, version, pending)


def test_known_good_after_settle_only_when_clean() -> None:
    h = History()
    s = healer(h)
    s.observe(obs(0, True, version=1, errors=1))
    s.observe(obs(20, True, version=1, errors=1))
    assert h.good is None  # lint errors: never known-good
    s.observe(obs(21, True, version=2))  # a new version starts its own settle period
    s.observe(obs(30, True, version=2))
    assert h.good is None
    s.observe(obs(31, True, version=2))
    assert h.good == 2


def test_a_version_whose_boot_cuts_the_management_path_is_never_known_good() -> None:
    h = History()
    s = healer(h)
    cut = Observation(0, True, 0, 3, False, boot_cut=True)
    s.observe(cut)
    s.observe(Observation(100, True, 0, 3, False, boot_cut=True))
    assert h.good is None  # healthy now, lint-clean under its settings: still not known-good
    s.observe(obs(101, True, version=4))
    s.observe(obs(112, True, version=4))
    assert h.good == 4


def test_files_not_running_yet_are_never_known_good() -> None:
    # the cut written, not reloaded: the probes measure the old running state (VM lab path 3:
    # marking it made the guarded reload of the cut find "the known-good version" in place)
    h = History(good=1)
    s = healer(h)
    for t in (0, 11, 100):
        assert s.observe(Observation(t, True, 0, 2, False, drift=True)) == []
    assert h.good == 1 and s.due(100) is None
    s.observe(Observation(101, True, 0, 2, False))  # reloaded: the settle period starts now
    s.observe(Observation(110, True, 0, 2, False))
    assert h.good == 1
    s.observe(Observation(111, True, 0, 2, False))
    assert h.good == 2


def test_boot_cut_reads_the_running_configuration() -> None:
    from ifguard.config.source import load_text
    from ifguard.lint.engine import HostResult, lint_loaded
    from ifguard.lint.settings import Settings
    from ifguard.watch.heal import boot_cut

    text = "auto lo\niface lo inet loopback\niface eno1 inet static\n    address 192.0.2.2/24\n"
    text += "    gateway 192.0.2.1\n"
    result = HostResult((lint_loaded(load_text(text, "interfaces"), Settings()),))
    assert boot_cut(result, None) and not boot_cut(None, None)
    fixed = HostResult((lint_loaded(load_text("auto eno1\n" + text, "i"), Settings()),))
    assert not boot_cut(fixed, None)
    assert boot_cut(fixed, frozenset({"lo", "enp1s0"}))  # the NIC is gone


def test_heals_after_the_delay_with_backoff_and_a_cap() -> None:
    h = History(good=1)
    s = healer(h)
    assert s.observe(obs(0, False)) == [] and s.observe(obs(29, False)) == []
    (alert,) = s.observe(obs(30, False))
    assert h.restored == [1] and "restored known-good version 1" in alert.title
    assert s.observe(obs(60, False)) == []  # back-off 60 s
    assert len(s.observe(obs(90, False))) == 1  # second attempt
    assert s.observe(obs(1000, False)) == [] and h.restored == [1, 1]  # capped at 2


def test_never_heals_during_an_apply_or_onto_the_same_files_or_when_disabled() -> None:
    h = History(good=2)
    s = healer(h)
    s.observe(obs(0, False, pending=True))
    assert s.observe(obs(100, False, pending=True)) == [] and h.restored == []
    alerts = s.observe(obs(200, False, version=2))
    assert h.restored == [] and alerts[0].title == "unhealthy, not self-healing"
    assert s.observe(obs(300, False, version=2)) == []  # said once
    off = History(good=1)
    s2 = healer(off, enabled=False)
    s2.observe(obs(0, False))
    assert s2.observe(obs(100, False)) == [] and off.restored == []


def test_probes_that_cannot_run_neither_heal_nor_mark_known_good() -> None:
    h = History(good=1)
    s = healer(h)
    for t in (0, 30, 100, 1000):
        assert s.observe(Observation(t, False, 0, 2, False, cannot_check=True)) == []
    assert h.restored == [] and h.good == 1  # no heal, and version 2 is not marked either
    assert s.due(1000) is None  # nothing pending: the daemon is not woken for it


def test_due_wakes_the_daemon_only_while_a_decision_is_pending() -> None:
    h = History()
    s = healer(h)
    s.observe(obs(0, True, version=3))
    assert s.due(4) == 6  # settling towards known-good
    s.observe(obs(10, True, version=3))
    assert h.good == 3 and s.due(11) is None  # idle: nothing to wait for
    s.observe(obs(20, False, version=4))
    assert s.due(25) == 25  # counting towards a heal (after=30)
    assert healer(History(), enabled=False).due(0) is None


def test_while_an_alert_fires_the_next_check_is_due_within_the_retry() -> None:
    """A recovery may come with no event (LACP renegotiates after the link event; a gateway
    answers again): while something is firing, the watcher looks again every `retry` s."""
    clock, state = FakeClock(1000.0), {"rt": recorded("lab-member-down")}
    m = monitor(state, FakeNet(), clock)
    assert m.check()[0].recheck_in == 1.0  # the grace first
    clock.t += 1
    verdict, alerts = m.check()
    assert [a.state for a in alerts] == ["firing"] and verdict.recheck_in == m.retry == 5.0
    assert m.check()[0].recheck_in == 5.0  # still degraded: again within the retry
    state["rt"] = recorded("lab-healthy")
    verdict, alerts = m.check()
    assert [a.state for a in alerts] == ["resolved"] and verdict.recheck_in is None
