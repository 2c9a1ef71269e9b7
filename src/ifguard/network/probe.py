"""Health probes (``ifguard probe``, and what ``apply``/``watch`` decide on): which checks run
and how. The results are ``probe_report.ProbeResult``s; retrying until green after a reload is
the transaction's policy (``ifguard.apply.probes``), not this module's.

Which checks run follows the configuration's *management path* (``management_path``):
carrier of its physical NICs, the members of its bonds (Linux or OVS) and their LACP state
when LACP is configured, its addresses, the default route, the gateway answering ARP or
ICMP, then user targets. State checks read one ``readers.Runtime`` snapshot; network checks
go through a ``netprobe.Net`` and run concurrently, each bounded by ``timeout``.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from ifguard.config.model import Config
from ifguard.config.topology import ovs_options
from ifguard.network.netprobe import CannotProbe, Net
from ifguard.network.probe_report import ProbeReport, ProbeResult, ProbeStatus
from ifguard.network.readers.types import Bond, BondMember, Runtime
from ifguard.network.state import ManagementPath, NetState, management_path, state_from_config


def _is_ipv6(text: str) -> bool:
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def parse_target(text: str) -> tuple[str, str, int | None]:
    """``HOST`` (ICMP), ``HOST:PORT`` / ``[V6]:PORT`` (TCP), or the explicit ``ping:HOST`` /
    ``tcp:HOST:PORT``. Raises ValueError."""
    if text.startswith("ping:") and len(text) > 5:
        return "ping", text[5:].strip("[]"), None
    body = text[4:] if text.startswith("tcp:") else text
    if body.startswith("["):
        host, _, rest = body[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    elif body.count(":") == 1:
        host, _, port = body.partition(":")
        if not port:
            raise ValueError(f"missing port in probe target {text!r}")
    else:
        host, port = body, ""
        if ":" in host and not _is_ipv6(host):
            raise ValueError(
                f"bad probe target {text!r} (an IPv6 address with a port is written [ADDRESS]:PORT)"
            )
    if not host or (text.startswith("tcp:") and not port):
        raise ValueError(f"bad probe target {text!r} (expected HOST, HOST:PORT or [V6]:PORT)")
    if not port:
        return "ping", host, None
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"bad port in probe target {text!r}")
    return "tcp", host, int(port)


def check_targets(targets: Sequence[str]) -> None:
    """Validate command-line probe targets: a bad one is a usage error (exit 2)."""
    from ifguard.system.errors import UsageError

    for text in targets:
        try:
            parse_target(text)
        except ValueError as exc:
            raise UsageError(str(exc)) from None


def _lacp_wanted(config: Config, name: str) -> bool:
    iface = config.iface(name)
    if iface is None:
        return False
    if ovs_options(iface).get("lacp", "off") in ("active", "passive"):
        return True
    return (iface.get("bond-mode") or "").lower() in ("802.3ad", "4")


def _bond_result(
    name: str, bond: Bond | None, want_lacp: bool, rt: Runtime, configured: Sequence[str]
) -> ProbeResult:
    label = f"bond {name} members"
    if bond is None:
        if rt.ovs.status != "ok" and rt.ovs.status != "not installed":
            return ProbeResult(label, ProbeStatus.ERROR, f"Open vSwitch is {rt.ovs.status}")
        # a reader that could not run is no evidence the bond is gone: cannot check
        unread = [e for e in rt.errors if f"bonding/{name}:" in e or e.startswith("netlink:")]
        if unread:
            return ProbeResult(label, ProbeStatus.ERROR, "; ".join(unread))
        return ProbeResult(label, ProbeStatus.FAIL, "bond not found (not created, or removed)")
    up = [m.name for m in bond.members if m.up]
    down = [m.name for m in bond.members if not m.up]
    missing = [m for m in configured if m not in {b.name for b in bond.members}]
    # LACP negotiated for the bond, but not on one of its up members: that member carries no
    # traffic (the redundancy is gone), a warning like a member down
    unnegotiated = [
        m.name for m in bond.members if want_lacp and m.up and not _member_lacp_ok(bond.kind, m)
    ]
    if want_lacp and bond.lacp != "negotiated":
        return ProbeResult(
            label, ProbeStatus.FAIL, f"LACP {bond.lacp} (no partner): traffic does not flow"
        )
    if not up:
        return ProbeResult(
            label, ProbeStatus.FAIL, f"no member up (down: {' '.join(down) or 'none'})"
        )
    detail = (
        f"up: {' '.join(up)}"
        + (f"; down: {' '.join(down)}" if down else "")
        + (f"; not in bond: {' '.join(missing)}" if missing else "")
        + (f"; LACP {bond.lacp}" if want_lacp else "")
        + (f"; LACP not negotiated on: {' '.join(unnegotiated)}" if unnegotiated else "")
    )
    degraded = down or missing or unnegotiated
    return ProbeResult(label, ProbeStatus.WARN if degraded else ProbeStatus.PASS, detail)


def _member_lacp_ok(kind: str, member: BondMember) -> bool:
    """A member's own LACP state: OVS ``lacp/show`` says "current attached" when negotiated
    ("defaulted"/"expired", "detached" otherwise); Linux bonding gives the partner's MAC
    (all zeros: no partner). Unknown counts as negotiated."""
    state = (member.lacp or "").strip()
    if not state:
        return True
    if kind == "ovs":
        words = state.split()
        return "current" in words and "attached" in words
    return state != "00:00:00:00:00:00"


def state_checks(
    config: Config, rt: Runtime, path: ManagementPath, state: NetState
) -> Iterator[ProbeResult]:
    if rt.errors and not rt.links:
        yield ProbeResult("running state", ProbeStatus.ERROR, "; ".join(rt.errors))
        return
    in_bond: set[str] = set()
    for name in path.interfaces:
        port = state.ports.get(name)
        if port and port.kind in ("bond", "ovs-bond"):
            in_bond.update(port.members)
            yield _bond_result(name, rt.bond(name), _lacp_wanted(config, name), rt, port.members)
    for nic in path.nics:
        if nic in in_bond:
            continue
        link = rt.links.get(nic)
        if link is None:
            yield ProbeResult(f"carrier {nic}", ProbeStatus.FAIL, "no such device")
        else:
            ok = link.up and link.carrier
            yield ProbeResult(
                f"carrier {nic}",
                ProbeStatus.PASS if ok else ProbeStatus.FAIL,
                ""
                if ok
                else f"{'up' if link.up else 'admin down'}, "
                f"{'carrier' if link.carrier else 'no carrier'}",
            )
    for root in path.roots:
        port = state.ports[root]
        link = rt.links.get(root)
        have = set(link.addresses) if link else set()
        for address in port.addresses:
            yield ProbeResult(
                f"address {address} on {root}",
                ProbeStatus.PASS if address in have else ProbeStatus.FAIL,
                "" if link else f"{root} does not exist",
            )
        for gw in port.gateways:
            routes = [r for r in rt.defaults() if r.gateway == gw]
            if not routes:
                yield ProbeResult(f"default route via {gw}", ProbeStatus.FAIL, "absent")
            elif all(r.dev != root for r in routes):
                yield ProbeResult(
                    f"default route via {gw}",
                    ProbeStatus.FAIL,
                    f"goes out {routes[0].dev}, configured on {root}",
                )
            else:
                yield ProbeResult(f"default route via {gw}", ProbeStatus.PASS, f"dev {root}")


def _timed(name: str, fn: Callable[[], tuple[ProbeStatus, str]]) -> ProbeResult:
    start = time.monotonic()
    try:
        status, detail = fn()
    except Exception as exc:  # a probe that crashes says so, it does not pass
        status, detail = ProbeStatus.ERROR, f"{type(exc).__name__}: {exc}"
    return ProbeResult(name, status, detail, round(time.monotonic() - start, 3))


def _gateway(net: Net, dev: str | None, gw: str, timeout: float) -> tuple[ProbeStatus, str]:
    """ARP first, ICMP echo when ARP is silent or cannot be tried (a sandbox without
    AF_PACKET); a failure only when a method that ran heard nothing, "cannot check" (error)
    when neither could run."""
    arp = net.arp(dev, gw, timeout) if dev and ":" not in gw else None
    if arp:
        return ProbeStatus.PASS, "answers ARP"
    ping = net.ping(gw, timeout)
    if ping:
        return ProbeStatus.PASS, "answers ICMP echo" + ("" if arp is None else ", not ARP")
    if arp is None and ping is None:
        return ProbeStatus.ERROR, "could not send ARP or ICMP (permission? no ping?)"
    if arp is None:
        return ProbeStatus.FAIL, "no ICMP reply (ARP could not be tried)"
    return ProbeStatus.FAIL, "no ARP reply" if ping is None else "no ARP or ICMP reply"


def _target(net: Net, text: str, timeout: float) -> tuple[ProbeStatus, str]:
    kind, host, port = parse_target(text)
    if kind == "ping":
        ok = net.ping(host, timeout)
        return (
            (ProbeStatus.ERROR, "ping could not run")
            if ok is None
            else ((ProbeStatus.PASS, "") if ok else (ProbeStatus.FAIL, "no reply"))
        )
    assert port is not None
    try:
        error = net.tcp(host, port, timeout)
    except CannotProbe as exc:
        return ProbeStatus.ERROR, str(exc)
    return (ProbeStatus.PASS, "") if error is None else (ProbeStatus.FAIL, error)


def run_probes(
    config: Config,
    rt: Runtime,
    net: Net,
    *,
    targets: Sequence[str] = (),
    ssh: tuple[str, str] | None = None,
    timeout: float = 2.0,
) -> ProbeReport:
    state = state_from_config(config)
    path = management_path(state, ssh)
    results = list(state_checks(config, rt, path, state))
    if not path.roots:
        results.append(
            ProbeResult(
                "management path",
                ProbeStatus.SKIP,
                "no default gateway or SSH address in the configuration",
            )
        )
    jobs: list[tuple[str, Callable[[], tuple[ProbeStatus, str]]]] = []
    for root in path.roots:
        for gw in state.ports[root].gateways:
            dev = next((r.dev for r in rt.defaults() if r.gateway == gw), root)
            jobs.append((f"gateway {gw} reachable", partial(_gateway, net, dev, gw, timeout)))
    for text in targets:
        jobs.append((f"target {text}", partial(_target, net, text, timeout)))
    if jobs:
        with ThreadPoolExecutor(max_workers=min(8, len(jobs))) as pool:
            results.extend(pool.map(lambda job: _timed(*job), jobs))
    return ProbeReport(tuple(results))
