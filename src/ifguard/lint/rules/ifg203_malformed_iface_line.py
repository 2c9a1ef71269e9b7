"""IFG203 malformed-iface-line."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.dialect import Dialect
from ifguard.lint.rules.base import Context, Finding, rule

METHODS: dict[str, frozenset[str]] = {
    "inet": frozenset(
        {
            "static",
            "dhcp",
            "manual",
            "loopback",
            "ppp",
            "bootp",
            "tunnel",
            "wvdial",
            "ipv4ll",
            "dhcp6",
            "auto",
        }
    ),
    "inet6": frozenset(
        {
            "auto",
            "dhcp",
            "static",
            "manual",
            "loopback",
            "v4tunnel",
            "6to4",
            "ppp",
            "tunnel",
            "dhcp6",
        }
    ),
    "ipx": frozenset({"static", "dynamic"}),
    "can": frozenset({"static"}),
}


_ALL_METHODS = frozenset(m for methods in METHODS.values() for m in methods)


@rule("IFG203", "malformed-iface-line", Severity.ERROR)
def malformed_iface_line(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks `iface NAME [FAMILY METHOD]` lines: a missing name (also `iface inet static`,
    where the family is taken for the name), an unknown address family
    (`net` for `inet`), a method the family does not have, and extra words (only
    `inherits NAME` may follow in classic ifupdown).

    ## Why is this bad?
    ifup refuses the stanza ("too few parameters for iface line", "unknown address family"),
    so the interface is not configured at boot or reload; ifupdown2 drops the family and
    method and treats the interface as something else.

    ## Example
    ```
    auto lo
    iface lo net loopback
    ```

    ## Use instead
    ```
    auto lo
    iface lo inet loopback
    ```
    """
    for iface in ctx.config.interfaces:
        if iface.stanza != "iface":
            continue
        words = iface.line.words
        doc = iface.document
        if len(words) < 2:
            yield Finding(iface.span, "`iface` without an interface name")
            continue
        if words[1] in METHODS and (len(words) == 2 or words[2] in _ALL_METHODS):
            rest = f" and `{words[2]}` as its address family" if len(words) > 2 else ""
            yield Finding(
                doc.word_span(iface.line, 1),
                f"stanza without an interface name: `{words[1]}` is read as the name{rest}; "
                f"write `iface NAME {' '.join(words[1:])}`",
            )
            continue
        if ctx.dialect is Dialect.IFUPDOWN2:
            unsupported = _ifupdown2_unsupported(words)
            if unsupported:
                index, message = unsupported
                yield Finding(doc.word_span(iface.line, index), message)
                continue
        if words[-1] in ("inherits", "inherit"):
            yield Finding(
                doc.word_span(iface.line, len(words) - 1),
                f"`{words[-1]}` is missing the name of the stanza to inherit from",
            )
            continue
        inherits = False
        for i, word in enumerate(words[2:-1], 2):  # `inherits NAME` may follow name/family/method
            if word in ("inherits", "inherit"):
                words = words[:i] + words[i + 2 :]
                inherits = True
                break
        if len(words) == 2:
            continue  # ifupdown2 / ifupdown-ng style: `iface NAME`
        family = words[2]
        if family not in METHODS:
            guess = "inet6" if family.endswith("6") else "inet"
            yield Finding(
                doc.word_span(iface.line, 2),
                f"unknown address family `{family}`; did you mean `{guess}`?",
            )
            continue
        if len(words) == 3:
            if ctx.dialect is Dialect.IFUPDOWN and not inherits:  # (else: the method inherited)
                yield Finding(
                    doc.word_span(iface.line, 2),
                    f"`iface {words[1]} {family}` has no method (static, dhcp, manual"
                    " ...): classic ifupdown rejects it",
                )
            continue
        if words[3] not in METHODS[family]:
            known = ", ".join(sorted(METHODS[family]))
            yield Finding(
                doc.word_span(iface.line, 3),
                f"`{words[3]}` is not a method of `{family}` (known: {known})",
            )
        if len(words) > 4:
            yield Finding(
                doc.word_span(iface.line, 4),
                f"extra word(s) `{' '.join(words[4:])}` after the method are not understood",
            )


def _ifupdown2_unsupported(words: list[str]) -> tuple[int, str] | None:
    """What ifupdown2 3.0's parser rejects on an `iface` line that other dialects accept:
    `inherits` (read as the address family) and families other than inet/inet6."""
    for i, word in enumerate(words[2:], 2):
        if word in ("inherits", "inherit") and i == 2:
            return i, (
                f"ifupdown2 has no `{word}`: it reads it as the address family, rejects it "
                f"('unsupported address family') and configures `{words[1]}` without "
                "family, method or inherited options (classic ifupdown and ifupdown-ng "
                "support it); copy the options into the stanza"
            )
        if word in ("inherits", "inherit"):
            return i, (
                f"ifupdown2 has no `{word}`: it ignores every word after the method, so "
                f"`{words[1]}` inherits nothing (classic ifupdown and ifupdown-ng support "
                "it); copy the options into the stanza"
            )
    if len(words) > 2 and words[2] in ("ipx", "can"):
        return 2, (
            f"ifupdown2 knows only the inet and inet6 address families: it rejects "
            f"`{words[2]}` and configures `{words[1]}` without family or method"
        )
    return None
