"""What each dialect understands, as data: attribute names (canonical, ``-`` form), which
dialects/addons know them, and the values some of them take.

Facts come from the tools' documentation (interfaces(5) of ifupdown, ifupdown-ng and its
executor pages, ``ifquery --syntax-help`` of ifupdown2 3.0.0, ifenslave, bridge-utils, vlan,
resolvconf and openvswitch-switch's ifupdown integration). Lookups treat ``_`` and ``-`` alike.

API used by the rules:
  ``is_known_attribute(name)`` — any dialect knows it (or it is a family with a known prefix).
  ``closest_attribute(name)`` — the known attribute a misspelt name is one or two edits from.
  ``ENUMS`` — attribute → allowed values (exact, case-sensitive).
"""

from __future__ import annotations

import functools

from ifguard.config.model import canonical

_COMMANDS = "up down pre-up post-up pre-down post-down"
_CLASSIC = (
    "address netmask broadcast metric gateway pointopoint hwaddress mtu scope media "
    "hostname leasehours leasetime vendor client provider unit options local endpoint ttl "
    "mode dstaddr remote accept-ra autoconf privext dad-attempts dad-interval "
    "request-prefix preferred-lifetime suffix link-type requires description no-auto-down "
    "vlan-raw-device bond-master bond-slaves bond-primary bond-mode bond-miimon "
    "bond-downdelay bond-updelay bond-lacp-rate bond-xmit-hash-policy bond-arp-interval "
    "bond-arp-ip-target bond-use-carrier bond-ad-select bond-fail-over-mac bond-num-grat-arp "
    "bond-num-unsol-na bond-primary-reselect bond-min-links bond-give-a-chance slaves "
    "bridge-ports bridge-stp bridge-fd bridge-maxwait bridge-hw bridge-waitport "
    "bridge-ageing bridge-bridgeprio bridge-gcint bridge-hello bridge-maxage "
    "bridge-pathcost bridge-portprio bridge-mcrouter bridge-mcsnoop bridge-vlan-aware "
    "dns-nameservers dns-nameserver dns-search dns-domain dns-sortlist dns-options "
    "wireless-essid wireless-mode wireless-key wireless-channel wireless-freq wireless-ap "
    "wpa-ssid wpa-psk wpa-conf wpa-driver wpa-roam wpa-key-mgmt wpa-proto wpa-pairwise "
    "wpa-group wpa-scan-ssid wpa-ap-scan wpa-identity wpa-password wpa-eap wpa-bssid "
    "wpa-priority test-peer test-wireless-ap map script inherits ethernet-wol "
    "hw-mac-address ipv6-accept-ra ipv6-autoconf"
)
_IFUPDOWN2 = (
    "address-purge address-virtual address-virtual-ipv6-addrgen alias arp-accept "
    "bond-ad-actor-sys-prio bond-ad-actor-system bond-ad-sys-mac-addr bond-ad-sys-priority "
    "bond-lacp-bypass-allow bridge-access bridge-allow-untagged bridge-always-up "
    "bridge-arp-nd-suppress bridge-broadcast-flood bridge-hashel bridge-hashmax "
    "bridge-igmp-querier-src bridge-igmp-version bridge-l2protocol-tunnel bridge-learning "
    "bridge-mclmc bridge-mclmi bridge-mcmi bridge-mcqi bridge-mcqifaddr bridge-mcqpi "
    "bridge-mcqri bridge-mcquerier bridge-mcsqc bridge-mcsqi bridge-mcstats "
    "bridge-mld-version bridge-multicast-flood bridge-pathcosts bridge-portmcfl "
    "bridge-portmcrouter bridge-portprios bridge-ports-condone-regex bridge-pvid "
    "bridge-unicast-flood bridge-vids bridge-vlan-protocol bridge-vlan-stats "
    "bridge-vlan-vni-map clagd-vxlan-anycast-ip es-sys-mac ip-forward ip6-forward "
    "ipv6-addrgen link-down mpls-enable tunnel-dev tunnel-endpoint tunnel-local tunnel-mode "
    "tunnel-ttl veth-peer-name vlan-id vlan-protocol vrf vrf-table vrrp vxlan-ageing "
    "vxlan-id vxlan-learning vxlan-local-tunnelip vxlan-mcastgrp vxlan-mcastgrp-map "
    "vxlan-mcastgrp6 vxlan-physdev vxlan-port vxlan-purge-remotes vxlan-remoteip "
    "vxlan-svcnodeip vxlan-svcnodeip6 vxlan-ttl xfrm-id xfrm-physdev link-speed "
    "link-duplex link-autoneg link-fec gro-offload lro-offload gso-offload tso-offload "
    "ufo-offload tx-offload rx-offload mstpctl-portadminedge mstpctl-portautoedge "
    "mstpctl-portbpdufilter mstpctl-bpduguard mstpctl-portnetwork mstpctl-portp2p "
    "mstpctl-portrestrrole mstpctl-portrestrtcn mstpctl-treeportcost mstpctl-treeportprio "
    "mstpctl-portpathcost mstpctl-maxage mstpctl-fdelay mstpctl-maxhops mstpctl-txholdcount "
    "mstpctl-forcevers mstpctl-treeprio mstpctl-hello mstpctl-ageing mstpctl-stp "
    "batman-ifaces batman-ifaces-ignore-regex batman-distributed-arp-table "
    "batman-gw-mode batman-hop-penalty batman-multicast-optimizations "
    "clag-id clagd-enable clagd-peer-ip clagd-backup-ip clagd-sys-mac clagd-priority "
    "clagd-args bridge-mcsnoop-querier dhcp-vendor-class dhcp-hostname dhcp-wait "
    "bond-lacp-fallback-allow bond-lacp-fallback-period ovs-dpdk-options"
)
_NG = (
    "use inherit requires bond-members bond-ad-select bond-ad-user-port-key "
    "bond-all-slaves-active bond-arp-all-targets bond-arp-validate bond-lp-interval "
    "bond-packets-per-slave bond-peer-notif-delay bond-resend-igmp vxlan-dstport "
    "vxlan-local-ip vxlan-remote-group vxlan-remote-ip wireguard-config-path tunnel-encap "
    "tunnel-hoplimit tunnel-ignore-df tunnel-ikey tunnel-key tunnel-okey tunnel-local-dev "
    "tunnel-physdev tunnel-pmtudisc tunnel-remote tunnel-tos ppp-physdev ppp-provider "
    "wifi-config-path wifi-psk wifi-ssid forward-ipv4 forward-ipv6 forward-ipv6-proxy "
    "point-to-point"
)
_OVS = (
    "ovs-type ovs-bridge ovs-ports ovs-bonds ovs-options ovs-extra ovs-mtu ovs-patch-peer "
    "ovs-tunnel-type ovs-tunnel-options ovs-ports-condone-regex allow-ovs"
)

