"""``ifguard plan``: what a reload would change, and whether it touches the management path.

Both sides are reduced to a ``NetState`` (one ``Port`` per interface: kind, master, members,
lower devices, addresses, gateways, VLAN/OVS tag, MTU). The "before" side is the running
state when a reader for it is available (``ifguard.network.readers``), else the current file; the
"after" side is always the candidate file. The *management path* is every interface that
carries the default route or the route back to the SSH client (``SSH_CONNECTION``), walked
down through VLANs, bridges and bonds to the physical NICs. Pure functions; no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ifguard.config.cluster import Cluster
from ifguard.network import cluster as cluster_links
from ifguard.network.nextboot import NextBoot
from ifguard.network.state import ManagementPath, NetState, management_path


@dataclass(frozen=True)
class Change:
    name: str
    what: str  # created, removed, kind, master, members, ...
    detail: str
    on_path: bool = False


@dataclass(frozen=True)
class Plan:
    before: NetState
    after: NetState
    changes: tuple[Change, ...]
    path_before: ManagementPath
    path_after: ManagementPath
    notes: tuple[str, ...] = field(default_factory=tuple)
    cluster: tuple[str, ...] = ()  # what the change does to corosync/Ceph links
    next_boot: tuple[str, ...] = ()  # how the candidate's next boot differs from now
    boot_cut: bool = False  # the candidate's boot would not bring the management path up

    @property
    def touches_management(self) -> bool:
        return (
            self.boot_cut
            or bool(self.cluster)
            or any(c.on_path for c in self.changes)
            or (set(self.path_before.interfaces) != set(self.path_after.interfaces))
        )


def _fmt(values: Iterable[str]) -> str:
    items = list(values)
    return " ".join(items) if items else "-"


def compare(
    before: NetState,
    after: NetState,
    *,
    ssh: tuple[str, str] | None = None,
    cluster: Cluster | None = None,
    boot: NextBoot | None = None,
) -> Plan:
    """``cluster``: the interfaces carrying corosync links and Ceph networks are management
    paths too; what the change does to them is named in ``Plan.cluster``."""
    path_b, path_a = management_path(before, ssh), management_path(after, ssh)
    on_path = set(path_b.interfaces) | set(path_a.interfaces)
    changes: list[Change] = []

    def add(name: str, what: str, detail: str, path: bool | None = None) -> None:
        changes.append(Change(name, what, detail, name in on_path if path is None else path))

    for name in sorted(set(before.ports) | set(after.ports)):
        old, new = before.ports.get(name), after.ports.get(name)
        if old is None and new is not None:
            add(name, "created", f"{new.kind}" + (f" in {new.master}" if new.master else ""))
            continue
        if new is None and old is not None:
            add(name, "removed", f"{old.kind}" + (f" (was in {old.master})" if old.master else ""))
            continue
        assert old is not None and new is not None
        if old.kind != new.kind:
            add(name, "kind", f"{old.kind} -> {new.kind}")
        if old.master != new.master:
            add(name, "moved", f"{old.master or '(none)'} -> {new.master or '(none)'}")
        gone = [m for m in old.members if m not in new.members]
        came = [m for m in new.members if m not in old.members]
        if gone or came:  # on the path only when a changed member is (not a new VLAN port)
            add(
                name,
                "members",
                " ".join([f"-{m}" for m in gone] + [f"+{m}" for m in came]),
                name in on_path and any(m in on_path for m in gone + came),
            )
        for what, a, b in (
            ("addresses", old.addresses, new.addresses),
            ("gateway", old.gateways, new.gateways),
        ):
            if set(a) != set(b) and not (before.source == "running" and new.dynamic):
                add(name, what, f"{_fmt(a)} -> {_fmt(b)}")
        for what, x, y in (("tag", old.tag, new.tag), ("mtu", old.mtu, new.mtu)):
            if x != y and not (before.source == "running" and y is None):
                add(name, what, f"{x or '-'} -> {y or '-'}")
    found = tuple(cluster_links.findings(cluster, before, after)) if cluster else ()
    return Plan(
        before,
        after,
        tuple(changes),
        path_b,
        path_a,
        cluster=found,
        next_boot=tuple(boot.lines()) if boot else (),
        boot_cut=boot.cut if boot else False,
    )


def render(plan: Plan, *, against: str) -> str:
    lines = [f"plan: candidate compared with the {against}"]
    lines.append(f"management path now:   {plan.path_before.describe()}")
    if set(plan.path_after.interfaces) != set(plan.path_before.interfaces):
        lines.append(f"management path after: {plan.path_after.describe()}")
    if not plan.changes:
        lines.append("no changes")
    for c in plan.changes:
        mark = "!" if c.on_path else " "
        lines.append(f" {mark} {c.name}: {c.what} {c.detail}")
    lines.extend(f" ! cluster: {finding}" for finding in plan.cluster)
    if plan.next_boot:
        mark = "!" if plan.boot_cut else " "
        lines.append(f" {mark} at the next boot:")
        lines.extend(f" {mark}   {line}" for line in plan.next_boot)
    if plan.touches_management:
        lines.append(
            "! = on the management path: this change can cut you off; apply asks "
            "for an explicit `ifguard confirm` (no auto-confirm)"
        )
    else:
        lines.append("the management path is untouched")
    lines.extend(plan.notes)
    return "\n".join(lines) + "\n"
