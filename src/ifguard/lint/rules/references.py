"""IFG301–IFG305: names that point nowhere, interfaces claimed twice, loops, repeats."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Edit, Fix, Severity
from ifguard.config.model import Interface
from ifguard.config.schema import _distance
from ifguard.config.topology import (
    Edge,
    defined_names,
    edge_list,
    looks_like_nic,
    looks_virtual,
    ovs_type,
    vlan_parent,
)
from ifguard.lint.classify import embedded_output
from ifguard.lint.rules.base import Context, Finding, rule


def _shape(name: str) -> str:
    return "".join(c for c in name if not c.isdigit())


def _close(name: str, candidates: frozenset[str]) -> str | None:
    """A defined name ``name`` is a typo of: one edit away, and not merely another number
    (`eth1` is not a typo of `eth0`, `enp010` is one of `enp0s10`)."""
    if len(name) <= 3:
        return None
    near = sorted(c for c in candidates if _distance(name, c) == 1 and _shape(c) != _shape(name))
    return near[0] if near else None


def _in_glued_output(value: str, name: str) -> bool:
    at = embedded_output(value) if ": <" in value else None
    return at is not None and name in value[at:].split()


@rule("IFG301", "undefined-interface", Severity.WARNING)
def undefined_interface(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds bond slaves, bridge ports and OVS ports that no stanza defines: virtual names
    (`bond1`, `vmbr2`, `eth0.100`) and OVS ports always, NIC names when they look like a typo
    of a defined interface. Names of this host's NICs (when its inventory is used) are
    fine; a NIC name the host does not have is IFG310's.

    ## Why is this bad?
    The bond comes up without that slave, or the bridge without its uplink: the host loses
    the path the configuration promised, and nothing says so at reload time.

    ## Example
    ```
    iface vmbr0 inet manual
        bridge-ports bond1
    ```

    ## Use instead
    ```
    iface bond1 inet manual
        bond-slaves eno1 eno2
    iface vmbr0 inet manual
        bridge-ports bond1
    ```
    """
    defined = defined_names(ctx.config)
    nics = ctx.inventory
    for edge in edge_list(ctx.options, ctx.config):
        name = edge.member
        if name in defined or (nics is not None and name in nics):
            continue
        if _in_glued_output(edge.attribute.value, name):
            continue  # IFG101 reports the pasted output once
        typo = _close(name, defined)
        where = f"`{edge.attribute.name}` of `{edge.master.name}`"
        if nics is not None and not typo and looks_like_nic(name):
            continue  # IFG310: a NIC this host does not have
        if typo:
            yield Finding(
                edge.attribute.span, f"`{name}` in {where} is not defined; did you mean `{typo}`?"
            )
        elif looks_virtual(name) or edge.relation == "ovs-bridge":
            yield Finding(
                edge.attribute.span, f"`{name}` in {where} has no stanza: nothing creates it"
            )