ATTRIBUTES: dict[str, frozenset[str]] = {
    "ifupdown": frozenset((_COMMANDS + " " + _CLASSIC + " " + _OVS).split()),
    "ifupdown2": frozenset((_COMMANDS + " " + _CLASSIC + " " + _IFUPDOWN2 + " " + _OVS).split()),
    "ifupdown-ng": frozenset((_COMMANDS + " " + _CLASSIC + " " + _NG).split()),
}
ALL_ATTRIBUTES: frozenset[str] = frozenset().union(*ATTRIBUTES.values())

COMMAND_ATTRIBUTES = frozenset(_COMMANDS.split())

BOND_MODES = frozenset(
    {
        "balance-rr",
        "active-backup",
        "balance-xor",
        "broadcast",
        "802.3ad",
        "balance-tlb",
        "balance-alb",
        "0",
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
    }
)
ENUMS: dict[str, frozenset[str]] = {
    "bond-mode": BOND_MODES,
    "bond-xmit-hash-policy": frozenset(
        {
            "layer2",
            "layer2+3",
            "layer3+4",
            "encap2+3",
            "encap3+4",
            "vlan+srcmac",
            "0",
            "1",
            "2",
            "3",
            "4",
            "5",
        }
    ),
    "bond-lacp-rate": frozenset({"slow", "fast", "0", "1"}),
    "bond-ad-select": frozenset({"stable", "bandwidth", "count", "0", "1", "2"}),
    "bond-primary-reselect": frozenset({"always", "better", "failure", "0", "1", "2"}),
    "bond-fail-over-mac": frozenset({"none", "active", "follow", "0", "1", "2"}),
    "bridge-stp": frozenset({"on", "off", "yes", "no", "0", "1"}),
    "bridge-vlan-aware": frozenset({"yes", "no", "on", "off", "0", "1"}),
    "ovs-type": frozenset(
        {
            "OVSBridge",
            "OVSBond",
            "OVSPort",
            "OVSIntPort",
            "OVSPatchPort",
            "OVSTunnel",
            "OVSUserspaceBridge",
            "OVSDPDKPort",
            "OVSDPDKBond",
            "OVSDPDKVhostUserPort",
        }
    ),
}
# attribute → (low, high) inclusive, integer values
RANGES: dict[str, tuple[int, int]] = {
    "mtu": (68, 65535),
    "ovs-mtu": (68, 65535),
    "vlan-id": (1, 4094),
    "bridge-pvid": (1, 4094),
    "bridge-access": (1, 4094),
    "bond-miimon": (0, 2**31 - 1),
    "bond-updelay": (0, 2**31 - 1),
    "bond-downdelay": (0, 2**31 - 1),
    "bond-min-links": (0, 2**31 - 1),
    "bridge-fd": (0, 255),
    "bridge-maxwait": (0, 2**31 - 1),
}
# attributes that take exactly one value, at most once per stanza
SINGLE = frozenset(
    {
        "mtu",
        "hwaddress",
        "netmask",
        "bond-mode",
        "bond-miimon",
        "bond-lacp-rate",
        "bond-xmit-hash-policy",
        "bridge-stp",
        "bridge-fd",
        "bridge-vlan-aware",
        "bridge-pvid",
        "vlan-raw-device",
        "vlan-id",
        "ovs-type",
        "ovs-bridge",
        "ovs-mtu",
        "link-type",
        "vrf",
        "vrf-table",
        "vxlan-id",
        "bond-master",
    }
)


def is_known_attribute(name: str) -> bool:
    return canonical(name) in ALL_ATTRIBUTES


def _distance(a: str, b: str) -> int:
    if abs(len(a) - len(b)) > 2:
        return 3
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@functools.cache
def closest_attribute(name: str) -> str | None:
    """The known attribute ``name`` is probably a misspelling of, or None."""
    key = canonical(name).lower()
    if key in ALL_ATTRIBUTES:
        # names are case-sensitive (ifupdown2 keys its option dict by them): `Address` is
        # not `address`, ifupdown2 ignores it
        return key if key != canonical(name) else None
    if len(key) < 5:
        return None
    limit = 1 if len(key) < 8 else 2
    best = min(ALL_ATTRIBUTES, key=lambda k: (_distance(key, k), k))
    return best if _distance(key, best) <= limit else None
