"""IFG210 misspelt-attribute (code: src/ifguard/lint/rules/ifg210_misspelt_attribute.py; docs:
`ifguard explain IFG210`)."""

from __future__ import annotations

from ifguard.config.diagnostic import Severity
from tests.lint.rules.helpers import codes, hits, lint, messages, only

CODE = "IFG210"
BRIDGE = "auto vmbr0\niface vmbr0 inet manual\n    bridge-ports eno1\n"


def test_fires_on_the_option_name() -> None:
    text = BRIDGE + "    bridge-stop off\n    bond-slave eno1\n"
    assert hits(CODE, text) == [(4, 5, 4, 16), (5, 5, 5, 15)]
    assert "did you mean `bridge-stp`?" in messages(CODE, text)[0]
    assert "did you mean `bond-slaves`?" in messages(CODE, text)[1]


def test_near_miss_stays_clean() -> None:
    """The real names, and names of option families hook scripts own (`dns-*`), are fine."""
    text = BRIDGE + "    bridge-stp off\n    dns-nameserver 192.0.2.53\n"
    assert codes(text) == []


MANAGEMENT = """\
auto lo
iface lo inet loopback
auto eno1
iface eno1 inet manual
auto vmbr0
iface vmbr0 inet static
    address 192.0.2.10/24
    gateway 192.0.2.1
    bridge-ports eno1
auto vmbr1
iface vmbr1 inet manual
    bridge-ports none
"""


def test_a_typo_that_cuts_the_management_path_is_an_error() -> None:
    for typo in ("bridge_prots", "bridge-port"):
        text = MANAGEMENT.replace("    bridge-ports eno1", f"    {typo} eno1")
        (d,) = only(CODE, lint(text))
        assert (d.line, d.column, d.severity) == (9, 5, Severity.ERROR)
        assert "`vmbr0` is on the management path" in d.message
    off_path = MANAGEMENT.replace("    bridge-ports none", "    bridge-port none")
    assert [d.severity for d in only(CODE, lint(off_path))] == [Severity.WARNING]
    harmless = MANAGEMENT.replace(
        "    bridge-ports eno1", "    bridge-ports eno1\n    bridge-stop off"
    )
    assert [d.severity for d in only(CODE, lint(harmless))] == [Severity.WARNING]
    no_route = MANAGEMENT.replace("    gateway 192.0.2.1", "    gatway 192.0.2.1")
    assert [d.severity for d in only(CODE, lint(no_route))] == [Severity.ERROR]


def test_fires_on_a_name_that_differs_only_in_case() -> None:
    """ifupdown2 keys options by their exact name: `Address` is ignored (its parser, through
    tests/differential), so eth0 comes up without the address."""
    text = "auto eth0\niface eth0 inet static\n    Address 192.0.2.1/24\n"
    assert hits(CODE, text) == [(3, 5, 3, 12)]
    assert "did you mean `address`?" in messages(CODE, text)[0]
