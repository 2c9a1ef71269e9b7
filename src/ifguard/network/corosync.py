"""Corosync's own view of the cluster: membership, quorum and knet link status, read from
``corosync-quorumtool -s`` and ``corosync-cfgtool -s`` through the system ``Runner`` (tests pass
a fake answering with output captured on real nodes, tests/fixtures/corosync/).

Never fatal and never noisy: without the tools, or with corosync stopped and no
corosync.conf, the host is "not a cluster" (``CorosyncView.absent``) and no check is made.
A corosync.conf with corosync not answering is a failure of its own ("corosync is not
running"): a configured cluster node that is not in any membership.

``checks`` turns a view into probe results (``ifguard probe``, ``status``, the guardian's
probes after a change, the watcher): this node out of the membership, or the cluster not
quorate, is red; a peer missing from the membership, or a knet link down to a peer, is a
warning here (the peer's own trouble is not held against a change made on this node; the
watcher reports the peer itself, watch/peers.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ifguard.config.cluster import Cluster
from ifguard.network.probe_report import ProbeResult, ProbeStatus
from ifguard.system.runner import Completed, Runner

QUORUMTOOL = ("corosync-quorumtool", "-s")
CFGTOOL = ("corosync-cfgtool", "-s")
TOOL_TIMEOUT = 5.0


@dataclass(frozen=True)
class Member:
    nodeid: int
    votes: int
    name: str  # what the tool prints: the node's name or its ring0 address
    local: bool


@dataclass(frozen=True)
class LinkStatus:
    link: int
    nodeid: int
    state: str  # "connected", "disconnected", "localhost", or the tool's own word

    @property
    def up(self) -> bool:
        return self.state in ("connected", "localhost")


@dataclass(frozen=True)
class CorosyncView:
    """What corosync says now. ``absent``: not a cluster (no tools / no corosync and no
    configuration); ``problem``: corosync could not be asked (one line)."""

    absent: bool = False
    problem: str = ""
    node_id: int | None = None
    quorate: bool | None = None
    expected_votes: int | None = None
    total_votes: int | None = None
    members: tuple[Member, ...] = ()
    links: tuple[LinkStatus, ...] = ()

    def member_ids(self) -> frozenset[int]:
        return frozenset(m.nodeid for m in self.members)


ABSENT = CorosyncView(absent=True)


def _field(text: str, label: str) -> str | None:
    m = re.search(rf"^{re.escape(label)}:\s*(.*?)\s*$", text, re.M)
    return m.group(1) if m else None


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    m = re.match(r"(0x[0-9a-fA-F]+|\d+)", text)
    return int(m.group(1), 0) if m else None


def parse_quorumtool(text: str) -> CorosyncView:
    """``corosync-quorumtool -s``: node id, quorate, votes and the membership table."""
    quorate = _field(text, "Quorate")
    members: list[Member] = []
    _, _, table = text.partition("Membership information")
    for line in table.splitlines():
        m = re.match(r"^\s*(0x[0-9a-fA-F]+|\d+)\s+(\d+)\s+(\S+)(.*)$", line)
        if m:
            members.append(
                Member(int(m.group(1), 0), int(m.group(2)), m.group(3), "(local)" in m.group(4))
            )
    return CorosyncView(
        node_id=_int(_field(text, "Node ID")),
        quorate=None if quorate is None else quorate.lower().startswith("yes"),
        expected_votes=_int(_field(text, "Expected votes")),
        total_votes=_int(_field(text, "Total votes")),
        members=tuple(members),
    )


def parse_cfgtool(text: str) -> tuple[int | None, tuple[LinkStatus, ...]]:
    """``corosync-cfgtool -s`` (corosync 3, knet): the local node id and, per link, each
    node's state."""
    m = re.search(r"Local node ID (\d+)", text)
    local = int(m.group(1)) if m else None
    links: list[LinkStatus] = []
    link: int | None = None
    for line in text.splitlines():
        head = re.match(r"^LINK ID (\d+)", line.strip())
        if head:
            link = int(head.group(1))
            continue
        node = re.match(r"^\s*nodeid:?\s*(\d+):?\s*(\S+)", line)
        if node and link is not None:
            links.append(LinkStatus(link, int(node.group(1)), node.group(2).lower()))
    return local, tuple(links)


