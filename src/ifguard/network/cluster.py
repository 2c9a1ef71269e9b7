"""Cluster links as management paths: which interface carries each corosync link to each peer
and each Ceph network, what a change does to them, and whether the peers still answer over
the right interface. Pure functions over ``Cluster`` (``ifguard.config.cluster``) and
``NetState``; the probe takes a ``Net``.

A corosync link N of this node is the interface holding this node's ``ringN_addr`` (else the
one whose subnet holds the peer's address); a Ceph network is the interface with an address in
it. Losing one of them is not losing SSH, but on an HA cluster it fences the node.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from ifguard.config.cluster import Cluster, read_cluster
from ifguard.config.model import Config
from ifguard.config.ondisk import config_on_disk
from ifguard.network.netprobe import Net
from ifguard.network.probe_report import ProbeResult, ProbeStatus
from ifguard.network.state import NetState, Port, state_from_config
from ifguard.system.root import Root

# HA: the watchdog resets a node ~60 s after it loses quorum (pve-ha-manager's fence delay);
# a change is capped so that reload + probes + rollback reload end well inside that.
FENCE_WINDOW_S = 60.0
HA_MAX_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class ClusterLink:
    label: str  # "corosync link 0 to pve2", "ceph public network 10.0.0.0/24"
    local: str | None  # this node's address on it, if known
    peer: str | None  # an address to probe (peer link address, a monitor)
    interface: str | None  # the interface carrying it in this state (None: none does)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _holding(state: NetState, ip: str) -> Port | None:
    want = _ip(ip)
    for port in state.ports.values():
        for cidr in port.addresses:
            try:
                if ipaddress.ip_interface(cidr).ip == want:
                    return port
            except ValueError:
                continue
    return None


def _on_link(state: NetState, ip: str) -> Port | None:
    want = _ip(ip)
    if want is None:
        return None
    for port in state.ports.values():
        for cidr in port.addresses:
            try:
                if want in ipaddress.ip_interface(cidr).network:
                    return port
            except ValueError:
                continue
    return None


def links(cluster: Cluster, state: NetState) -> list[ClusterLink]:
    """Every corosync link to every peer and every Ceph network, with its interface here."""
    found: list[ClusterLink] = []
    me = cluster.node(cluster.local)
    mine = dict(me.links) if me else {}
    for node in cluster.peers:
        for number, address in node.links:
            local = mine.get(number)
            port = (_holding(state, local) if local else None) or _on_link(state, address)
            found.append(
                ClusterLink(
                    f"corosync link {number} to {node.name}",
                    local,
                    address if _ip(address) else None,
                    port.name if port else None,
                )
            )
    for kind, network in cluster.ceph_networks:
        net = ipaddress.ip_network(network)
        carrier: Port | None = None
        local = None
        for candidate in state.ports.values():
            for cidr in candidate.addresses:
                try:
                    here = ipaddress.ip_interface(cidr).ip
                except ValueError:
                    continue
                if here in net:
                    carrier, local = candidate, str(here)
                    break
            if carrier:
                break
        mon = next(
            (m for m in cluster.ceph_mons if (a := _ip(m)) is not None and a in net and m != local),
            None,
        )
        found.append(
            ClusterLink(
                f"ceph {kind} network {network}", local, mon, carrier.name if carrier else None
            )
        )
    return found


def carriers(cluster: Cluster, state: NetState) -> dict[str, list[str]]:
    """interface -> the cluster links it carries."""
    out: dict[str, list[str]] = {}
    for link in links(cluster, state):
        if link.interface:
            out.setdefault(link.interface, []).append(link.label)
    return out


def findings(cluster: Cluster, before: NetState, after: NetState) -> list[str]:
    """What a change does to the cluster links that work now, in words, e.g. "corosync link
    0 to pve2 goes over vlan1001: this change removes its address"."""
    out: list[str] = []
    after_links = {x.label: x for x in links(cluster, after)}
    after_ips = {a.split("/")[0] for p in after.ports.values() for a in p.addresses}
    for link in links(cluster, before):
        if link.interface is None:
            continue
        new = after_links.get(link.label)
        old_port = before.ports.get(link.interface)
        new_port = after.ports.get(link.interface)
        head = f"{link.label} goes over {link.interface}"
        if new_port is None:
            out.append(f"{head}: this change removes {link.interface}")
        elif (link.local and link.local not in after_ips) or new is None or not new.interface:
            out.append(
                f"{head}: this change removes its address"
                + (f" {link.local}" if link.local else "")
            )
        elif new.interface != link.interface:
            out.append(f"{head}: this change moves it to {new.interface}")
        elif old_port is not None and _changed(old_port, new_port):
            out.append(f"{head}: this change modifies {link.interface}")
    return out


