"""Runtime watching: each check takes a runtime snapshot, runs the health probes and drift, fills
the link/bond/drift metrics and turns *persistent* changes into alerts.

Pure apart from the callables passed in (configuration loader, runtime reader, network probes,
clock). A probe that fails fires an alert once it has been bad for ``grace`` seconds; a probe
that cannot run (``error``: a sandbox refusing its socket, no ``ping``) fires a "cannot check"
warning instead, never a failure; a probe *warning* (degraded redundancy: a bond member down,
LACP not negotiated on a member - the warning before the outage) fires its own alert after the
same grace, titled as a warning, with its own "resolved" (a reload takes the bond away for a
fraction of a second; that is not an alert); drift fires after ``drift_grace`` seconds. Each
fires once and resolves once.

While a guarded transaction is open (``hold``: an apply, restore or guarded reload; its
guardian owns the situation and its outcome is alerted by whoever ran it), nothing fires or
resolves: the probes and drift of a reload in progress are its own business, not alerts. The
grace periods start when it ends; what is still bad then fires as usual. (The cluster peers'
alerts keep their own state and pass through.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ifguard.config.model import Config
from ifguard.network.drift import Drift, drift
from ifguard.network.netprobe import Net
from ifguard.network.probe import run_probes
from ifguard.network.probe_report import ProbeReport, ProbeStatus
from ifguard.network.readers.types import Runtime
from ifguard.system.clock import Clock
from ifguard.watch.alerts import Alert
from ifguard.watch.peers import POLL, ClusterVerdict, PeerMonitor

DRIFT_KEY = "drift"
PROBE, WARN = "probe:", "warn:"


@dataclass
class RuntimeVerdict:
    report: ProbeReport
    drift: list[Drift]
    links: dict[str, bool] = field(default_factory=dict)
    bond_members: dict[tuple[str, str, str], bool] = field(default_factory=dict)
    recheck_in: float | None = None  # a pending grace period ends then
    # corosync's view (watch/peers.py): its failures alert, but are not the host's network
    # health (no self-heal because a peer took the cluster's quorum with it)
    cluster: ClusterVerdict = field(default_factory=ClusterVerdict)

    @property
    def healthy(self) -> bool:
        return self.report.healthy

    @property
    def shown(self) -> ProbeReport:
        """The probes with corosync's checks: what status and the console show."""
        return ProbeReport(self.report.results + tuple(self.cluster.results))

    @property
    def cannot_check(self) -> bool:
        """Unhealthy only because probes could not run (none failed): no evidence either
        way, neither a failure to heal nor a health to mark known-good."""
        statuses = {r.status for r in self.report.results}
        return ProbeStatus.ERROR in statuses and ProbeStatus.FAIL not in statuses


