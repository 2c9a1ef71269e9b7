"""Helpers shared by two or more rules. Rule modules import from here (and from ``base``
and ``fixes``), never from each other; a helper only one rule uses lives in that rule's module.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from ifguard.config.address import netmask_prefix, parse_address
from ifguard.config.boot import Graph
from ifguard.config.bootpath import BootPath, boot_path, roots
from ifguard.config.lazyre import lazy
from ifguard.config.model import AUTO_KEYWORDS, Attribute, Interface, Statement
from ifguard.config.parse import STANZA_KEYWORDS, STATEMENT_KEYWORDS, Document, Kind, Line
from ifguard.config.topology import ovs_type
from ifguard.lint.classify import Verdict, verdicts
from ifguard.lint.rules.base import Context, Finding
from ifguard.lint.rules.fixes import delete_line

if TYPE_CHECKING:  # ipaddress is imported where it is used: start-up time matters
    import ipaddress

    IPInterface = ipaddress.IPv4Interface | ipaddress.IPv6Interface
    IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class Addr(NamedTuple):
    iface: Interface
    attr: Attribute
    value: IPInterface


_TEMPLATE_CHARS = frozenset("$%{}<>…")


def is_template(word: str) -> bool:
    return not _TEMPLATE_CHARS.isdisjoint(word) or (
        ("x" in word or "X" in word or "#" in word) and placeholder(word) is not None
    )


def parse_address_word(word: str, iface: Interface) -> IPInterface:
    prefix = None if "/" in word else netmask_prefix(iface.get("netmask"))
    return parse_address(word, prefix)


def addresses(ctx: Context) -> list[Addr]:
    """Every parseable static address, with the stanza and attribute it comes from
    (parsed once per lint run and shared by the addressing rules)."""
    cached = ctx.options.get("addresses")
    if isinstance(cached, list):
        return cached
    found: list[Addr] = []
    for iface, attr in ctx.attrs("address"):
        for word in attr.value.split():
            if is_template(word):
                continue
            try:
                found.append(Addr(iface, attr, parse_address_word(word, iface)))
            except ValueError:
                continue
    ctx.options["addresses"] = found
    return found


def gateways(ctx: Context) -> list[tuple[Interface, Attribute, IPAddress]]:
    """Every parseable `gateway`, with its stanza and attribute."""
    import ipaddress

    found = []
    for iface, attr in ctx.attrs("gateway"):
        words = attr.value.split()
        if not words or is_template(words[0]):
            continue
        try:
            found.append((iface, attr, ipaddress.ip_address(words[0])))
        except ValueError:
            continue
    return found


def owner_note(doc: Document, line: Line) -> str:
    if line.stanza < 0:
        return "it is outside any stanza: ifupdown2 rejects the file with 'error processing line'"
    words = doc.lines[line.stanza].words
    name = words[1] if len(words) > 1 else "?"
    return (
        f"ifupdown2 silently stores it as an attribute `{line.keyword}` of `{name}` "
        "and `ifquery`/`ifreload` exit 0"
    )


def junk_lines(ctx: Context, kinds: tuple[str, ...]) -> Iterator[tuple[Document, Line, Verdict]]:
    for doc in ctx.documents:
        for seq, verdict in verdicts(doc).items():
            if verdict.kind in kinds:
                yield doc, doc.lines[seq], verdict


def junk_finding(doc: Document, line: Line, verdict: Verdict, advice: str) -> Finding:
    message = (
        f"line looks like {verdict.what}, not configuration; {owner_note(doc, line)}. {advice}"
    )
    return Finding(doc.line_span(line), message, delete_line(doc, line, "remove the line"))


HOOK_KEYWORDS = frozenset({"up", "down", "pre-up", "post-up", "pre-down", "post-down"})


_KEYWORDS = sorted(STANZA_KEYWORDS | STATEMENT_KEYWORDS | {"allow-hotplug", "allow-auto"})
_LONGEST = max(len(k) for k in _KEYWORDS)


def _distance(a: str, b: str) -> int:
    """Optimal string alignment distance (a transposition counts as one edit)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _one_edit_variants(word: str) -> set[str]:
    letters = "abcdefghijklmnopqrstuvwxyz0123456789-_"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in letters}
    out |= {a + c + b for a, b in splits for c in letters}
    return out


