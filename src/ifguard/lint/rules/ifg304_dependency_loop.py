"""IFG304 dependency-loop."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.model import Interface
from ifguard.config.topology import edge_list, vlan_parent
from ifguard.lint.rules.base import Context, Finding, rule


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