def _not_running(done: Completed) -> bool:
    text = (done.out + done.err).lower()
    return "cannot initialize" in text or "could not initialize" in text


def read_view(runner: Runner, cluster: Cluster, timeout: float = TOOL_TIMEOUT) -> CorosyncView:
    """Ask corosync. No tool, or corosync stopped on a host without a corosync.conf: absent."""
    q = runner.run(QUORUMTOOL, timeout=timeout)
    if q.rc == 127:
        return ABSENT
    if _not_running(q) or not q.out.strip():
        if cluster.corosync_path is None:
            return ABSENT
        why = (q.err or q.out).strip().splitlines()
        return CorosyncView(problem="corosync is not running" + (f" ({why[0]})" if why else ""))
    view = parse_quorumtool(q.out)
    if view.quorate is None:
        return CorosyncView(problem=f"{QUORUMTOOL[0]} -s: output not understood")
    c = runner.run(CFGTOOL, timeout=timeout)
    _, links = parse_cfgtool(c.out) if c.ok else (None, ())
    return CorosyncView(
        node_id=view.node_id,
        quorate=view.quorate,
        expected_votes=view.expected_votes,
        total_votes=view.total_votes,
        members=view.members,
        links=links,
    )


def names(cluster: Cluster, view: CorosyncView) -> dict[int, str]:
    """node id -> name: corosync.conf's nodelist, else what the tool printed."""
    out = {m.nodeid: m.name for m in view.members}
    for node in cluster.nodes:
        if node.nodeid.isdigit():
            out[int(node.nodeid)] = node.name
    return out


def checks(
    cluster: Cluster, view: CorosyncView, before: CorosyncView | None = None
) -> list[ProbeResult]:
    """Probe results from corosync's view (none when not a cluster). ``before``: the view
    before a change; what was already wrong then is a warning, not held against the change
    (an admin repairing a node while the cluster has no quorum must not be rolled back)."""
    out = _checks(cluster, view)
    if before is None or before.absent:
        return out
    was = {r.name: r.status for r in _checks(cluster, before)}
    return [
        ProbeResult(r.name, ProbeStatus.WARN, f"{r.detail} (so before the change too)")
        if r.status == ProbeStatus.FAIL and was.get(r.name) == ProbeStatus.FAIL
        else r
        for r in out
    ]


def _checks(cluster: Cluster, view: CorosyncView) -> list[ProbeResult]:
    if view.absent:
        return []
    if view.problem:
        return [ProbeResult("cluster: corosync membership", ProbeStatus.FAIL, view.problem)]
    named = names(cluster, view)
    me = view.node_id
    who = f"{named.get(me, '?')} (node {me})" if me is not None else "this node"
    ids = view.member_ids()
    listed = {int(n.nodeid) for n in cluster.nodes if n.nodeid.isdigit()}
    peers = (listed or ids) - ({me} if me is not None else set())
    member_names = ", ".join(named.get(i, str(i)) for i in sorted(ids))
    out: list[ProbeResult] = []
    missing = sorted(peers - ids)
    if peers and not (ids - {me}):
        detail = f"{who} sees no peer: alone in its membership ({member_names or 'none'})"
        out.append(ProbeResult("cluster: corosync membership", ProbeStatus.FAIL, detail))
    elif missing:
        gone = ", ".join(named.get(i, str(i)) for i in missing)
        detail = f"{who} is a member with {member_names}; not in the membership: {gone}"
        out.append(ProbeResult("cluster: corosync membership", ProbeStatus.WARN, detail))
    else:
        detail = f"{who} is a member: {len(ids)} nodes ({member_names})"
        out.append(ProbeResult("cluster: corosync membership", ProbeStatus.PASS, detail))
    votes = f"{view.total_votes} of {view.expected_votes} votes"
    if view.quorate:
        out.append(ProbeResult("cluster: quorum", ProbeStatus.PASS, f"quorate, {votes}"))
    else:
        out.append(ProbeResult("cluster: quorum", ProbeStatus.FAIL, f"NOT quorate, {votes}"))
    for link in view.links:
        if link.nodeid == me or link.state == "localhost":
            continue
        name = f"cluster: knet link {link.link} to {named.get(link.nodeid, link.nodeid)}"
        status = ProbeStatus.PASS if link.up else ProbeStatus.WARN
        out.append(ProbeResult(name, status, link.state))
    return out
