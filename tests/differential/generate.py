"""Hypothesis strategies for interfaces files that probe where two readers can part ways:
line endings (LF, CRLF, bare CR), backslashes, comment placement, separators other than a
space, `source`/`source-directory` forms (absolute, relative, globs), odd digits, Unicode
look-alikes and invisible characters in names, long names, aliases and ranges."""

from __future__ import annotations

from hypothesis import strategies as st

EXTRA = "/etc/network/interfaces.d/extra"
EXTRA_TEXT = b"iface extra inet manual\n    mtu 1400\n"

NAMES = [
    "eth0",
    "eno1",
    "vmbr0",
    "bond0",
    "eth0.100",
    "eth0:1",
    "\u0435no1",  # CYRILLIC SMALL LETTER IE
    "eno1\u200b",  # ZERO WIDTH SPACE
    "eth\u202e0",  # RIGHT-TO-LEFT OVERRIDE
    "enp1s0f0np0vlan1000",  # 19 bytes
    "swp[1-3]",
    "Eth0",
]
KEYS = [
    "address",
    "gateway",
    "mtu",
    "bridge-ports",
    "bridge_ports",
    "Address",
    "netmask",
    "post-up",
    "bond-slaves",
]
VALUES = [
    "192.0.2.10/24",
    "192.0.2.010/24",
    "192.0.2.\u0661\u0660/24",
    "1500",
    "eth0 eth1",
    "$IFACE",
    "ip link set $IFACE up",
    "echo a\\tb",
    "255.255.255.0",
    "192.0.2.1",
]
SEPARATORS = [" ", "  ", "\t", "\u00a0"]
INDENTS = ["    ", "\t", "", "\u00a0"]
EOLS = ["\n", "\n", "\n", "\r\n", "\r"]
SOURCES = [
    "source /etc/network/interfaces.d/*",
    "source interfaces.d/*",
    "source /etc/network/interfaces.d/extra",
    "source-directory /etc/network/interfaces.d",
    "source-directory interfaces.d",
    'source "/etc/network/interfaces.d/extra"',
]
COMMENTS = ["# a comment", "# ends in a backslash \\", "# note\r    gateway 192.0.2.99", "#"]


@st.composite
def option(draw: st.DrawFn) -> str:
    indent = draw(st.sampled_from(INDENTS))
    key = draw(st.sampled_from(KEYS))
    sep = draw(st.sampled_from(SEPARATORS))
    value = draw(st.sampled_from(VALUES))
    tail = draw(st.sampled_from(["", "", " ", " \\", "\t"]))
    return f"{indent}{key}{sep}{value}{tail}"


@st.composite
def stanza(draw: st.DrawFn) -> list[str]:
    name = draw(st.sampled_from(NAMES))
    head = draw(
        st.sampled_from([f"iface {name} inet static", f"iface {name} inet manual", f"iface {name}"])
    )
    lines = [f"auto {name}"] if draw(st.booleans()) else []
    lines.append(head)
    body = draw(
        st.lists(
            st.one_of(option(), st.sampled_from(COMMENTS).map(lambda c: "    " + c)),
            max_size=4,
        )
    )
    return lines + body


@st.composite
def interfaces_file(draw: st.DrawFn) -> bytes:
    blocks = draw(
        st.lists(
            st.one_of(
                stanza(),
                st.sampled_from(SOURCES).map(lambda s: [s]),
                st.sampled_from(COMMENTS).map(lambda c: [c]),
                st.just([""]),
            ),
            min_size=1,
            max_size=5,
        )
    )
    out = []
    for block in blocks:
        for line in block:
            out.append(line + draw(st.sampled_from(EOLS)))
    return "".join(out).encode()
