"""A typed, read-only view of the parsed files: interfaces, their attributes, auto/allow sets.

Attribute names are kept as written; lookups treat ``_`` and ``-`` alike (``bond_slaves`` is
``bond-slaves``), which is what ifupdown2 and the bonding/bridge helpers do.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from ifguard.config.diagnostic import Span
from ifguard.config.parse import Document, Kind, Line


def canonical(name: str) -> str:
    """The lookup key of an attribute name: ``bond_slaves`` and ``bond-slaves`` are the same."""
    return name.replace("_", "-")


class Attribute(NamedTuple):
    name: str
    value: str
    line: Line
    document: Document
    key: str  # canonical(name), computed once: rules compare it a great many times

    @property
    def span(self) -> Span:
        return self.document.line_span(self.line)

    @property
    def name_span(self) -> Span:
        return self.document.word_span(self.line, 0)


class Interface(NamedTuple):
    """One stanza: ``iface NAME [FAMILY METHOD]`` (or ``template``/``vlan``/``mapping``)."""

    name: str
    family: str  # 'inet', 'inet6', ... or '' when the stanza does not say
    method: str  # 'static', 'dhcp', 'manual', ... or ''
    attributes: tuple[Attribute, ...]
    line: Line
    document: Document
    stanza: str = "iface"  # the keyword that opened the stanza

    @property
    def span(self) -> Span:
        return self.document.line_span(self.line)

    @property
    def name_span(self) -> Span:
        return self.document.word_span(self.line, 1)

    def get(self, name: str) -> str | None:
        key = canonical(name) if "_" in name else name
        for attr in self.attributes:
            if attr.key == key:
                return attr.value
        return None

    def get_all(self, name: str) -> list[str]:
        key = canonical(name)
        return [a.value for a in self.attributes if a.key == key]

    def find(self, name: str) -> list[Attribute]:
        key = canonical(name)
        return [a for a in self.attributes if a.key == key]

    def words(self, name: str) -> list[str]:
        """All whitespace-separated words of every occurrence of an attribute."""
        return [w for v in self.get_all(name) for w in v.split()]


AUTO_KEYWORDS = ("auto", "allow-auto")  # both bring their interfaces up at boot


class Statement(NamedTuple):
    """A top-level ``auto``/``allow-*``/``source``/... line."""

    keyword: str
    arguments: tuple[str, ...]
    line: Line
    document: Document

    @property
    def span(self) -> Span:
        return self.document.line_span(self.line)


class Config(NamedTuple):
    documents: tuple[Document, ...]
    interfaces: tuple[Interface, ...]
    statements: tuple[Statement, ...]
    by_name: Mapping[str, tuple[Interface, ...]]
    auto: frozenset[str]
    allow: Mapping[str, frozenset[str]]

    def iface(self, name: str) -> Interface | None:
        """The first ``iface`` stanza with that name (templates and mappings excluded)."""
        for candidate in self.by_name.get(name, ()):
            if candidate.stanza == "iface":
                return candidate
        return None

    def defined(self, name: str) -> bool:
        return name in self.by_name


_KEYS: dict[str, str] = {}


def _key(name: str) -> str:
    key = _KEYS.get(name)
    if key is None:
        key = _KEYS[name] = canonical(name)
    return key


def _interface(doc: Document, header: Line, body: Sequence[Line]) -> Interface:
    words = header.words
    name = words[1] if len(words) > 1 else ""
    # a handful of distinct families and methods: one string object each, not one per stanza
    family = sys.intern(words[2]) if len(words) > 2 else ""
    method = sys.intern(words[3]) if len(words) > 3 else ""
    option = Kind.OPTION
    attributes = tuple(
        Attribute(line.keyword, line.value, line, doc, _key(line.keyword))
        for line in body
        if line.kind is option
    )
    return Interface(name, family, method, attributes, header, doc, header.keyword)


def build(documents: Iterable[Document]) -> Config:
    docs = tuple(documents)
    interfaces: list[Interface] = []
    statements: list[Statement] = []
    for doc in docs:
        for line in doc.lines:
            if line.kind is Kind.STATEMENT:
                words = line.words
                statements.append(Statement(words[0], tuple(words[1:]), line, doc))
        interfaces.extend(_interface(doc, header, body) for header, body in doc.stanzas())
    by_name: dict[str, list[Interface]] = {}
    for iface in interfaces:
        by_name.setdefault(iface.name, []).append(iface)
    auto: set[str] = set()
    allow: dict[str, set[str]] = {}
    for st in statements:
        if st.keyword in AUTO_KEYWORDS:
            auto.update(st.arguments)
        elif st.keyword.startswith("allow-"):
            allow.setdefault(st.keyword[6:], set()).update(st.arguments)
    return Config(
        documents=docs,
        interfaces=tuple(interfaces),
        statements=tuple(statements),
        by_name={k: tuple(v) for k, v in by_name.items()},
        auto=frozenset(auto),
        allow={k: frozenset(v) for k, v in allow.items()},
    )
