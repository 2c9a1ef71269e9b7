"""IFG1xx: lines that are not configuration (pasted output, prompts, markers, stray names)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.parse import STANZA_KEYWORDS, STATEMENT_KEYWORDS, Document, Kind, Line
from ifguard.lint.classify import (
    FREE_TEXT,
    Verdict,
    classify,
    embedded_output,
    valid_name,
    verdicts,
)
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.fixes import delete_line, replace

_JUDGED = (Kind.OPTION, Kind.UNKNOWN)


def _owner(doc: Document, line: Line) -> str:
    if line.stanza < 0:
        return "it is outside any stanza: ifupdown2 rejects the file with 'error processing line'"
    words = doc.lines[line.stanza].words
    name = words[1] if len(words) > 1 else "?"
    return (
        f"ifupdown2 silently stores it as an attribute `{line.keyword}` of `{name}` "
        "and `ifquery`/`ifreload` exit 0"
    )


def _junk(ctx: Context, kinds: tuple[str, ...]) -> Iterator[tuple[Document, Line, Verdict]]:
    for doc in ctx.documents:
        for seq, verdict in verdicts(doc).items():
            if verdict.kind in kinds:
                yield doc, doc.lines[seq], verdict


def _glued_output(doc: Document, line: Line) -> Iterator[Finding]:
    raw = line.raw
    at = embedded_output(raw)
    if at is None:
        return
    end = len(raw.rstrip(" \t\r\n"))
    yield Finding(
        doc.span(line.start + at, line.start + end),
        f"the value of `{line.keyword}` ends in pasted `ip` output ("
        f"`{raw[at:end][:40]}…`), most likely a line appended to a file without a "
        "final newline: ifupdown2 reads every word of it as part of the value. Delete "
        "it and repair the word it was glued to (no automatic fix: where that word "
        "ended is a guess)",
    )


def _report(doc: Document, line: Line, verdict: Verdict, advice: str) -> Finding:
    message = f"line looks like {verdict.what}, not configuration; {_owner(doc, line)}. {advice}"
    return Finding(doc.line_span(line), message, delete_line(doc, line, "remove the line"))


@rule("IFG101", "pasted-command-output", Severity.ERROR, fixable=True)
def pasted_command_output(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds lines that are the output of a command (`ip link`, `ip addr`, `ip -br`, `ifconfig`,
    `brctl show`, `ovs-vsctl show`, `ovs-appctl bond/show`, `/proc/net/bonding/*`, `ethtool`,
    `ping`, `systemctl status`, logs) rather than configuration, wherever they stand.

    ## Why is this bad?
    A terminal redirection (`ip a >> /etc/network/interfaces`) or a careless paste appends such
    lines. ifupdown2 does not complain: a non-keyword line after an `iface` line becomes an
    attribute of that stanza (`27:`), `ifquery` and `ifreload` exit 0, and the next reload
    runs with a config nobody wrote. This is how a Proxmox node lost its OVS bond.

    ## Example
    ```
    auto vmbr0
    iface vmbr0 inet static
        address 192.0.2.10/24
    27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master ovs-system state UP
    ```

    ## Use instead
    ```
    auto vmbr0
    iface vmbr0 inet static
        address 192.0.2.10/24
    ```
    """
    for doc, line, verdict in _junk(ctx, ("output",)):
        yield _report(doc, line, verdict, "Delete it (`ifguard lint --fix` does).")
    # Output pasted after a line ending in a backslash becomes part of that option's value.
    for doc in ctx.documents:
        if "\\\n" not in doc.text and "\\\r\n" not in doc.text:
            continue
        for line in doc.lines:
            if line.kind is Kind.OPTION and "\\\n" in line.raw.replace("\r\n", "\n"):
                yield from _continued_junk(doc, line)
    # Output glued to the end of an option line (appended to a file without a final newline).
    for doc in ctx.documents:
        if ": <" not in doc.text:
            continue
        junk = verdicts(doc)
        for line in doc.lines:
            if (
                line.kind is Kind.OPTION
                and line.seq not in junk
                and ": <" in line.raw
                and line.keyword not in _COMMANDS
                and line.keyword not in FREE_TEXT
                and "\\\n" not in line.raw
            ):
                yield from _glued_output(doc, line)  # (commands may echo anything)


