"""IFG102 pasted-shell-command (code: src/ifguard/lint/rules/ifg102_pasted_shell_command.py; docs:
`ifguard explain IFG102`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, fixed, hits

CODE = "IFG102"
STANZA = "auto eno1\niface eno1 inet dhcp\n"


def test_fires_on_its_line() -> None:
    assert hits(CODE, STANZA + "$ sudo ifreload -a\n") == [(3, 1, 3, 19)]


def test_fires_on_a_prompt_before_the_first_stanza() -> None:
    assert hits(CODE, "root@pve:~# cat /etc/network/interfaces\n" + STANZA) == [(1, 1, 1, 40)]


def test_near_miss_stays_clean() -> None:
    """The same kind of command in a hook option is configuration."""
    assert codes(STANZA + "    post-up /usr/sbin/ethtool -K eno1 tso off\n") == []


def test_fix_deletes_the_line_and_relints_clean() -> None:
    after = fixed(CODE, STANZA + "$ sudo ifreload -a\n    mtu 9000\n")
    assert after == STANZA + "    mtu 9000\n"
    assert codes(after) == []
