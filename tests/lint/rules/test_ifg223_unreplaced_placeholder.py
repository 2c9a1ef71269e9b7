"""IFG223 unreplaced-placeholder (code: src/ifguard/lint/rules/ifg223_unreplaced_placeholder.py;
docs: `ifguard explain IFG223`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages

CODE = "IFG223"
HEAD = "auto eth0\niface eth0 inet static\n"


def test_fires_on_its_line() -> None:
    text = HEAD + "    address 172.22.2.XXX/24\n    gateway <Gateway-IP>\n"
    assert hits(CODE, text) == [(3, 5, 3, 28), (4, 5, 4, 25)]
    assert "(`172.22.2.XXX`)" in messages(CODE, text)[0]
    assert "(`<Gateway-IP>`)" in messages(CODE, text)[1]


def test_near_miss_stays_clean() -> None:
    """Real addresses, including IPv6 ones with hex letters, are not placeholders."""
    text = (
        HEAD
        + "    address 172.22.2.10/24\n    gateway 172.22.2.1\n"
        + "iface eth0 inet6 static\n    address 2001:db8:ab::10/64\n"
    )
    assert codes(text) == []
