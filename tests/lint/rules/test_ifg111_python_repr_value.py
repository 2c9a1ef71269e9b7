"""IFG111 python-repr-value (code: src/ifguard/lint/rules/ifg111_python_repr_value.py; docs:
`ifguard explain IFG111`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, fixed, hits, messages

CODE = "IFG111"


def test_fires_on_a_python_list_of_slaves() -> None:
    text = "auto bond0\niface bond0 inet manual\n    bond-slaves ['eno1', 'eno2']\n"
    assert hits(CODE, text) == [(3, 5, 3, 33)]
    assert "is a Python list as Python prints it" in messages(CODE, text)[0]


def test_fires_on_a_python_dict_of_nameservers() -> None:
    text = (
        "iface eth0 inet static\n    address 192.0.2.2/24\n"
        "    dns-nameservers {'nameservers': {'addresses': ['8.8.8.8']}}\n"
    )
    assert hits(CODE, text) == [(3, 5, 3, 64)]
    assert "Python dict" in messages(CODE, text)[0]


def test_fires_on_none() -> None:
    text = "iface eth0 inet static\n    address 192.0.2.2/24\n    gateway None\n"
    assert hits(CODE, text) == [(3, 5, 3, 17)]


def test_the_suggested_fix_writes_the_items_as_words() -> None:
    text = "iface bond0 inet manual\n    bond-slaves ['eno1', 'eno2']\n"
    assert fixed(CODE, text, unsafe=True) == "iface bond0 inet manual\n    bond-slaves eno1 eno2\n"


def test_near_miss_stays_clean() -> None:
    """Brackets in a shell command, an OVS option set, a glob range, a quoted description."""
    text = (
        "iface br0 inet manual\n"
        "    bridge-ports glob swp[1-4]\n"
        "    post-up python3 -c \"print(['a', 'b'])\"\n"
        "    ovs_extra set Bridge br0 other_config:hwaddr=[1]\n"
        "    description 'uplink (rack 4)'\n"
    )
    assert CODE not in codes(text)
