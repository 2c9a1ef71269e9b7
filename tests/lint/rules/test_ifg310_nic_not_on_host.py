"""IFG310 nic-not-on-host: only with the host's NIC inventory; a warning, on its line."""

from __future__ import annotations

from ifguard.config.diagnostic import Diagnostic, Severity
from ifguard.config.source import load_text
from ifguard.lint.engine import lint_loaded
from ifguard.lint.settings import Settings

CODE = "IFG310"
FILE = """\
auto lo
iface lo inet loopback
iface enp3s0 inet manual
auto vmbr0
iface vmbr0 inet static
    address 192.0.2.10/24
    bridge-ports enp3s0
iface bond0 inet manual
    bond-slaves eno1 eno2
iface enp3s0.50 inet manual
"""


def _lint(text: str, nics: frozenset[str] | None) -> list[Diagnostic]:
    result = lint_loaded(load_text(text, "interfaces"), Settings(), nics=nics)
    return [d for d in result.diagnostics if d.code == CODE]


def test_fires_on_each_line_naming_a_missing_nic_and_names_the_new_one() -> None:
    found = _lint(FILE, frozenset({"lo", "enp4s0", "eno1", "eno2", "vmbr0", "tap100i0"}))
    assert [(d.line, d.severity) for d in found] == [
        (3, Severity.WARNING),
        (7, Severity.WARNING),
        (10, Severity.WARNING),
    ]
    assert "`enp3s0` (a stanza) is not a network interface of this host" in found[0].message
    assert "`enp4s0` appeared on this host and no stanza configures it" in found[0].message
    assert "`tap100i0`" not in found[0].message  # guests' taps are not NICs


def test_host_with_the_nics_is_clean() -> None:
    assert _lint(FILE, frozenset({"lo", "enp3s0", "eno1", "eno2"})) == []


def test_without_inventory_nothing_is_reported() -> None:
    assert _lint(FILE, None) == []


def test_virtual_interfaces_are_not_nics() -> None:
    text = "iface bond0 inet manual\n    bond-slaves eno1\niface vmbr0 inet manual\n"
    assert _lint(text, frozenset({"eno1"})) == []


def test_no_hint_when_nothing_appeared() -> None:
    (d,) = _lint("iface eno9 inet manual\n", frozenset({"lo", "eno1"}) - {"eno1"})
    assert "appeared" not in d.message


MANAGEMENT = """\
auto lo
iface lo inet loopback
auto eno1
iface eno1 inet manual
auto eno2
iface eno2 inet manual
auto bond0
iface bond0 inet manual
    bond-slaves eno1 eno2
    bond-mode 802.3ad
auto vmbr0
iface vmbr0 inet static
    address 192.0.2.10/24
    gateway 192.0.2.1
    bridge-ports bond0
"""


def test_every_uplink_of_the_management_bond_missing_is_an_error() -> None:
    found = _lint(MANAGEMENT, frozenset({"lo", "enp1s0", "enp2s0"}))
    assert [(d.line, d.severity) for d in found] == [
        (4, Severity.ERROR),
        (6, Severity.ERROR),
        (9, Severity.ERROR),
        (9, Severity.ERROR),
    ]
    assert "it cuts the management path (vmbr0: default route via 192.0.2.1)" in found[2].message


def test_one_member_left_keeps_it_a_warning() -> None:
    found = _lint(MANAGEMENT, frozenset({"lo", "eno2"}))
    assert [(d.line, d.severity) for d in found] == [(4, Severity.WARNING), (9, Severity.WARNING)]


def test_nics_that_are_only_a_hint_never_cut() -> None:
    loaded = load_text(MANAGEMENT, "interfaces")
    nics = frozenset({"lo", "enp1s0"})
    result = lint_loaded(loaded, Settings(), nics=nics, nics_of_host=False)
    assert {d.severity for d in result.diagnostics if d.code == CODE} == {Severity.WARNING}