def _continued_junk(doc: Document, line: Line) -> Iterator[Finding]:
    offset = line.start
    physical = line.raw.split("\n")
    for i, part in enumerate(physical):
        if i and part.strip():
            verdict = classify(part)
            if verdict:
                span = doc.span(offset, offset + len(part.rstrip("\r")))
                yield Finding(
                    span,
                    f"continuation line looks like {verdict.what}: the backslash on the line "
                    f"before makes it part of the value of `{line.keyword}`, so the reload uses "
                    "a corrupted value. Remove the line and the trailing backslash.",
                )
        offset += len(part) + 1


@rule("IFG102", "pasted-shell-command", Severity.ERROR, fixable=True)
def pasted_shell_command(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds shell prompts (`root@pve:~# ip a`, `$ sudo ...`) and shell commands (`cat <<EOF >
    /etc/network/interfaces`, `systemctl restart networking`) standing as lines of the file.

    ## Why is this bad?
    They are what a copy of a terminal session or of a how-to leaves behind. No dialect runs
    them; ifupdown2 keeps them as attributes of the stanza above without a word.

    ## Example
    ```
    auto eno1
    iface eno1 inet dhcp
    root@pve:~# systemctl restart networking
    ```

    ## Use instead
    ```
    auto eno1
    iface eno1 inet dhcp
    ```
    """
    for doc, line, verdict in _junk(ctx, ("shell",)):
        yield _report(
            doc,
            line,
            verdict,
            "Delete it; commands that must run belong in `post-up`/`pre-up` options.",
        )


@rule("IFG103", "stray-marker", Severity.ERROR, fixable=True)
def stray_marker(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds heredoc end markers (`EOF`), diff and patch lines (`--- a/...`, `@@ -1 +1 @@`,
    `+iface ...`) and merge-conflict markers (`<<<<<<<`, `=======`, `>>>>>>>`).
    Heredoc markers and patch headers have a fix (delete the line); conflict markers and
    `+`/`-` lines do not: there is no safe side to pick.

    ## Why is this bad?
    They show the file was produced by an interrupted heredoc, a half-applied patch or a
    conflicted merge: the configuration around them may be incomplete or doubled.

    ## Example
    ```
    auto lo
    iface lo inet loopback
    EOF
    ```

    ## Use instead
    ```
    auto lo
    iface lo inet loopback
    ```
    """
    for doc, line, verdict in _junk(ctx, ("marker",)):
        if _no_safe_side(line):
            yield Finding(
                doc.line_span(line),
                f"line looks like {verdict.what}, not configuration; {_owner(doc, line)}. "
                "No automatic fix: the lines around it may hold two versions of the "
                "configuration (or one half of a patch) and there is no safe side to pick. "
                "Resolve it by hand, then lint again.",
            )
            continue
        yield _report(doc, line, verdict, "Remove it and check the stanzas around it.")


_CONFLICT = re.compile(r"^(<{7}( |$)|={7}$|>{7}( |$)|\|{7}( |$))")


def _no_safe_side(line: Line) -> bool:
    """A merge-conflict marker, or a `+`/`-` line of a diff: deleting it would keep both
    sides of a conflict, or drop configuration someone meant to add."""
    stripped = line.body.strip(" \t\r")
    return bool(_CONFLICT.match(stripped)) or (
        stripped[:1] in ("+", "-") and not (stripped.startswith(("+++ ", "--- ")))
    )


@rule("IFG108", "invalid-option-name", Severity.ERROR, fixable=True)
def invalid_option_name(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds lines inside a stanza whose first word cannot be an option name: it starts with a
    digit or punctuation (`27:`, `-`, `[...]`, `…`) or contains characters no option has.

    ## Why is this bad?
    Such lines are leftovers (separator lines, elisions from documentation, fragments of
    pasted text). ifupdown2 keeps them as attributes of the stanza and says nothing.

    ## Example
    ```
    iface bond0 inet manual
        bond-slaves eno1 eno2
    [...]
    ```

    ## Use instead
    ```
    iface bond0 inet manual
        bond-slaves eno1 eno2
    ```
    """
    for doc in ctx.documents:
        for line in doc.lines:
            if (
                line.kind is Kind.OPTION
                and not valid_name(line.keyword)
                and line.seq not in verdicts(doc)
            ):
                yield _invalid_name(doc, line)


_COMMANDS = frozenset({"up", "down", "pre-up", "post-up", "pre-down", "post-down"})
# options whose value is a list of key=value settings
_OPTION_LIST = re.compile(r"^(ovs[-_]options|ovs[-_]extra|bond[-_]options|bridge[-_]options)$")


def _invalid_name(doc: Document, line: Line) -> Finding:
    prev = doc.lines[line.seq - 1] if line.seq else None
    if (
        line.keyword.startswith("-")
        and len(line.keyword) > 1
        and prev is not None
        and prev.kind is Kind.OPTION
        and prev.keyword in _COMMANDS
    ):
        # `-j MASQUERADE` under `post-up iptables ...`: a command wrapped without a backslash.
        eol = prev.eol
        at = prev.end - len(eol)
        fix = replace(doc, at, at, " \\", "end the line above with a backslash to continue it")
        return Finding(
            doc.line_span(line),
            f"`{line.body.strip()}` looks like the rest of the `{prev.keyword}` command "
            "above, wrapped without a trailing backslash: the command runs without it "
            f"and {_owner(doc, line)}",
            fix,
        )
    if (
        prev is not None
        and prev.kind is Kind.OPTION
        and _OPTION_LIST.match(prev.keyword)
        and all("=" in w for w in line.words)
    ):
        # `bond_mode=balance-tcp tag=1` under `ovs_options ...`: a long line wrapped by a
        # paste. Deleting it would drop settings (the incident lab lost its tag that way).
        at = prev.end - len(prev.eol)
        fix = replace(
            doc,
            at,
            line.start + len(line.indent),
            " ",
            f"join it to the `{prev.keyword}` line above",
        )
        return Finding(
            doc.line_span(line),
            f"`{line.body.strip()}` looks like the rest of the `{prev.keyword}` line "
            f"above, wrapped onto its own line: those settings are not applied and "
            f"{_owner(doc, line)}. Join it to the line above",
            fix,
        )
    msg = (
        f"`{line.keyword}` is not an option name; {_owner(doc, line)}. "
        "Delete the line or turn it into a `#` comment."
    )
    return Finding(doc.line_span(line), msg, delete_line(doc, line, "remove the line"))


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


def _typo(line: Line) -> str | None:
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


@rule("IFG107", "misspelt-keyword", Severity.ERROR)
def misspelt_keyword(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds a misspelt top-level keyword (`ifcae`, `auot`, `Auto`, `sourc`) and suggests the
    keyword it is closest to.

    ## Why is this bad?
    Before the first stanza ifupdown2 only prints "error processing line". After a stanza it is
    worse: `ifcae eth1 inet static` becomes an attribute of the previous interface and every
    option below it silently moves to that interface.

    ## Example
    ```
    auot eth0
    iface eth0 inet dhcp
    ```

    ## Use instead
    ```
    auto eth0
    iface eth0 inet dhcp
    ```
    """
    for doc in ctx.documents:
        junk = verdicts(doc)
        for line in doc.lines:
            if line.kind not in _JUDGED or line.seq in junk:
                continue
            guess = _typo(line)
            if guess:
                where = "" if line.kind is Kind.UNKNOWN else f"; as written, {_owner(doc, line)}"
                yield Finding(
                    doc.word_span(line, 0),
                    f"`{line.keyword}` is not a keyword; did you mean `{guess}`?{where}",
                )


@rule("IFG110", "option-outside-stanza", Severity.ERROR)
def option_outside_stanza(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds option lines (`address ...`, `bridge-ports ...`) that belong to no `iface` stanza:
    before the first stanza, or after an `auto`/`source` line that ended the stanza.

    ## Why is this bad?
    ifupdown2 reports "error processing line" and ignores the option; classic ifupdown refuses
    the file. Either way the setting you wrote is not applied.

    ## Example
    ```
    address 192.0.2.10/24
    auto eth0
    iface eth0 inet static
    ```

    ## Use instead
    ```
    auto eth0
    iface eth0 inet static
        address 192.0.2.10/24
    ```
    """
    for doc in ctx.documents:
        for line in doc.lines:
            if line.kind is not Kind.UNKNOWN or line.seq in verdicts(doc):
                continue
            if _typo(line) is None:
                yield Finding(
                    doc.line_span(line),
                    f"`{line.keyword}` is outside any iface stanza; move it under the "
                    "`iface` line it belongs to",
                )
