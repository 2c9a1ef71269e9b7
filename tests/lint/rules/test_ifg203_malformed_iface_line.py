"""IFG203 malformed-iface-line (code: src/ifguard/lint/rules/ifg203_malformed_iface_line.py; docs:
`ifguard explain IFG203`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages

CODE = "IFG203"


def test_fires_on_the_wrong_word() -> None:
    text = (
        "auto eth0\niface eth0 inet statik\n"  # method: word 4
        "iface eth1 net dhcp\n"  # family: word 3
        "iface eth2 inet dhcp extra\n"  # extra word: word 5
        "iface\n"  # no name: the whole line
    )
    assert hits(CODE, text) == [(2, 17, 2, 23), (3, 12, 3, 15), (4, 22, 4, 27), (5, 1, 5, 6)]
    assert "did you mean `inet`?" in messages(CODE, text)[1]


def test_a_missing_method_is_an_error_in_classic_ifupdown_only() -> None:
    text = "auto eth0\niface eth0 inet\n    mtu 1500\n"
    assert hits(CODE, text, dialect="ifupdown") == [(2, 12, 2, 16)]
    assert hits(CODE, text, dialect="ifupdown2") == []
    inherited = "iface base inet static\n    mtu 1500\niface eth0 inet inherits base\n"
    assert hits(CODE, inherited, dialect="ifupdown") == []  # the method is inherited


def test_near_miss_stays_clean() -> None:
    """`inherits NAME` after the method, and ifupdown2's bare `iface NAME`, are valid."""
    text = (
        "iface base inet6 manual\n    mtu 9000\n"
        "auto eth3\niface eth3 inet6 auto inherits base\n"
        "auto eth4\niface eth4\n    mtu 1500\n"
    )
    assert codes(text, dialect="ifupdown") == []
    # ifupdown2 ignores the words after the method (its parser): no `inherits` there
    assert codes(text.replace(" inherits base", ""), dialect="ifupdown2") == []


def test_fires_on_a_stanza_without_an_interface_name() -> None:
    """`iface inet static`: the family is taken for the name, the method for the family."""
    text = "auto eth0\niface inet static\n    address 10.1.1.1/24\n"
    assert hits(CODE, text) == [(2, 7, 2, 11)]
    assert messages(CODE, text) == [
        "stanza without an interface name: `inet` is read as the name and `static` as its "
        "address family; write `iface NAME inet static`"
    ]


def test_inherits_is_an_error_for_ifupdown2_only() -> None:
    """ifupdown2's parser: 'unsupported address family' (reproduced, tests/differential)."""
    text = "iface eth0 inet static\n    address 192.0.2.1/24\niface eth1 inherits eth0\n"
    assert hits(CODE, text, dialect="ifupdown2") == [(3, 12, 3, 20)]
    assert "ifupdown2 has no `inherits`" in messages(CODE, text, dialect="ifupdown2")[0]
    after = text.replace("eth1 inherits eth0", "eth1 inet static inherits eth0")
    assert hits(CODE, after, dialect="ifupdown2") == [(3, 24, 3, 32)]
    assert "ignores every word after the method" in messages(CODE, after, dialect="ifupdown2")[0]
    assert hits(CODE, text, dialect="ifupdown") == []
    assert hits(CODE, text, dialect="ifupdown-ng") == []
