"""IFG207 interface-name-too-long (code: src/ifguard/lint/rules/ifg207_interface_name_too_long.py;
docs: `ifguard explain IFG207`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages

CODE = "IFG207"


def test_fires_on_a_16_byte_name() -> None:
    text = "auto verylongbridgename0\niface verylongbridgename0 inet manual\n"
    assert hits(CODE, text) == [(2, 7, 2, 26)]
    assert "is 19 bytes: Linux allows at most 15" in messages(CODE, text)[0]


def test_counts_bytes_not_characters() -> None:
    """8 Cyrillic letters are 16 bytes: too long, though 8 characters look short."""
    name = "\u0431\u0440\u0438\u0434\u0436\u0441\u0435\u0442"
    assert hits(CODE, f"iface {name} inet manual\n") == [(1, 7, 1, 15)]


def test_checks_the_longest_name_of_a_range() -> None:
    text = "iface storagenet[1-12].100 inet manual\n"
    assert "`storagenet12.100` (from `storagenet[1-12].100`)" in messages(CODE, text)[0]
    assert codes("iface storagenet[1-9].100 inet manual\n") == []


def test_near_miss_stays_clean() -> None:
    """15 bytes exactly; an alias whose base name is short."""
    assert codes("auto enp129s0f1np1\niface enp129s0f1np1 inet manual\n") == []
    assert codes("auto vmbr0\niface vmbr0 inet manual\niface vmbr0:storage12 inet manual\n") == []


def test_logical_interfaces_of_a_mapping_are_not_links() -> None:
    text = (
        "allow-hotplug wlan0\niface wlan0 inet manual\n    wpa-map default: default-guessnet\n"
        "iface default-guessnet inet dhcp\n"
    )
    assert CODE not in codes(text, dialect="ifupdown")
