"""Property: every safe fix ifguard offers keeps the configuration's model equal to the model
before, except for what it removes - over generated files with junk, templates, free text and
repeated lines.

The oracle is independent of the fixer's own check (``ifguard.lint.verify``): it compares the
typed model (``ifguard.config.model``). After the fixes, the stanzas are the stanzas before
(minus any removed), each stanza's attributes are a subsequence of *its own* attributes before
(an option never moves to another stanza), the statements are a subsequence of the statements
before (each keeping a subsequence of its names), no line outside a stanza appears, and every
template line is still there, in order.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ifguard.config.model import Config, build
from ifguard.config.parse import Document, Kind, parse
from ifguard.config.source import load_text
from ifguard.lint.engine import lint_loaded
from ifguard.lint.fixer import fix
from ifguard.lint.settings import Settings

SCALE = float(os.environ.get("IFGUARD_FUZZ_SCALE", "0.5"))

POOL = [
    "auto lo",
    "iface lo inet loopback",
    "auto eth0",
    "auto eth0 eth1",
    "allow-hotplug eth1",
    "iface eth0 inet static",
    "iface eth1 inet manual",
    "    address 192.0.2.10/24",
    "    gateway 192.0.2.1",
    "    mtu 9000",
    "    bond-slaves eth0 eth1",
    "    alias UP to core-sw1",
    "    alias eth0 UP 10.0.0.1/24",
    "    description uplink: <BROADCAST,UP> state UP",
    "    post-up iptables -t nat -A POSTROUTING",
    "    -j MASQUERADE",
    "    ovs_options bond_mode=balance-tcp",
    "    tag=1 lacp=active",
    "27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master ovs-system",
    "eth0             UP             192.0.2.10/24 fe80::1/64",
    "root@pve:~# ip a",
    "EOF",
    "<<<<<<< HEAD",
    "=======",
    ">>>>>>> branch",
    "+iface eth2 inet dhcp",
    "--- a/interfaces",
    "[...]",
    "# a comment",
    "",
    "<%",
    "  vlans = {",
    "    '[a]': 10,",
    "  }",
    "%>",
    "% for v in vlans:",
    "iface vlan${v} inet manual",
    "    vlan-raw-device eth0",
    "% endfor",
    "source /nonexistent/x",
    "\x1b[0m",
    "    address 192.0.2.11/24\x1b[0m",
]


def model(doc: Document) -> tuple[Config, list[str], list[str]]:
    unknown = [ln.logical for ln in doc.lines if ln.kind is Kind.UNKNOWN]
    templates = [ln.raw.rstrip("\r\n") for ln in doc.lines if ln.templated]
    return build([doc]), unknown, templates


_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]")


def _clean(text: str) -> str:
    """What a fix may remove inside a line: CRs, a BOM, terminal escape sequences."""
    return _ANSI.sub("", text.replace("\r", "").replace("\ufeff", ""))


def _subsequence(small: Sequence[object], big: Sequence[object]) -> bool:
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


def _stanzas(config: Config) -> list[tuple[tuple[str, ...], list[tuple[str, str]]]]:
    return [
        (
            (i.stanza, _clean(i.name), _clean(i.family), _clean(i.method)),
            [(a.key, _clean(a.value)) for a in i.attributes],
        )
        for i in config.interfaces
    ]


def assert_only_removed(before: Document, after: Document) -> None:
    (cb, ub, tb), (ca, ua, ta) = model(before), model(after)
    sb, sa = _stanzas(cb), _stanzas(ca)
    # stanzas: a subsequence, each matched to a stanza with the same header, in order
    j = 0
    for head, attrs in sa:
        while j < len(sb) and sb[j][0] != head:
            j += 1
        assert j < len(sb), f"stanza {head} appeared"
        assert _subsequence(attrs, sb[j][1]), f"{head}: {attrs} not within {sb[j][1]}"
        j += 1
    stb = [(s.keyword, [_clean(a) for a in s.arguments]) for s in cb.statements]
    sta = [(s.keyword, [_clean(a) for a in s.arguments]) for s in ca.statements]
    j = 0
    for keyword, args in sta:
        while j < len(stb) and not (stb[j][0] == keyword and _subsequence(args, stb[j][1])):
            j += 1
        assert j < len(stb), f"statement {keyword} {args} appeared"
        j += 1
    assert _subsequence([_clean(u) for u in ua], [_clean(u) for u in ub]), (ua, ub)
    assert ta == tb, "a template line changed"


lines = st.lists(st.sampled_from(POOL), min_size=1, max_size=25)


@pytest.mark.slow
@settings(
    max_examples=max(20, int(600 * SCALE)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(body=lines, crlf=st.booleans(), bom=st.booleans(), final_newline=st.booleans())
def test_every_safe_fix_only_removes(
    body: list[str], crlf: bool, bom: bool, final_newline: bool
) -> None:
    eol = "\r\n" if crlf else "\n"
    text = ("\ufeff" if bom else "") + eol.join(body) + (eol if final_newline else "")
    loaded = load_text(text, "interfaces")
    diagnostics = lint_loaded(loaded, Settings()).diagnostics
    # A leading byte-order mark is an encoding artefact (`\ufeffauto` is unreadable): the
    # model the fixes must keep is the one of the file read without it.
    doc = parse(text.removeprefix("\ufeff"), "interfaces")
    for fixed in fix(loaded.documents, diagnostics):
        assert_only_removed(doc, parse(fixed.text.removeprefix("\ufeff"), doc.path))
    # each safe fix on its own, too (what `--select CODE --fix` applies)
    for d in diagnostics:
        if d.fix is not None and d.fix.safe:
            for fixed in fix(loaded.documents, [d]):
                assert_only_removed(doc, parse(fixed.text.removeprefix("\ufeff"), doc.path))


def test_the_oracle_catches_a_moved_option() -> None:
    """The property can fail: deleting the `auto` line that ends a stanza moves `mtu` into it."""
    before = parse("iface eth0 inet static\n    address 192.0.2.1/24\nauto eth0\n    mtu 9000\n")
    after = parse("iface eth0 inet static\n    address 192.0.2.1/24\n    mtu 9000\n")
    try:
        assert_only_removed(before, after)
    except AssertionError:
        return
    raise AssertionError("the oracle accepted an option moving into a stanza")
