"""The next boot against what runs now: the boot model of a configuration
(``ifguard.config.boot``, ``bootpath``) compared with the running state (a ``NetState`` read
from the host), for ``plan`` and ``status``.

A reload leaves a running interface alone, so a file can differ from what runs in ways only
a reboot shows: an interface up now that nothing starts at boot, an OVS port ifupdown2 would
not add, a management path that would not come up. Pure functions; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from ifguard.config.boot import Graph, ovs_break
from ifguard.config.bootpath import BootPath, boot_path
from ifguard.config.model import Config
from ifguard.network.state import NetState


@dataclass(frozen=True)
class NextBoot:
    path: BootPath  # the management path at boot, and what cuts it
    differences: tuple[tuple[str, str], ...] = ()  # (interface, what differs from now)

    @property
    def cut(self) -> bool:
        """The next boot would not bring the management path up."""
        return not self.path.comes_up

    def lines(self) -> list[str]:
        """One line per finding, the cuts first: ``next boot: ...``."""
        out = [f"management path down: {b.message}" for b in self.path.breaks]
        on_path = set(self.path.interfaces)
        cut = {b.interface for b in self.path.breaks}
        out += [
            f"{name}: {what}" + (" (on the management path)" if name in on_path else "")
            for name, what in self.differences
            if name not in cut
        ]
        return out


def next_boot(
    config: Config,
    running: NetState | None = None,
    *,
    inventory: frozenset[str] | None = None,
    admin: tuple[str, str] | None = None,
) -> NextBoot:
    """The boot of ``config`` (``inventory``: the host's NICs; ``admin``: the SSH session's
    (client, server) addresses) and how it differs from ``running`` (None: not known)."""
    graph = Graph(config, inventory)
    path = boot_path(config, inventory, admin, graph)
    if running is None or running.source != "running":
        return NextBoot(path)
    differences: list[tuple[str, str]] = []
    # NICs of an OVS bond: Open vSwitch brings them up itself
    in_ovs_bonds = {m for n in graph.nodes.values() if n.kind == "ovs-bond" for m, _ in n.lowers}
    for name in sorted(running.ports):
        if name not in graph.stanzas or name == "lo" or name in in_ovs_bonds:
            continue
        broken = ovs_break(graph, name)
        if broken is not None:
            differences.append((name, f"runs now, but at boot: {broken.message}"))
        elif name not in graph.started and graph.declares_boot() and not graph.logical(name):
            differences.append(
                (name, f"runs now, but nothing brings it up at boot (no `auto {name}`)")
            )
    return NextBoot(path, tuple(differences))
