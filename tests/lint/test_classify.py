"""The junk classifier: real pasted output is caught, real configuration is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from ifguard.lint.classify import classify
from tests.conftest import lint_text

PASTED = [
    "27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast master "
    "ovs-system state UP group default qlen 1000",
    "2: eth0@if9: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP",
    "    link/ether 60:a4:b7:58:ba:5b brd ff:ff:ff:ff:ff:ff",
    "    inet 192.0.2.10/24 brd 192.0.2.255 scope global vmbr0",
    "    inet6 fe80::62a4:b7ff:fe58:ba5b/64 scope link",
    "       valid_lft forever preferred_lft forever",
    "    altname enp0s20f0u2",
    "enp1s0           UP             60:a4:b7:58:ba:5b <BROADCAST,MULTICAST,UP,LOWER_UP>",
    "vmbr0            UNKNOWN        192.0.2.10/24 fe80::1/64",
    "default via 192.0.2.1 dev vmbr0 proto kernel onlink",
    "192.0.2.0/24 dev vmbr0 proto kernel scope link src 192.0.2.10",
    "eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500",
    "eth0      Link encap:Ethernet  HWaddr 00:11:22:33:44:55",
    "        inet 192.0.2.10  netmask 255.255.255.0  broadcast 192.0.2.255",
    "        RX packets 1234  bytes 567890 (554.5 KiB)",
    "bridge name	bridge id		STP enabled	interfaces",
    "vmbr0		8000.60a4b758ba5b	no		enp1s0",
    "5d8e1f2a-3b4c-4d5e-8f90-a1b2c3d4e5f6",
    "    Bridge vmbr0",
    '        Port "bond0"',
    "            Interface enx60a4b758ba5b",
    "                type: internal",
    '    ovs_version: "3.1.0"',
    "---- bond0 ----",
    "bond_mode: balance-tcp",
    "lacp_status: negotiated",
    "member enp1s0: enabled",
    "Ethernet Channel Bonding Driver: v6.1.0",
    "Bonding Mode: IEEE 802.3ad Dynamic link aggregation",
    "MII Status: up",
    "Slave Interface: enp1s0",
    "Settings for eth0:",
    "PING 192.0.2.1 (192.0.2.1) 56(84) bytes of data.",
    "64 bytes from 192.0.2.1: icmp_seq=1 ttl=64 time=0.045 ms",
    "[   12.345678] bond0: (slave enp1s0): Enslaving as a backup interface",
    "● networking.service - Raise network interfaces",
    "Nov 25 01:12:03 pve ifreload[1234]: error: vmbr0: bridge port bond0 does not exist",
]
SHELL = [
    "root@pve:~# ip a",
    "root@pve:/etc/network# cat interfaces",
    "[root@pve ~]# systemctl restart networking",
    "user@host:~$ sudo ifreload -a",
    "$ ip link show",
    "cat <<EOF > /etc/network/interfaces",
    "systemctl restart networking",
    "sudo nano /etc/network/interfaces",
]
MARKERS = [
    "EOF",
    "<<<<<<< HEAD",
    "=======",
    ">>>>>>> branch",
    "--- a/interfaces",
    "+++ b/interfaces",
    "@@ -1,4 +1,5 @@",
    "+iface eth1 inet dhcp",
    "-auto eth0",
]
LEGIT = [
    "post-up iptables -t nat -A POSTROUTING -s '10.10.10.0/24' -o vmbr0 -j MASQUERADE",
    "up ip route add default via 192.0.2.1 dev eth0 || true",
    "pre-up echo 1 > /proc/sys/net/ipv4/ip_forward",
    "post-up /sbin/ethtool -K $IFACE tso off",
    "ovs_extra set interface ${IFACE} external-ids:iface-id=$(hostname -s)-${IFACE}-vif",
    "dns-nameservers 1.1.1.1 9.9.9.9",
    "bridge-ports none",
    "bridge_ports enp1s0 enp2s0",
    "hwaddress ether 00:11:22:33:44:55",
    'wpa-ssid "My Net: 5G"',
    "map 11:22:33:44:55:66 home",
    "address 192.0.2.10/24",
    "ovs_options bond_mode=balance-tcp lacp=active",
    "bond-slaves enp1s0 enx60a4b758ba5b",
    "mtu 9000",
    "vlan-raw-device eth0",
    "bridge-vids 2-4094",
    "link-type dummy",
    "use bond",
]


@pytest.mark.parametrize("line", PASTED)
def test_pasted_output_is_recognised(line: str) -> None:
    verdict = classify(line)
    assert verdict is not None and verdict.kind == "output", line


@pytest.mark.parametrize("line", SHELL)
def test_shell_lines_are_recognised(line: str) -> None:
    verdict = classify(line)
    assert verdict is not None and verdict.kind == "shell", line


@pytest.mark.parametrize("line", MARKERS)
def test_markers_are_recognised(line: str) -> None:
    verdict = classify(line)
    assert verdict is not None and verdict.kind == "marker", line


@pytest.mark.parametrize("line", LEGIT)
def test_configuration_is_not_junk(line: str) -> None:
    assert classify(line) is None
    assert classify("    " + line) is None


@pytest.mark.parametrize("line", LEGIT)
def test_legit_options_raise_no_junk_rule(line: str) -> None:
    diags = lint_text(f"auto eth0\niface eth0 inet static\n    {line}\n")
    assert not [d for d in diags if d.code.startswith("IFG10")], diags


@pytest.mark.parametrize("indent", ["", "    ", "\t"])
def test_incident_line_is_an_error_on_its_exact_line_whatever_the_indentation(indent: str) -> None:
    text = f"auto vmbr0\niface vmbr0 inet static\n    address 192.0.2.10/24\n{indent}{PASTED[0]}\n"
    diags = lint_text(text)
    assert [(d.code, d.line, d.severity.value) for d in diags] == [("IFG101", 4, "error")]
    assert "`vmbr0`" in diags[0].message and "ip link" in diags[0].message
    assert diags[0].fix is not None and diags[0].fix.safe


def test_output_pasted_after_a_backslash_becomes_part_of_a_value() -> None:
    text = (
        "iface bond0 inet manual\n    ovs_bonds enp1s0 \\\n"
        "27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500\n"
    )
    diags = lint_text(text)
    assert [(d.code, d.line) for d in diags] == [("IFG101", 3)]
    assert "ovs_bonds" in diags[0].message and diags[0].fix is None


def test_keyword_typos_are_suggested() -> None:
    diags = lint_text("auot eth0\niface eth0 inet dhcp\nifcae eth1 inet static\n")
    assert [(d.code, d.line) for d in diags] == [("IFG107", 1), ("IFG107", 3)]
    assert "`auto`" in diags[0].message and "`iface`" in diags[1].message


def test_wrapped_command_is_explained_not_deleted() -> None:
    text = (
        "iface vmbr0 inet static\n    post-up iptables -t nat -A POSTROUTING -s 10.0.0.0/24\n"
        "    -j MASQUERADE\n"
    )
    (diag,) = lint_text(text)
    assert diag.code == "IFG108" and "wrapped" in diag.message
    assert diag.fix is not None and not diag.fix.safe


# -- real command output (tests/fixtures/junk/*.txt, captured by capture.sh in a throwaway
#    network namespace and a private ovsdb-server; bonding/ethtool/brctl/ovs-appctl output is
#    transcribed because this machine has no such module/daemon) -------------------------
JUNK_DIR = Path(__file__).parents[1] / "fixtures" / "junk"
JUNK_FILES = sorted(JUNK_DIR.glob("*.txt"))
# Lines that carry no recognisable signature on their own (a lone interface name wrapped by
# `brctl show`, the bare link kind `veth` of `ip -d link`): other rules must still flag them.
NO_SIGNATURE = {"\t\t\t\t\t\ttap100i0", "    veth "}
HEAD = "auto vmbr0\niface vmbr0 inet static\n    address 192.0.2.10/24\n"


def test_junk_fixtures_exist() -> None:
    assert len(JUNK_FILES) >= 20


@pytest.mark.slow
@pytest.mark.parametrize("path", JUNK_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("indent", ["", "    "])
def test_every_line_of_real_output_is_an_error_when_pasted_into_a_stanza(
    path: Path, indent: str
) -> None:
    lines = path.read_text().splitlines()
    diags = lint_text(HEAD + "".join(f"{indent}{line}\n" for line in lines))
    errors = {d.line for d in diags if d.severity.value == "error"}
    missed = [line for n, line in enumerate(lines, 4) if line.strip() and n not in errors]
    assert not missed
    for line in lines:
        if line.strip() and line not in NO_SIGNATURE:
            assert classify(line) is not None, line


@pytest.mark.parametrize("path", JUNK_FILES, ids=lambda p: p.stem)
def test_real_output_pasted_after_the_last_stanza_is_an_error_at_the_top_too(path: Path) -> None:
    lines = [ln for ln in path.read_text().splitlines() if ln.strip()]
    diags = lint_text("".join(f"{line}\n" for line in lines) + "auto lo\niface lo inet loopback\n")
    errors = {d.line for d in diags if d.severity.value == "error"}
    assert set(range(1, len(lines) + 1)) <= errors


MORE_LEGIT = [
    "post-up ip link set dev eth0 gso_max_size 65536 addrgenmode none",
    "post-up ip -6 route add default via fe80::1 dev vmbr0 proto static metric 1024",
    "up ip route add 10.0.0.0/8 via 192.0.2.254 dev vmbr0 proto static metric 100",
    'post-up echo "status: up" > /run/net-state',
    "post-up bridge link set dev tap100i0 learning off",
    "post-up ip rule add from 192.0.2.10 table 200",
    "post-up ifconfig eth0 promisc up",
    "down ifconfig eth0 down",
    "bond-mode 802.3ad",
    "bond-xmit-hash-policy layer3+4",
    "bond_primary eth0",
    "ovs_options bond_mode=active-backup",
    "ovs_options tag=10 vlan_mode=access",
    "ovs_type OVSIntPort",
    "ovs_bonds enp1s0 enx60a4b758ba5b",
    "ovs_mtu 9000",
    "address 2001:db8::10/64",
    "gateway fe80::1",
    "link-speed 1000",
    "link-duplex full",
    'alias "uplink to core: port 1"',
    'description "Port 1: uplink"',
    "accept_ra 2",
    "mstpctl-portpathcost swp1=0 swp2=0",
    "bridge-ports glob swp1-4",
    "bridge-ports regex (swp[1-4])",
    "clagd-sys-mac 44:38:39:ff:00:01",
    "scope link",
    "post-up sysctl -w net.ipv4.conf.all.rp_filter=0",
    "pointopoint 192.0.2.1",
]


@pytest.mark.parametrize("line", MORE_LEGIT)
def test_more_configuration_is_not_junk(line: str) -> None:
    assert classify(line) is None
    diags = lint_text(f"auto eth0\niface eth0 inet static\n    {line}\n")
    assert not [d for d in diags if d.code.startswith("IFG1")], diags


@pytest.mark.parametrize(
    "text",
    [
        "auto enx60a4b758ba5b\niface enx60a4b758ba5b inet manual\n",
        "auto eth0:1\niface eth0:1 inet static\n    address 192.0.2.2/24\n",
        "auto vmbr0.100\niface vmbr0.100 inet static\n    address 192.0.2.2/24\n",
        "auto swp1-4\niface swp1-4\n    mtu 9000\n",
        "auto ETH0\niface ETH0 inet dhcp\n",
        "mapping eth0\n    script /usr/local/sbin/map-scheme\n    map 11:22:33:44:55:66 home\n",
        "%for v in range(1, 3):\nauto vmbr${v}\niface vmbr${v}\n    bridge-ports none\n%endfor\n",
        "% for v in range(1, 3):\nauto vmbr${v}\niface vmbr${v}\n    bridge-ports none\n% endfor\n",
    ],
)
def test_names_and_templates_are_not_junk(text: str) -> None:
    diags = lint_text(text)
    assert not [d for d in diags if d.code.startswith("IFG1")], diags


def test_wrapped_ovs_options_is_joined_not_deleted() -> None:
    """Seen in the lab (tests/e2e/test_incident_seed.py): deleting the wrapped tail drops
    bond0's tag and cuts the host off, so the only fix offered is joining the lines."""
    from ifguard.lint.fixer import apply_edits

    text = (
        "iface bond0 inet manual\n    ovs_bonds enp1s0 enp2s0\n"
        "    ovs_options vlan_mode=native-untagged lacp=active\n"
        "bond_mode=balance-tcp tag=1\n"
    )
    (diag,) = lint_text(text)
    assert diag.code == "IFG108" and diag.line == 4 and "wrapped" in diag.message
    assert diag.fix is not None and not diag.fix.safe
    assert apply_edits(text, diag.fix.edits) == (
        "iface bond0 inet manual\n    ovs_bonds enp1s0 enp2s0\n"
        "    ovs_options vlan_mode=native-untagged lacp=active bond_mode=balance-tcp tag=1\n"
    )


def test_ip_output_glued_to_a_value_is_reported_once() -> None:
    """`ip a >> interfaces` on a file without a final newline (seen in the lab seed test)."""
    text = (
        "auto vmbr0\niface vmbr0 inet manual\n    ovs_type OVSBridge\n"
        "    ovs_ports vlan1001"
        "27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast\n"
    )
    diags = lint_text(text)
    assert [(d.code, d.line, d.column) for d in diags] == [("IFG101", 4, 15)]
    assert "vlan100127:" in diags[0].message and diags[0].fix is None


def test_angle_brackets_in_an_ordinary_value_are_not_output() -> None:
    text = (
        "iface eth0 inet manual\n    post-up echo '1: x: <y>' > /dev/null\n"
        "    up logger 'link 3: eth0: <UP> seen'\n"
    )
    assert [d.code for d in lint_text(text) if d.code == "IFG101"] == []
