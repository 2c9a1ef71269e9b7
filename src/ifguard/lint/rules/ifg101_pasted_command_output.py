"""IFG101 pasted-command-output."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.parse import Document, Kind, Line
from ifguard.lint.classify import FREE_TEXT, classify, embedded_output, verdicts
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.helpers import HOOK_KEYWORDS, junk_finding, junk_lines


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
    for doc, line, verdict in junk_lines(ctx, ("output",)):
        yield junk_finding(doc, line, verdict, "Delete it (`ifguard lint --fix` does).")
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
                and line.keyword not in HOOK_KEYWORDS
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