@rule("IFG302", "conflicting-duplicate-interface", Severity.ERROR)
def duplicate_interface(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds the same interface defined twice for the same address family where the two
    stanzas cannot both apply: a Linux bond and an OVS bond, two `ovs_type`s or two
    `ovs_bridge`s (errors). Two IPv4 methods that both configure addresses (`static` and
    `dhcp`) are a warning. Repeating a stanza is otherwise legal and not reported: every
    stanza of an interface is applied (`inet6 static` + `inet6 auto` is a static address
    plus SLAAC; a `manual` stanza beside a `static` one adds nothing).

    ## Why is this bad?
    ifupdown2 and ifupdown-ng merge the stanzas into one interface with both sets of
    options: an interface cannot be a Linux bond and an OVS bond, nor sit on two OVS
    bridges, so the result is neither of the two things you wrote.

    ## Example
    ```
    iface bond0 inet manual
        ovs_type OVSBond
        ovs_bridge vmbr0
    iface bond0 inet manual
        ovs_type OVSBond
        ovs_bridge vmbr1
    ```

    ## Use instead
    ```
    iface bond0 inet manual
        ovs_type OVSBond
        ovs_bridge vmbr0
    ```
    """
    for name, stanzas in ctx.config.by_name.items():
        ifaces = [i for i in stanzas if i.stanza == "iface"]
        seen: dict[str, Interface] = {}
        for iface in ifaces:
            family = iface.family or "inet"
            first = seen.get(family)
            if first is None:
                seen[family] = iface
                continue
            conflict = _conflict(first, iface)
            if conflict:
                yield Finding(
                    iface.span,
                    f"`{name}` ({family}) is defined again (first at line "
                    f"{first.line.lineno}) and the two cannot both apply: {conflict}",
                )
                continue
            methods = _surprising_methods(family, first, iface)
            if methods:
                yield Finding(
                    iface.span,
                    f"`{name}` ({family}) is defined again (first at line "
                    f"{first.line.lineno}): both stanzas apply, {methods}",
                    severity=Severity.WARNING,
                )


# Methods that configure an address themselves; `manual` and friends add nothing to another.
_ADDRESSING = frozenset({"static", "dhcp", "bootp", "ppp", "loopback", "tunnel", "v4tunnel"})


def _surprising_methods(family: str, a: Interface, b: Interface) -> str:
    """Two stanzas of one family whose methods both configure addresses (IPv4 `static` and
    `dhcp`); IPv6 `static` + `auto`/`dhcp` is the ordinary static address plus SLAAC."""
    ma, mb = a.method, b.method
    if not ma or not mb or ma == mb or family == "inet6":
        return ""
    if ma in _ADDRESSING and mb in _ADDRESSING:
        return f"so the interface gets `{ma}` and `{mb}` addressing at once"
    return ""


def _conflict(a: Interface, b: Interface) -> str:
    ta, tb = ovs_type(a), ovs_type(b)
    if ta and tb and ta != tb:
        return f"ovs_type `{ta}` vs `{tb}`"
    linux_bond = [i for i in (a, b) if i.get("bond-slaves") or i.get("slaves")]
    if linux_bond and (ta == "OVSBond" or tb == "OVSBond"):
        return "a Linux bond and an OVS bond with the same name"
    ba, bb = a.get("ovs-bridge"), b.get("ovs-bridge")
    if ba and bb and ba != bb:
        return f"ovs_bridge `{ba}` vs `{bb}`"
    return ""


@rule("IFG303", "enslaved-twice", Severity.ERROR)
def enslaved_twice(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds an interface claimed by two masters: two bonds, two bridges, a bond and a bridge,
    two OVS bridges, or an OVS bond member that is also listed as a bridge port.

    ## Why is this bad?
    A port can have only one master. Whichever is brought up last steals it from the other,
    so which path works depends on the order of a reload.

    ## Example
    ```
    iface bond0 inet manual
        bond-slaves eno1 eno2
    iface vmbr0 inet manual
        bridge-ports eno1
    ```

    ## Use instead
    ```
    iface bond0 inet manual
        bond-slaves eno1 eno2
    iface vmbr0 inet manual
        bridge-ports bond0
    ```
    """
    owners: dict[tuple[str, bool], Edge] = {}
    int_ports = {i.name for i in ctx.config.interfaces if ovs_type(i) == "OVSIntPort"}
    for edge in edge_list(ctx.options, ctx.config):
        ovs_side = edge.relation.startswith("ovs")
        # An OVS internal port is an interface of its own: a Linux bridge may enslave it.
        key = (edge.member, ovs_side if edge.member in int_ports else False)
        first = owners.get(key)
        if first is None:
            owners[key] = edge
        elif first.master.name != edge.master.name and {first.relation, edge.relation} != {
            "ovs-bond",
            "ovs-bridge",
        }:  # IFG502's case
            yield Finding(
                edge.attribute.span,
                f"`{edge.member}` is claimed by `{edge.master.name}`"
                f" ({edge.attribute.name}) and already by `{first.master.name}` "
                f"({first.attribute.name}, line {first.attribute.line.lineno})",
            )


@rule("IFG304", "dependency-loop", Severity.ERROR)
def dependency_loop(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds interfaces that depend on each other in a circle through bond slaves, bridge
    ports, OVS ports, VLAN parents or ifupdown-ng `requires`.

    ## Why is this bad?
    Nothing in the circle can be brought up first: ifup reports a dependency loop and
    leaves all of them down.

    ## Example
    ```
    iface br0
        bridge-ports br1
    iface br1
        bridge-ports br0
    ```

    ## Use instead
    ```
    iface br0
        bridge-ports eth0
    iface br1
        bridge-ports eth1
    ```
    """
    graph: dict[str, set[str]] = {}
    where: dict[str, Interface] = {}
    for edge in edge_list(ctx.options, ctx.config):
        graph.setdefault(edge.master.name, set()).add(edge.member)
        where.setdefault(edge.master.name, edge.master)
    raw_device = {id(i) for i, _ in ctx.attrs("vlan-raw-device")}
    requires = {id(i) for i, _ in ctx.attrs("requires")}
    for iface in ctx.config.interfaces:
        if "." not in iface.name and id(iface) not in raw_device and id(iface) not in requires:
            continue
        parent = vlan_parent(iface)
        needs = iface.words("requires") + ([parent[0]] if parent else [])
        if needs:
            graph.setdefault(iface.name, set()).update(needs)
            where.setdefault(iface.name, iface)
    reported: set[frozenset[str]] = set()
    for cycle in _cycles(graph):
        key = frozenset(cycle)
        if key in reported:
            continue
        reported.add(key)
        iface = where[cycle[0]]
        yield Finding(iface.span, "dependency loop: " + " -> ".join([*cycle, cycle[0]]))


def _cycles(graph: dict[str, set[str]]) -> Iterator[list[str]]:
    """Iterative DFS; yields each back edge's cycle once."""
    state: dict[str, int] = {}
    for start in sorted(graph):
        if state.get(start):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph.get(start, ()))))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
            elif state.get(child) == 1:
                yield path[path.index(child) :]
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(graph.get(child, ())))))


@rule("IFG305", "duplicate-auto", Severity.WARNING, fixable=True)
def duplicate_auto(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds an interface named on `auto` (or `allow-auto`) lines more than once.

    ## Why is this bad?
    Harmless to ifup, but it is the trace of two edits of the same interface, often one
    half-reverted. The fix removes the repeat.

    ## Example
    ```
    auto eth0
    auto eth0
    iface eth0 inet dhcp
    ```

    ## Use instead
    ```
    auto eth0
    iface eth0 inet dhcp
    ```
    """
    seen: set[str] = set()
    for st in ctx.config.statements:
        if st.keyword not in ("auto", "allow-auto"):
            continue
        names = list(st.arguments)
        fresh: list[str] = []
        dups: list[str] = []
        for n in names:
            (dups if n in seen else fresh).append(n)
            seen.add(n)
        if not dups:
            continue
        doc, line = st.document, st.line
        body_end = line.start + len(line.body)
        if fresh:
            replacement = (
                line.raw[: len(line.raw) - len(line.raw.lstrip(" \t"))]
                + f"{st.keyword} {' '.join(fresh)}"
            )
            fix = Fix(
                "drop the repeated name(s)", (Edit(doc.path, line.start, body_end, replacement),)
            )
        else:
            fix = Fix("remove the repeated auto line", (Edit(doc.path, line.start, line.end, ""),))
        yield Finding(doc.line_span(line), f"`{' '.join(dups)}` is already marked `auto`", fix)
