"""IFG225 text-glued-to-command (code: src/ifguard/lint/rules/ifg225_text_glued_to_command.py; docs:
`ifguard explain IFG225`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, fixed, hits, messages

CODE = "IFG225"
HEAD = "auto vmbr1\niface vmbr1 inet static\n    address 10.10.10.1/24\n"
NAT = "iptables -t nat -A POSTROUTING -s 10.10.10.0/24 -o vmbr0 -j MASQUERADE"


def test_fires_on_the_next_option_glued_to_a_command() -> None:
    text = HEAD + f"    post-up {NAT}post-down iptables -F\n"
    line = f"    post-up {NAT}post-down iptables -F"
    assert hits(CODE, text) == [(4, 5, 4, len(line) + 1)]
    assert messages(CODE, text) == [
        "`post-down` is glued to the end of `MASQUERADE` in the `post-up` command: a line "
        "break was lost, and the shell gets the next line's words as arguments"
    ]


def test_fires_on_a_stanza_glued_to_a_command() -> None:
    line = "    up ip link set dev vmbr1 mtu 9000iface vmbr2 inet manual"
    text = HEAD + line + "\n"
    assert hits(CODE, text) == [(4, 5, 4, len(line) + 1)]
    text = HEAD + "    post-up ip route add 10.2.0.0/16 via 10.10.10.254 dev vmbr1auto vmbr2\n"
    assert [m.split("`")[1] for m in messages(CODE, text)] == ["auto"]


def test_the_suggested_fix_restores_the_line_break() -> None:
    text = HEAD + f"    post-up {NAT}post-down iptables -F\n"
    assert (
        fixed(CODE, text, unsafe=True) == HEAD + f"    post-up {NAT}\n    post-down iptables -F\n"
    )
    text = HEAD + "    up ip link set dev vmbr1 mtu 9000iface vmbr2 inet manual\n"
    assert fixed(CODE, text, unsafe=True) == (
        HEAD + "    up ip link set dev vmbr1 mtu 9000\niface vmbr2 inet manual\n"
    )


def test_near_miss_stays_clean() -> None:
    """Hook directories, words ending in `up`/`auto` and quoted text are commands as meant."""
    text = HEAD + (
        "    post-up run-parts /etc/network/if-post-up\n"
        "    post-up ip link set dev vmbr1 up\n"
        "    post-up /usr/local/bin/backup --setup auto\n"
        "    post-up logger 'vmbr1 post-down done'\n"
        "    post-up echo AUTO > /tmp/mode\n"
        f"    post-down {NAT}\n"
    )
    assert CODE not in codes(text)
