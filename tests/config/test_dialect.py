"""Dialect detection: which implementation a file is written for."""

from __future__ import annotations

from ifguard.config.dialect import Dialect, detect
from ifguard.config.parse import parse


def _detect(text: str) -> Dialect:
    return detect([parse(text)])


def test_inherits_on_an_iface_line_is_classic_ifupdown() -> None:
    """ifupdown2 3.0 rejects `inherits` (an address family to it); classic reads it."""
    assert _detect("iface base inet static\niface eth1 inet static inherits base\n") == (
        Dialect.IFUPDOWN
    )


def test_ng_hints_still_win_over_inherits() -> None:
    text = "iface base\n    use dhcp\niface eth1 inherits base\n    requires eth0\n"
    assert _detect(text) == Dialect.IFUPDOWN_NG


def test_a_file_with_no_hint_is_read_as_proxmox_reads_it() -> None:
    assert _detect("auto eth0\niface eth0 inet dhcp\n") == Dialect.IFUPDOWN2
