"""IFG113 invisible-or-lookalike-character."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.model import canonical
from ifguard.config.parse import Kind, Line
from ifguard.lint.rules.base import Context, Finding, rule

# attributes whose words are interface names
_NAME_KEYS = frozenset(
    {
        "bridge-ports",
        "bond-slaves",
        "bond-members",
        "bond-master",
        "bond-primary",
        "vlan-raw-device",
        "vrf",
        "link",
        "vxlan-physdev",
        "ovs-bridge",
        "ovs-ports",
        "ovs-bonds",
        "ovs-patch-peer",
        "requires",
    }
)
# letters of other scripts drawn like Latin ones (NFKC folds fullwidth forms by itself)
_LOOKS_LIKE = dict(
    zip(
        "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u0501\u04bb"
        "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425"
        "\u03b1\u03bf\u03bd\u03b9\u03ba\u03c1\u0391\u0392\u0395\u0397\u0399\u039a\u039c"
        "\u039d\u039f\u03a1\u03a4\u03a7",
        "aeopcyxijsdhABEKMHOPCTXaovikpABEHIKMNOPTX",
        strict=True,
    )
)
_WORD = re.compile(r"\S+")
_INVISIBLE = frozenset({"Cf", "Zl", "Zp"})  # (other spaces: _spaced; marks: in names)


@rule("IFG113", "invisible-or-lookalike-character", Severity.ERROR)
def invisible_or_lookalike_character(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds characters a reader cannot see or cannot tell apart, outside comments: invisible
    ones anywhere (zero-width space U+200B, bidirectional overrides such as U+202E, a
    byte-order mark inside the file, soft hyphens), spaces that are not U+0020 (no-break
    space U+00A0, U+2003 ...), and any non-ASCII character in an interface name (`iface`,
    `auto`/`allow-*`, `bridge-ports`, `bond-slaves`, `ovs_bridge` ...), such as the Cyrillic
    `е` (U+0435) of `еno1`. The message names each character by code point and name.

    ## Why is this bad?
    The file says something else than what it shows. `еno1` with a Cyrillic `е` is not the
    NIC `eno1`: the stanza configures an interface that does not exist while the NIC stays
    down. A no-break space splits words for ifupdown2 (Python's `\\s`) but is not stripped
    from the start of a line, so an indented `address` becomes an attribute named ``
    whose value is the whole line; classic ifupdown reads it as part of the word.

    ## Example
    ```
    auto \u0435no1
    iface \u0435no1 inet dhcp
    ```

    ## Use instead
    ```
    auto eno1
    iface eno1 inet dhcp
    ```
    """
    for doc in ctx.documents:
        if doc.text.isascii():
            continue
        for line in doc.lines:
            raw = line.raw
            if raw.isascii() or line.kind in (Kind.COMMENT, Kind.TEMPLATE):
                continue
            names = _name_words(line)
            for index, match in enumerate(_WORD.finditer(raw)):
                word = match.group()
                if word.isascii():
                    continue
                is_name = index in names
                for offset, ch in enumerate(word):
                    problem = _problem(ch, is_name, line.start + match.start() + offset)
                    if problem:
                        at = line.start + match.start() + offset
                        yield Finding(doc.span(at, at + 1), f"`{_shown(word)}` {problem}")
            for offset, ch in enumerate(raw):  # invisible separators between words
                if ch != " " and ch.isspace() and not ch.isascii():
                    at = line.start + offset
                    yield Finding(doc.span(at, at + 1), f"{_spaced(ch)}")


def _name_words(line: Line) -> set[int]:
    """Indexes of the words of a line that are interface names."""
    if line.kind is Kind.STANZA:
        return {1}
    if line.kind is Kind.STATEMENT and (line.keyword == "auto" or line.keyword[:6] == "allow-"):
        return set(range(1, len(line.words)))
    if line.kind is Kind.OPTION and canonical(line.keyword) in _NAME_KEYS:
        return set(range(1, len(line.words)))
    return set()


def _shown(word: str) -> str:
    """The word with its invisible characters written as escapes."""
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in _INVISIBLE else c for c in word)


def _label(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}"


def _problem(ch: str, is_name: bool, offset: int) -> str | None:
    if ch.isascii() or "\udc80" <= ch <= "\udcff":
        return None  # (invalid UTF-8 is IFG104's)
    category = unicodedata.category(ch)
    if category in _INVISIBLE and not (ch == "\ufeff" and offset == 0):  # (leading BOM: IFG105)
        return f"contains {_label(ch)}, an invisible character: remove it"
    if not is_name:
        return None
    latin = _LOOKS_LIKE.get(ch) or unicodedata.normalize("NFKC", ch)
    looks = f", which looks like `{latin}`" if latin.isascii() and latin != ch else ""
    return (
        f"contains {_label(ch)}{looks}: interface names are ASCII "
        "(this is not the interface it looks like); retype the name"
    )


def _spaced(ch: str) -> str:
    return (
        f"{_label(ch)} is not a plain space: ifupdown2 splits words on it but does not strip "
        "it at the start or end of a line, classic ifupdown reads it as part of a word; "
        "replace it with a space"
    )
