"""The typed model: interfaces, attributes (``_`` == ``-``), auto/allow sets, statements."""

from __future__ import annotations

from ifguard.config.model import Config, build, canonical
from ifguard.config.parse import parse

TEXT = """\
auto lo vmbr0
allow-hotplug enp1s0
allow-ovs vmbr0
allow-auto eth9
iface lo inet loopback

iface bond0 inet manual
    ovs_bonds enp1s0 \\
        enx60a4b758ba5b
    ovs-type OVSBond
    ovs_options bond_mode=balance-tcp lacp=active
    ovs_options other_config:lacp-time=fast

iface vmbr0 inet static
\taddress 192.0.2.10/24
iface vmbr0 inet6 static
\taddress 2001:db8::10/64
template tpl
    mtu 9000
iface
source interfaces.d/*
"""


def _config() -> Config:
    return build([parse(TEXT, "interfaces")])


def test_interfaces_and_families() -> None:
    cfg = _config()
    assert [(i.name, i.family, i.method, i.stanza) for i in cfg.interfaces] == [
        ("lo", "inet", "loopback", "iface"),
        ("bond0", "inet", "manual", "iface"),
        ("vmbr0", "inet", "static", "iface"),
        ("vmbr0", "inet6", "static", "iface"),
        ("tpl", "", "", "template"),
        ("", "", "", "iface"),
    ]
    assert len(cfg.by_name["vmbr0"]) == 2 and cfg.iface("vmbr0") is cfg.by_name["vmbr0"][0]
    assert cfg.iface("tpl") is None and cfg.defined("tpl")


def test_attribute_names_compare_with_underscore_equal_to_dash() -> None:
    bond = _config().iface("bond0")
    assert bond is not None
    assert bond.get("ovs-bonds") == bond.get("ovs_bonds") == "enp1s0 enx60a4b758ba5b"
    assert bond.get("ovs_type") == "OVSBond"
    assert bond.get_all("ovs-options") == [
        "bond_mode=balance-tcp lacp=active",
        "other_config:lacp-time=fast",
    ]
    assert bond.words("ovs_bonds") == ["enp1s0", "enx60a4b758ba5b"]
    assert [a.key for a in bond.find("ovs_options")] == ["ovs-options", "ovs-options"]
    assert bond.get("missing") is None and canonical("a_b_c") == "a-b-c"


def test_attribute_spans_follow_the_source() -> None:
    bond = _config().iface("bond0")
    assert bond is not None
    (bonds,) = bond.find("ovs_bonds")
    span = bonds.span
    assert (span.line, span.column, span.end_line, span.end_column) == (8, 5, 9, 24)
    name = bonds.name_span
    assert (name.line, name.column, name.end_column) == (8, 5, 14)
    assert bond.name_span.column == 7 and bond.span.line == 7


def test_auto_allow_and_statements() -> None:
    cfg = _config()
    assert cfg.auto == {"lo", "vmbr0", "eth9"}
    assert cfg.allow == {"hotplug": {"enp1s0"}, "ovs": {"vmbr0"}}  # allow-auto is `auto`
    assert [(s.keyword, s.arguments) for s in cfg.statements][-1] == ("source", ("interfaces.d/*",))


def test_empty_and_junk_documents_build() -> None:
    assert build([parse(b"")]).interfaces == ()
    cfg = build([parse(b"\xff\x00 iface\n  x\niface a\\\n  inet dhcp\n")])
    assert [(i.name, i.family, i.method) for i in cfg.interfaces] == [("a", "inet", "dhcp")]
