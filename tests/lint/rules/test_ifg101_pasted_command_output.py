"""IFG101 pasted-command-output (code: src/ifguard/lint/rules/ifg101_pasted_command_output.py; docs:
`ifguard explain IFG101`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, fixed, hits

CODE = "IFG101"
STANZA = "auto vmbr0\niface vmbr0 inet static\n    address 192.0.2.10/24\n"
IP_LINK = "2: eno1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq master vmbr0 state UP\n"


def test_fires_on_its_line() -> None:
    text = STANZA + IP_LINK + "    gateway 192.0.2.1\n"
    assert hits(CODE, text) == [(4, 1, 4, len(IP_LINK))]


def test_fires_on_output_pasted_after_a_backslash_continuation() -> None:
    text = STANZA + "    post-up ip link set eno1 up \\\n" + IP_LINK
    assert [h[0] for h in hits(CODE, text)] == [5]


def test_fires_once_on_output_glued_to_a_value() -> None:
    """Appended to a file without a final newline: the line number `2:` sticks to the value."""
    line = "    gateway 192.0.2.1" + IP_LINK
    # from the start of the word the output is glued to (where that word ended is a guess)
    assert hits(CODE, STANZA + line) == [(4, len("    gateway ") + 1, 4, len(line))]


def test_near_miss_stays_clean() -> None:
    """`ip` output quoted inside a command is the command's business, not a pasted line."""
    text = STANZA + '    post-up logger "2: eno1: <BROADCAST,UP> mtu 1500"\n'
    assert codes(text) == []


def test_fix_deletes_the_line_and_relints_clean() -> None:
    text = STANZA + IP_LINK + "    gateway 192.0.2.1\n"
    after = fixed(CODE, text)
    assert after == STANZA + "    gateway 192.0.2.1\n"
    assert codes(after) == []