@functools.cache
def _near() -> dict[str, str]:
    """Every word one edit away from a keyword, for an O(1) check per line (built on use)."""
    near: dict[str, str] = {}
    for kw in reversed(_KEYWORDS):
        for variant in _one_edit_variants(kw):
            near[variant] = kw
    for kw in _KEYWORDS:
        near.pop(kw, None)
    return near


@functools.cache  # keywords repeat: one answer per distinct word
def suggest_keyword(word: str, limit: int) -> str | None:
    """The keyword ``word`` is a misspelling of (``limit`` edits at most), if any."""
    if len(word) < 3 or len(word) > _LONGEST + limit:
        return None  # (edit distance is at least the difference in length: no fuzzy match)
    lowered = word.lower()
    if lowered in _KEYWORDS:
        return lowered if lowered != word else None
    if limit <= 1:
        return _near().get(lowered)
    best = min(_KEYWORDS, key=lambda k: _distance(lowered, k))
    return best if _distance(lowered, best) <= limit else None


_FAMILIES = frozenset({"inet", "inet6", "ipx", "can"})


def keyword_typo(line: Line) -> str | None:
    """The keyword a line's first word is a misspelling of, if any."""
    if line.kind is Kind.UNKNOWN:
        return suggest_keyword(line.keyword, 2)
    # Inside a stanza only near-certain cases count: one edit away, and shaped like the
    # statement it imitates (`ifcae eth1 inet static`, `auot eth1`).
    guess = suggest_keyword(line.keyword, 1)
    if guess is None:
        return None
    words = line.words
    if len(words) < 2:
        return None
    if guess in STANZA_KEYWORDS:
        return guess if len(words) == 2 or words[2] in _FAMILIES else None
    return guess


def auto_lines(ctx: Context) -> Iterator[Statement]:
    """The `auto` and `allow-auto` lines (both bring their interfaces up at boot), in order."""
    return (st for st in ctx.config.statements if st.keyword in AUTO_KEYWORDS)


def ovs_stanzas(ctx: Context) -> list[Interface]:
    return [i for i in ctx.config.interfaces if i.stanza == "iface" and ovs_type(i)]


_PLACEHOLDER = lazy(
    r"<[^<>\s]*[A-Za-z][^<>\s]*>"  # <ip>, <Haupt-IP>
    r"|…"  # elided value
    r"|(?<![\w.])\d{1,3}(\.(\d{1,3}|[xX]{1,3})){3}(?![\w.])"  # 172.22.2.XXX, 148.x.x.x
    r"|(^|[\s:/])(x{1,4}|X{1,4})(:|$|/)"  # 2a01:x:x::x
    r"|#{3,}"  # ####.####
)


def placeholder(value: str) -> str | None:
    """The first placeholder in a value (``x.x.x.x``, ``<ip>``, ``192.168.1.XX``), or None."""
    for match in _PLACEHOLDER.finditer(value):
        text = match.group()
        if text[:1].isdigit() and not re.search("[xX]", text):
            continue  # a real IPv4 address
        return text.strip(" :/")
    return None


def boot_graph(ctx: Context) -> Graph:
    """The boot model (``ifguard.config.boot``), built once per run. The NIC inventory
    counts only when it is the host's (``ctx.nics_of_host``): a hint never cuts a path."""
    cached = ctx.options.get("boot-graph")
    if isinstance(cached, Graph):
        return cached
    graph = Graph(ctx.config, ctx.inventory if ctx.nics_of_host else None)
    ctx.options["boot-graph"] = graph
    return graph


def management(ctx: Context) -> BootPath:
    """The management path at boot and what breaks it, computed once per run (severity by
    impact: a rule reports an error where its finding cuts this path, docs/boot.md)."""
    cached = ctx.options.get("boot-path")
    if isinstance(cached, BootPath):
        return cached
    if roots(ctx.config):
        found = boot_path(ctx.config, graph=boot_graph(ctx))
    else:  # no default route in the file: nothing to judge, and no boot model to build
        found = BootPath({}, (), ())
    ctx.options["boot-path"] = found
    return found


def cuts(path: BootPath) -> str:
    """What a finding that cuts the management path adds to its message."""
    return (
        f"; it cuts the management path ({path.summary()}): "
        "after the next boot this host is unreachable"
    )
