"""What a rule is: metadata plus one pure function ``check(ctx) -> Iterator[Finding]``.

The function's docstring is the rule's documentation (What it does / Why is this bad? /
Example / Use instead); ``ifguard explain`` prints it and a generic test lints its examples.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from ifguard.config.diagnostic import Fix, Severity, Span
from ifguard.config.dialect import ALL_DIALECTS, Dialect
from ifguard.config.lazyre import lazy
from ifguard.config.model import Attribute, Config, Interface
from ifguard.config.parse import Document
from ifguard.config.source import Loaded


class Finding(NamedTuple):
    """What a rule yields; the engine adds code, name and (possibly overridden) severity."""

    span: Span
    message: str
    fix: Fix | None = None
    severity: Severity | None = None  # only when one rule reports at two levels


class Context:
    """Everything a rule may look at. Rules never do I/O. ``options`` holds per-run caches
    (attribute index, parsed addresses) shared by the rules."""

    __slots__ = ("config", "dialect", "inventory", "loaded", "nics_of_host", "options")

    def __init__(
        self,
        loaded: Loaded,
        config: Config,
        dialect: Dialect,
        inventory: frozenset[str] | None = None,
        options: dict[str, object] | None = None,
        *,
        nics_of_host: bool = True,
    ) -> None:
        self.loaded = loaded
        self.config = config
        self.dialect = dialect
        self.inventory = inventory  # NIC names from /sys/class/net, when known
        # the inventory is the NICs of the host this configuration is for (not a hint)
        self.nics_of_host = nics_of_host
        self.options: dict[str, object] = options if options is not None else {}

    @property
    def documents(self) -> list[Document]:
        return self.loaded.documents

    def attrs(self, *keys: str) -> list[tuple[Interface, Attribute]]:
        """(stanza, attribute) pairs with one of the canonical ``keys``, in file order.

        The index of all attributes by key is built once per run: rules ask for the few
        attributes they check instead of each walking every attribute of every stanza."""
        index = self._index()
        owner = self._owners()
        pairs = [
            (owner[(id(a.document), a.line.stanza)], a) for k in keys for a in index.get(k, ())
        ]
        if len(keys) > 1:
            pairs.sort(key=lambda p: (p[1].document.path, p[1].line.seq))
        return pairs

    def _index(self) -> dict[str, list[Attribute]]:
        cached = self.options.get("attribute-index")
        if isinstance(cached, dict):
            return cached
        index: dict[str, list[Attribute]] = {}
        for iface in self.config.interfaces:
            for attr in iface.attributes:
                index.setdefault(attr.key, []).append(attr)
        self.options["attribute-index"] = index
        return index

    def _owners(self) -> dict[tuple[int, int], Interface]:
        cached = self.options.get("attribute-owners")
        if isinstance(cached, dict):
            return cached
        # only stanzas with attributes can own one (a bare stanza costs no entry)
        owners = {(id(i.document), i.line.seq): i for i in self.config.interfaces if i.attributes}
        self.options["attribute-owners"] = owners
        return owners

    def attribute_keys(self) -> list[str]:
        return list(self._index())


Check = Callable[[Context], Iterable[Finding]]


class Rule(NamedTuple):
    code: str
    name: str
    severity: Severity
    check: Check
    dialects: frozenset[Dialect] = ALL_DIALECTS
    fixable: bool = False

    @property
    def doc(self) -> str:
        import inspect

        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        """The first sentence of *What it does*."""
        text = section(self.doc, "What it does")
        first = text.split(". ")[0].strip().rstrip(".")
        return " ".join(first.split())

    def run(self, ctx: Context) -> Iterator[Finding]:
        yield from self.check(ctx)


def rule(
    code: str,
    name: str,
    severity: Severity,
    *,
    dialects: Iterable[Dialect] = ALL_DIALECTS,
    fixable: bool = False,
) -> Callable[[Check], Rule]:
    """Decorator turning a check function into a ``Rule``."""

    def wrap(check: Check) -> Rule:
        return Rule(code, name, severity, check, frozenset(dialects), fixable)

    return wrap


_SECTION = lazy(r"^## (.+)$", re.M)


def section(doc: str, title: str) -> str:
    """The body of a ``## Title`` section of a rule docstring."""
    parts = _SECTION.split(doc)
    for i in range(1, len(parts) - 1, 2):
        if parts[i].strip().lower() == title.lower():
            return parts[i + 1].strip("\n")
    return ""


def code_block(text: str) -> str:
    """The content of the first fenced block in ``text`` (used for Example/Use instead)."""
    match = re.search(r"```[a-z]*\n(.*?)```", text, re.S)
    return match.group(1) if match else ""
