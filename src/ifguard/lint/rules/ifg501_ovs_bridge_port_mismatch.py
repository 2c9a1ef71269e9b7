"""IFG501 ovs-bridge-port-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.topology import member_names, ovs_type
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.helpers import ovs_stanzas


@rule("IFG501", "ovs-bridge-port-mismatch", Severity.ERROR)
def ovs_bridge_port_mismatch(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks both directions of OVS membership: a port's `ovs_bridge` must be an `OVSBridge`
    that lists the port in `ovs_ports`, and every stanza a bridge lists must point back with
    `ovs_bridge`. (A bridge defined in another file is not judged.)

    ## Why is this bad?
    ifupdown's OVS integration adds ports from the bridge's `ovs_ports` and creates them from
    the port's stanza. When the two disagree the port is never added (or added to another
    bridge), and the VLAN or uplink it carries is gone after the next reload.

    ## Example
    ```
    iface vmbr0 inet manual
        ovs_type OVSBridge
        ovs_ports eth0
    iface eth1 inet manual
        ovs_type OVSPort
        ovs_bridge vmbr0
    ```

    ## Use instead
    ```
    iface vmbr0 inet manual
        ovs_type OVSBridge
        ovs_ports eth1
    iface eth1 inet manual
        ovs_type OVSPort
        ovs_bridge vmbr0
    ```
    """
    ovs = ovs_stanzas(ctx)
    bridges = {i.name: i for i in ovs if ovs_type(i) in ("OVSBridge", "OVSUserspaceBridge")}
    listed: dict[str, set[str]] = {
        name: {n for a in br.find("ovs-ports") for n in member_names(a)}
        for name, br in bridges.items()
    }
    for iface in ovs:
        if iface.name in bridges:
            continue
        for attr in iface.find("ovs-bridge"):
            target = attr.value.split()[0] if attr.value.split() else ""
            if target not in bridges:
                other = ctx.config.iface(target)
                # Undefined or without ovs_type: it may be completed in another file.
                if other is not None and ovs_type(other) is not None:
                    yield Finding(
                        attr.span,
                        f"`{iface.name}` names `{target}` as its OVS "
                        "bridge, but that stanza is not an OVSBridge",
                    )
            elif iface.name not in listed[target]:
                yield Finding(
                    attr.span,
                    f"`{iface.name}` says `ovs_bridge {target}`, but "
                    f"`{target}`'s `ovs_ports` does not list it",
                )
    for name, br in bridges.items():
        for attr in br.find("ovs-ports"):
            for port in member_names(attr):
                stanzas = [i for i in ctx.config.by_name.get(port, ()) if i.stanza == "iface"]
                targets = {
                    v.split()[0] for i in stanzas if (v := i.get("ovs-bridge")) and v.split()
                }
                if targets and name not in targets:
                    yield Finding(
                        attr.span,
                        f"`{name}` lists `{port}` in `ovs_ports`, but "
                        f"`{port}` says `ovs_bridge {sorted(targets)[0]}`",
                    )
