"""IFG301 undefined-interface."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.schema import _distance
from ifguard.config.topology import defined_names, edge_list, looks_like_nic, looks_virtual
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
