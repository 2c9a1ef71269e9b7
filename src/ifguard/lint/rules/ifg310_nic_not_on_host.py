"""IFG310 nic-not-on-host."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity, Span
from ifguard.config.model import Attribute, Config
from ifguard.config.topology import edge_list, looks_like_nic, vlan_parent
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.helpers import cuts, management

# Attributes that make a stanza create its interface (then its name is not a NIC's).
_CREATES = (
    "bridge-ports",
    "bond-slaves",
    "slaves",
    "bond-mode",
    "ovs-type",
    "vlan-raw-device",
    "link-type",
    "vxlan-id",
)


@rule("IFG310", "nic-not-on-host", Severity.WARNING)
def nic_not_on_host(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks the host's own configuration against its NICs (`/sys/class/net`; used for
    `ifguard lint` of the host or `--root`, for files given by path only with `--host-nics`
    or `--nics eno1,eno2`). Finds a stanza, a bond slave, a bridge port or a VLAN parent
    with a NIC name the host does not have, and names the NICs that appeared and that no
    stanza configures: the classic rename after a kernel or firmware update.

    ## Why is this bad?
    After an update renames `enp3s0` to `enp4s0`, the bridge comes up without its uplink
    and the host is unreachable, while the file looks exactly as it did yesterday.

    Severity by impact: an error when the missing NICs leave the management path (the
    interface with the default route, down to its NICs) with no uplink at boot (every member
    of the management bond, the management bridge's only port); a warning when something else
    still carries it (one of two bond members) or the NIC is off the path. NICs of a `--root`
    tree for a file given by path are only a hint: warnings (docs/boot.md).

    ## Example
    ```
    # this host's NICs (/sys/class/net): enp4s0
    iface enp3s0 inet manual
    iface vmbr0 inet static
        address 192.0.2.10/24
        bridge-ports enp3s0
    ```

    ## Use instead
    ```
    # this host's NICs (/sys/class/net): enp4s0
    iface enp4s0 inet manual
    iface vmbr0 inet static
        address 192.0.2.10/24
        bridge-ports enp4s0
    ```
    """
    nics = ctx.inventory
    if nics is None:
        return
    config = ctx.config
    missing: list[tuple[Span, str, str]] = []  # (where, name, what refers to it)
    creators = {i.name for i in config.interfaces if i.stanza == "iface" and _creates(i.attributes)}
    for iface in config.interfaces:
        if iface.stanza != "iface" or iface.name in nics or iface.name in creators:
            continue
        if looks_like_nic(iface.name):
            missing.append((iface.name_span, iface.name, "a stanza"))
        parent = vlan_parent(iface)
        if parent and looks_like_nic(parent[0]) and parent[0] not in nics:
            if parent[0] in creators:
                continue
            missing.append((iface.name_span, parent[0], f"the parent of VLAN `{iface.name}`"))
    for edge in edge_list(ctx.options, config):
        name = edge.member
        if name in nics or name in creators or not looks_like_nic(name):
            continue
        missing.append(
            (edge.attribute.span, name, f"`{edge.attribute.name}` of `{edge.master.name}`")
        )
    if not missing:
        return
    appeared = sorted(n for n in nics if looks_like_nic(n) and not _mentioned(config, n))
    hint = ""
    if appeared:
        listed = ", ".join(f"`{n}`" for n in appeared)
        it = "it" if len(appeared) == 1 else "them"
        hint = (
            f"; {listed} appeared on this host and no stanza configures {it} "
            "(renamed by a kernel or firmware update?)"
        )
    path = management(ctx)
    cut = {b.interface for b in path.breaks if b.kind == "missing-nic"}
    for span, name, what in missing:
        message = f"`{name}` ({what}) is not a network interface of this host{hint}"
        if name in cut:
            yield Finding(span, message + cuts(path), severity=Severity.ERROR)
        else:
            yield Finding(span, message)


def _creates(attributes: tuple[Attribute, ...]) -> bool:
    return any(a.key in _CREATES for a in attributes)


def _mentioned(config: Config, name: str) -> bool:
    """Whether any stanza or attribute of the configuration names ``name``."""
    for iface in config.interfaces:
        if iface.name == name or iface.name.startswith(name + "."):
            return True
        if any(name in a.value.split() for a in iface.attributes):
            return True
    return False