def _changed(old: Port, new: Port) -> bool:
    return (old.master, old.tag, old.lower, old.kind) != (new.master, new.tag, new.lower, new.kind)


def probe_peers(cluster: Cluster, state: NetState, net: Net, timeout: float) -> list[ProbeResult]:
    """Each peer address answers over the interface that should carry its link: ARP on that
    interface when the peer is on-link (proves the path, not just any route), else ping. A
    peer that could not be asked is a warning (the change is not held against it)."""
    checks: list[ProbeResult] = []
    # one question per peer and path: (answer, how it was asked)
    asked: dict[tuple[str, str, bool], tuple[bool | None, str]] = {}
    for link in links(cluster, state):
        if link.peer is None:
            continue
        name = f"cluster: {link.label} ({link.peer})"
        if link.interface is None:
            checks.append(ProbeResult(name, ProbeStatus.FAIL, "no interface carries it"))
            continue
        if link.local and _holding(state, link.local) is None:
            gone = f"this node's address {link.local} is gone"
            checks.append(ProbeResult(name, ProbeStatus.FAIL, gone))
            continue
        port = state.ports.get(link.interface)
        on_link = port is not None and _on_link(NetState({port.name: port}), link.peer)
        key = (link.interface, link.peer, bool(on_link))
        if key not in asked:
            arp = net.arp(link.interface, link.peer, timeout) if on_link else None
            # ARP that cannot be tried (a sandbox without AF_PACKET) falls back to ping
            asked[key] = (arp, "ARP") if arp is not None else (net.ping(link.peer, timeout), "ping")
        answer, method = asked[key]
        how = f"{method} via {link.interface}"
        if answer is None:
            checks.append(ProbeResult(name, ProbeStatus.WARN, f"{how}: could not be tried"))
        elif answer:
            checks.append(ProbeResult(name, ProbeStatus.PASS, f"{how}: answers"))
        else:
            checks.append(ProbeResult(name, ProbeStatus.FAIL, f"{how}: silent"))
    return checks


def cap_timeout(cluster: Cluster, timeout: float) -> tuple[float, str | None]:
    """With HA resources, the confirm deadline must end well inside the fencing window."""
    if cluster.ha_resources <= 0 or timeout <= HA_MAX_TIMEOUT_S:
        return timeout, None
    return HA_MAX_TIMEOUT_S, (
        f"HA resources configured ({cluster.ha_resources} in /etc/pve/ha/resources.cfg): "
        f"--timeout {timeout:g} capped to {HA_MAX_TIMEOUT_S:g} s (a node that loses quorum is "
        f"fenced about {FENCE_WINDOW_S:g} s later; the rollback must finish before that)"
    )


def cluster_of(root: Root, config: Config | None = None) -> Cluster:
    """The cluster files under ``root``; this node is told by its configured addresses."""
    config = config if config is not None else config_on_disk(root)
    mine = frozenset(
        a.split("/")[0] for p in state_from_config(config).ports.values() for a in p.addresses
    )
    return read_cluster(root, mine)
