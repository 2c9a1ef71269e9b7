"""The one address+netmask parser and the one ovs_options parser, shared by the linter and the
network model."""

from __future__ import annotations

import ipaddress

import pytest

from ifguard.config.address import interface_addresses, netmask_prefix, parse_address
from ifguard.config.model import Interface, build
from ifguard.config.source import load_text
from ifguard.config.topology import ovs_options, parse_ovs_options


def iface(body: str) -> Interface:
    found = build(load_text(f"iface x inet static\n{body}").documents).iface("x")
    assert found is not None
    return found


def test_netmask_forms() -> None:
    assert netmask_prefix("255.255.255.0") == 24 and netmask_prefix("24") == 24
    assert netmask_prefix(None) is None and netmask_prefix("255.0.255.0") is None


def test_parse_address_fast_path_equals_ipaddress() -> None:
    for word in ("192.0.2.10/24", "10.255.0.1/32", "0.0.0.0/0"):
        assert parse_address(word) == ipaddress.ip_interface(word)
    assert parse_address("192.0.2.10", 24) == ipaddress.ip_interface("192.0.2.10/24")
    assert parse_address("2001:db8::1", 64) == ipaddress.ip_interface("2001:db8::1/64")
    assert parse_address("192.0.2.10/25", 24).network.prefixlen == 25  # the word wins
    for bad in ("300.0.2.10/24", "192.0.2.10/33", "x.x.x.x/24"):
        with pytest.raises(ValueError):
            parse_address(bad)


def test_interface_addresses_apply_the_netmask_and_keep_what_does_not_parse() -> None:
    one = iface("  address 192.0.2.10\n  netmask 255.255.255.0\n")
    assert interface_addresses(one) == ["192.0.2.10/24"]
    odd = iface("  address 192.0.2.10\n  netmask 255.0.255.0\n  address 10.0.0.1/8\n")
    assert interface_addresses(odd) == ["192.0.2.10", "10.0.0.1/8"]
    assert interface_addresses(iface("  address 192.0.2.300/24\n")) == ["192.0.2.300/24"]


def test_ovs_options_pairs_and_mapping() -> None:
    assert parse_ovs_options(["bond_mode=balance-tcp", "lacp", "other_config:x=1", "tag="]) == [
        ("bond_mode", "balance-tcp"),
        ("lacp", None),
        ("other_config:x", "1"),
        ("tag", ""),
    ]
    bond = iface("  ovs_options bond_mode=balance-tcp lacp\n  ovs_options lacp=active\n")
    assert ovs_options(bond) == {"bond_mode": "balance-tcp", "lacp": "active"}
