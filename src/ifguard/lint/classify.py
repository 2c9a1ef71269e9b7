"""Recognise lines that are not configuration at all: pasted command output, shell prompts,
heredoc and diff markers. Pure functions on text; the 1xx junk rules use them.

A line is judged by its content, never by its indentation (no dialect gives indentation a
meaning). Checks are ordered cheapest first: most lines start with a lower-case option name
and are dismissed by one set lookup.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from ifguard.config.lazyre import lazy
from ifguard.config.parse import STANZA_KEYWORDS, STATEMENT_KEYWORDS, Document, Kind
from ifguard.lint.output_patterns import OUTPUT_SOURCES


class Verdict(NamedTuple):
    kind: str  # "output" | "shell" | "marker"
    what: str  # human description: "output of `ip link`"


_IP_STATES = frozenset({"UP", "DOWN", "UNKNOWN", "LOWERLAYERDOWN", "DORMANT", "NOTPRESENT"})


@functools.cache
def _output_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(p), d) for p, d in OUTPUT_SOURCES)


_PROMPT = lazy(
    r"^(\[[\w.-]+@[\w.-]+[^\]]*\]|[\w.-]+@[\w.-]+(:[^\s#$]*)?|\(\S+\)\s*[\w.-]+@[\w.-]+\S*)"
    r"\s?[#$%>](\s|$)"
)
_DOLLAR_PROMPT = lazy(r"^[$%]\s+\S")
_SHELL_COMMANDS = frozenset(
    {
        "sudo",
        "su",
        "cat",
        "echo",
        "printf",
        "tee",
        "nano",
        "vi",
        "vim",
        "emacs",
        "systemctl",
        "service",
        "ifreload",
        "ifup",
        "ifdown",
        "ifquery",
        "ip",
        "ifconfig",
        "brctl",
        "bridge",
        "ovs-vsctl",
        "ovs-appctl",
        "ovs-ofctl",
        "apt",
        "apt-get",
        "dpkg",
        "reboot",
        "cd",
        "ls",
        "grep",
        "less",
        "more",
        "tail",
        "head",
        "journalctl",
        "dmesg",
        "ping",
        "ethtool",
        "nmcli",
        "pvesh",
        "qm",
        "pct",
        "exit",
        "logout",
        "chmod",
        "cp",
        "mv",
        "rm",
        "sed",
        "awk",
        "curl",
        "wget",
        "ssh",
        "scp",
        "export",
        "source-file",
        "watch",
        "tcpdump",
        "lsblk",
        "mount",
    }
)
_HEREDOC = lazy(r"<<-?\s*['\"]?[A-Za-z_]+['\"]?")
_HEREDOC_END = frozenset({"EOF", "EOT", "END", "_EOF_", "__EOF__", "EOL", "HERE"})
_DIFF = lazy(
    r"^(diff --git |index [0-9a-f]{7,}\.\.[0-9a-f]{7,}|@@ -\d+(,\d+)? \+\d+(,\d+)? @@|"
    r"(\+\+\+|---) (a/|b/|/|\S+\.(orig|new|bak|interfaces))|<{7}( |$)|={7}$|>{7}( |$))"
)
_DIFF_BODY = lazy(r"^[+-]\s*(\S+)")
_VALID_NAME = lazy(r"^[A-Za-z][A-Za-z0-9_.-]*$")
_KEYWORDS = STANZA_KEYWORDS | STATEMENT_KEYWORDS
# Lower-case words that start pasted output or shell commands: never dismissed by the fast path.
_SUSPECT_WORDS = (
    frozenset(
        {
            "inet",
            "inet6",
            "valid_lft",
            "altname",
            "default",
            "bridge",
            "member",
            "slave",
            "ether",
            "link",
            "hash",
            "may_enable",
            "details",
            "port",
            "system",
            "oper",
            "rtt",
            "round-trip",
            "diff",
            "index",
            "actor",
            "partner",
            "aggregation",
            "all",
            "next",
            "active",
            "active-backup",
            "lb_output",
            "bond",
            "drv",
            "probe",
            "loop",
            "unspec",
            "collisions",
        }
    )
    | _SHELL_COMMANDS
)


@functools.cache
def valid_name(word: str) -> bool:
    """Could ``word`` be an option name? (letters, digits, ``_ . -``; starts with a letter)."""
    return bool(_VALID_NAME.match(word))


# Output whose first word looks like an option name (an interface name): `ip -br`, `brctl show`,
# old `ifconfig`. Lines containing one of these go through the full classification.
_OUTPUT_HINTS = lazy(
    r" UP| DOWN|UNKNOWN|LOWERLAYERDOWN|DORMANT|NOTPRESENT|8000\.|Link encap:|: flags=\d|"
    r"txqueuelen|numrxqueues|cost \d+ hairpin"
)


@functools.cache
def _plausible_head(head: str) -> bool:
    if len(head) == 36 and head.count("-") == 4:  # a UUID (`ovs-vsctl show`)
        return False
    return head.islower() and bool(_VALID_NAME.match(head)) and head not in _SUSPECT_WORDS


def _plausible(stripped: str) -> bool:
    """Fast path: an ordinary ``option value`` line that cannot be junk."""
    head = stripped.split(None, 1)[0]
    if not _plausible_head(head):
        return False
    return not _OUTPUT_HINTS.search(stripped)


def classify(text: str, *, statement: bool = False) -> Verdict | None:
    """Say what a line is if it is not configuration; None when it may be configuration.

    ``statement`` marks lines whose first word is a real keyword (``auto``, ``iface``...):
    those are never junk.
    """
    stripped = text.strip(" \t\r\n")
    if statement or not stripped or stripped.startswith("#"):
        return None
    if _plausible(stripped):
        return None
    words = stripped.split()
    if len(words) >= 2 and words[1] in _IP_STATES:
        return Verdict("output", "output of `ip -br link` / `ip -br addr`")
    for pattern, what in _output_patterns():
        if pattern.match(stripped):
            return Verdict("output", what)
    if _PROMPT.match(stripped) or _DOLLAR_PROMPT.match(stripped):
        return Verdict("shell", "a shell prompt with a command")
    if stripped in _HEREDOC_END:
        return Verdict("marker", f"the end marker of a shell heredoc (`{stripped}`)")
    if _DIFF.match(stripped):
        return Verdict("marker", "a diff / patch / merge-conflict marker")
    body = _DIFF_BODY.match(stripped)
    if body and (body.group(1) in _KEYWORDS or body.group(1).startswith("allow-")):
        return Verdict("marker", "a line of a diff (leading `+`/`-` before a keyword)")
    first = words[0]
    if first in _SHELL_COMMANDS and (len(words) > 1 or first in {"reboot", "exit", "logout"}):
        if first == "bridge" and len(words) > 1 and words[1] not in {"link", "vlan", "fdb"}:
            return None
        return Verdict("shell", f"a shell command (`{first}`)")
    if _HEREDOC.search(stripped) and (">" in stripped or first in _SHELL_COMMANDS):
        return Verdict("shell", "a shell heredoc command")
    return None


# Options whose value is free text for people (ifupdown2's `alias`, the `description` some
# configurations carry): never judged by their words - `alias UP to core-sw1` is a label.
FREE_TEXT = frozenset({"alias", "description", "ifalias"})


def verdicts(doc: Document) -> dict[int, Verdict]:
    """Verdicts for the option and unknown lines of a document, by line number in the
    document (``Line.seq``); computed once and shared by every rule."""
    cached = doc.cache.get("junk")
    if cached is None:
        judged = (Kind.OPTION, Kind.UNKNOWN)
        found: dict[int, Verdict] = {}
        hints = _OUTPUT_HINTS.compiled.search
        for line in doc.lines:
            if line.kind in judged and not (line.kind is Kind.OPTION and line.keyword in FREE_TEXT):
                # The fast path of classify() on the parser's keyword (the same first word),
                # without slicing the body: most lines stop here.
                if _plausible_head(line.keyword) and not hints(line.raw):
                    continue
                verdict = classify(line.body)
                if verdict is not None:
                    found[line.seq] = verdict
        doc.cache["junk"] = cached = found
    assert isinstance(cached, dict)
    return cached


# `27: enx60a4b758ba5b: <BROADCAST,...>` inside a value: an `ip link`/`ip addr` record glued
# to the end of an option line (a file without a final newline, then `ip a >> file`).
_EMBEDDED_IP = lazy(r"\d+: [^\s:]+(?:@[^\s:]+)?: <[A-Z0-9_,-]*>")


def embedded_output(value: str) -> int | None:
    """Where `ip` output starts inside an option's value: the offset of the first word it
    touches (the record's index may be glued to the last real word, `vlan100127:`)."""
    m = _EMBEDDED_IP.compiled.search(value)
    if m is None:
        return None
    start = m.start()
    while start > 0 and not value[start - 1].isspace():
        start -= 1
    return start
