"""IFG240 invalid-ovs-option."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.topology import ovs_type, parse_ovs_options
from ifguard.lint.rules.base import Context, Finding, rule

_PORT_KEYS = frozenset(
    {
        "tag",
        "trunks",
        "vlan_mode",
        "qos",
        "mac",
        "fake_bridge",
        "cvlans",
        "protected",
        "bond_fake_iface",
        "rstp_enable",
    }
)
_BOND_KEYS = _PORT_KEYS | {
    "bond_mode",
    "lacp",
    "bond_updelay",
    "bond_downdelay",
    "bond_active_slave",
    "bond_active_member",
}
_BRIDGE_KEYS = frozenset(
    {
        "stp_enable",
        "rstp_enable",
        "fail_mode",
        "protocols",
        "mcast_snooping_enable",
        "datapath_type",
        "flood_vlans",
        "auto_attach",
        "netflow",
        "sflow",
        "ipfix",
        "mirrors",
    }
)
_MAPS = frozenset({"other_config", "external_ids", "options", "status"})
KEYS: dict[str, frozenset[str]] = {
    "OVSBond": _BOND_KEYS,
    "OVSDPDKBond": _BOND_KEYS,
    "OVSPort": _PORT_KEYS,
    "OVSIntPort": _PORT_KEYS,
    "OVSPatchPort": _PORT_KEYS,
    "OVSTunnel": _PORT_KEYS,
    "OVSDPDKPort": _PORT_KEYS,
    "OVSBridge": _BRIDGE_KEYS,
    "OVSUserspaceBridge": _BRIDGE_KEYS,
}
CHOICES: dict[str, frozenset[str]] = {
    "bond_mode": frozenset({"active-backup", "balance-slb", "balance-tcp"}),
    "lacp": frozenset({"active", "passive", "off"}),
    "vlan_mode": frozenset({"access", "trunk", "native-tagged", "native-untagged", "dot1q-tunnel"}),
    "fail_mode": frozenset({"standalone", "secure"}),
    "stp_enable": frozenset({"true", "false"}),
    "rstp_enable": frozenset({"true", "false"}),
}


def _vlan_ok(text: str) -> bool:
    return text.isdigit() and 0 <= int(text) <= 4095


def _problem(kind: str, key: str, val: str) -> tuple[Severity, str] | None:
    column = key.split(":", 1)[0]
    if ":" in key:
        if column not in _MAPS:
            return Severity.WARNING, f"`{key}`: `{column}` is not a map column of OVS"
        return None
    if key not in KEYS.get(kind, frozenset()):
        return Severity.WARNING, f"`{key}` is not an option OVS knows for an {kind}"
    if not val:
        return Severity.ERROR, f"`{key}` has no value (write `{key}=VALUE`)"
    choices = CHOICES.get(key)
    if choices is not None and val not in choices:
        return Severity.ERROR, f"`{key}={val}`: expected one of {', '.join(sorted(choices))}"
    if key == "tag" and not _vlan_ok(val):
        return Severity.ERROR, f"`tag={val}` is not a VLAN id (0-4095)"
    if key == "trunks" and not all(_vlan_ok(v) for v in val.strip("[]").split(",")):
        return Severity.ERROR, f"`trunks={val}` is not a comma-separated list of VLAN ids"
    return None


@rule("IFG240", "invalid-ovs-option", Severity.ERROR)
def invalid_ovs_option(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Parses `ovs_options` into `key=value` pairs and checks them against the stanza's
    `ovs_type`: `bond_mode` (active-backup, balance-slb, balance-tcp) and `lacp` (active,
    passive, off) on bonds, `tag`/`trunks`/`vlan_mode` on ports, bridge options on bridges.
    Unknown keys are warnings; bad values are errors.

    ## Why is this bad?
    ifupdown hands the string to `ovs-vsctl`, which rejects the whole command on one bad
    value: the bond or port is created without any of its options (no LACP, no VLAN tag),
    or not at all.

    ## Example
    ```
    iface bond0 inet manual
        ovs_type OVSBond
        ovs_bridge vmbr0
        ovs_bonds eno1 eno2
        ovs_options bond_mode=balance_tcp lacp=active
    ```

    ## Use instead
    ```
    iface bond0 inet manual
        ovs_type OVSBond
        ovs_bridge vmbr0
        ovs_bonds eno1 eno2
        ovs_options bond_mode=balance-tcp lacp=active
    ```
    """
    for iface, attr in ctx.attrs("ovs-options"):
        kind = ovs_type(iface)
        if kind is None or kind not in KEYS or "$" in attr.value:
            continue
        for key, val in parse_ovs_options(attr.value.split()):
            found = _problem(kind, key, val or "")
            if found:
                yield Finding(attr.span, found[1], severity=found[0])