class RuntimeMonitor:
    def __init__(
        self,
        load_config: Callable[[], Config],
        read: Callable[[], Runtime],
        net: Net,
        clock: Clock,
        *,
        targets: Sequence[str] = (),
        grace: float = 1.0,
        drift_grace: float = 10.0,
        retry: float = 5.0,
        peers: PeerMonitor | None = None,
    ) -> None:
        self.load_config, self.read, self.net, self.clock = load_config, read, net, clock
        self.targets, self.grace, self.drift_grace = targets, grace, drift_grace
        # While an alert is firing, check again every `retry` seconds: a recovery need not
        # come with an event (LACP renegotiating after the member's link event, a gateway
        # that answers again), and the periodic check may be a minute away.
        self.retry = retry
        self.peers = peers
        self.hold_recheck = 1.0  # while a transaction is open: when to look again
        self.bad_since: dict[str, float] = {}
        self.firing: set[str] = set()

    def resume(self, firing: Sequence[str]) -> None:
        """After a restart: the runtime keys the receiver was last told are "firing". Still
        bad at the first check: nothing is repeated; healthy: "resolved" is sent."""
        now = self.clock.now()
        for key in firing:
            if key == DRIFT_KEY or key.startswith((PROBE, WARN)):
                self.firing.add(key)
                self.bad_since.setdefault(key, now)
        if self.peers is not None:
            self.peers.resume(list(firing))

    def check(self, hold: bool = False) -> tuple[RuntimeVerdict, list[Alert]]:
        config = self.load_config()
        rt = self.read()
        report = run_probes(config, rt, self.net, targets=self.targets)
        found = drift(config, rt)
        verdict = RuntimeVerdict(report, found, *self._metrics(config, rt))
        peer_alerts: list[Alert] = []
        if self.peers is not None:
            verdict.cluster, peer_alerts = self.peers.check()
        now = self.clock.now()
        bad: dict[str, tuple[str, str]] = {}
        # this node out of the membership or without quorum; a missing peer or a link
        # down to it is the peer's alert (watch/peers.py), not a warning of this node's
        for r in verdict.cluster.results if verdict.cluster.alerting else ():
            if not r.ok:
                bad[f"{PROBE}{r.name}"] = (f"probe failed: {r.name}", f"{r.status}: {r.detail}")
        for r in report.results:
            detail = f"{r.status}: {r.detail}" if r.detail else r.status
            if r.status == ProbeStatus.ERROR:
                bad[f"{WARN}{r.name}"] = (
                    f"cannot check: {r.name}",
                    detail + "\nThe probe could not run: not a failure of the network, but "
                    "nobody is watching this part of it.",
                )
            elif not r.ok:
                bad[f"{PROBE}{r.name}"] = (f"probe failed: {r.name}", detail)
            elif r.status == ProbeStatus.WARN:
                bad[f"{WARN}{r.name}"] = (
                    f"probe warning: {r.name}",
                    detail + "\nDegraded: the host still works, without redundancy.",
                )
        if found:
            bad[DRIFT_KEY] = (
                f"running state differs from the configuration ({len(found)})",
                "\n".join(f"{d.interface}: {d.message}" for d in found[:5]),
            )
        alerts: list[Alert] = list(peer_alerts)  # the cluster peers keep their own state
        if hold:  # a transaction is open: no transition; look again soon
            for key in [k for k in self.bad_since if k not in self.firing]:
                del self.bad_since[key]
            verdict.recheck_in = self.hold_recheck
            return verdict, alerts
        waits: list[float] = [POLL] if verdict.cluster.active else []
        for key, (title, body) in bad.items():
            since = self.bad_since.setdefault(key, now)
            grace = self.drift_grace if key == DRIFT_KEY else self.grace
            if key in self.firing:
                continue
            if now - since >= grace:
                self.firing.add(key)
                alerts.append(Alert(key, "firing", title, body))
            else:
                waits.append(since + grace - now)
        for key in [k for k in self.bad_since if k not in bad]:
            del self.bad_since[key]
            if key in self.firing:
                self.firing.discard(key)
                what = "drift" if key == DRIFT_KEY else key.split(":", 1)[1]
                title = f"resolved warning: {what}" if key.startswith(WARN) else f"resolved: {what}"
                alerts.append(Alert(key, "resolved", title, "The running state is healthy again."))
        if any(key in self.firing for key in bad):
            waits.append(self.retry)
        verdict.recheck_in = min(waits) if waits else None
        return verdict, alerts

    @staticmethod
    def _metrics(
        config: Config, rt: Runtime
    ) -> tuple[dict[str, bool], dict[tuple[str, str, str], bool]]:
        names = {i.name for i in config.interfaces if i.stanza == "iface"}
        links = {n: lk.up and lk.carrier for n, lk in rt.links.items() if n in names and n != "lo"}
        members = {
            (bond.name, m.name, bond.kind): m.up
            for bond in (*rt.bonds.values(), *rt.ovs.bonds.values())
            for m in bond.members
        }
        return links, members
