"""The status summary: facts in, a ``Summary`` out, as text for a console and as JSON.

Pure: no I/O, no clock (``now`` is passed in). Levels:

* ``broken``: the files ifupdown reads have errors (the next reload or boot loads them), a
  probe on the management path fails, or a bond has no member up;
* ``degraded``: still working but not as configured: a bond member down (redundancy lost),
  a probe warning, drift, errors in Proxmox's pending ``interfaces.new``; or not known to
  work: a probe that cannot run ("CANNOT CHECK": a sandbox refusing its socket, no ``ping``)
  is never "broken" - only a probe that ran and heard nothing is;
* ``ok``.

``render_text`` fits above a login prompt on an 80x25 console: at most ``MAX_LINES`` lines
of at most ``WIDTH`` printable ASCII characters (anything else from a file - control
characters, escape sequences, other encodings - is shown as ``?``), the fix always kept.
"""

from __future__ import annotations

import textwrap
import time

from ifguard.status.facts import (
    BROKEN,
    DEGRADED,
    OK,
    BondState,
    ConfigVerdict,
    Facts,
    Finding,
    Probe,
    Summary,
    summary_from_dict,
)

__all__ = [
    "BROKEN",
    "DEGRADED",
    "OK",
    "BondState",
    "ConfigVerdict",
    "Facts",
    "Finding",
    "Probe",
    "Summary",
    "build",
]
__all__ += ["level_of", "render_issue", "render_text", "stamp", "summary_from_dict"]

WIDTH = 79  # a full 80-column line makes some consoles wrap an empty line after it
MAX_LINES = 14  # Proxmox's /etc/issue banner and the login prompt take the rest of 25
MAX_PROBLEM_LINES = 8


def clean(text: str, limit: int = 400) -> str:
    """Printable ASCII only: a line from a file must not drive the terminal."""
    text = text.replace("\t", " ")
    out = "".join(c if " " <= c <= "~" else "?" for c in text[:limit])
    return out if len(text) <= limit else out + "..."


def stamp(t: float) -> str:
    """Local time, to the minute: the text stays the same while the state does."""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(t))


def _short(message: str) -> str:
    """The first clause of a diagnostic message (the rest is for `ifguard lint`)."""
    for sep in ("; ", ". "):
        head, found, _ = message.partition(sep)
        if found:
            return head
    return message.rstrip(".")


def level_of(f: Facts) -> str:
    running = [c for c in f.config if c.which == "running"]
    probes = f.probes or ()
    if (
        any(c.errors for c in running)
        or f.boot
        or any(p.status == "fail" for p in probes)
        or any(not b.up for b in f.bonds)
    ):
        return BROKEN
    if (
        any(c.errors for c in f.config)
        or any(p.status in ("warn", "error") for p in probes)
        or any(b.down for b in f.bonds)
        or f.drift
    ):
        return DEGRADED
    return OK


def _config_lines(c: ConfigVerdict) -> list[str]:
    if not c.errors or c.first is None:
        return []
    d = c.first
    pending = (
        " (not loaded yet: Apply in the GUI or ifreload would)" if c.which == "pending" else ""
    )
    lines = [f"{clean(d.path)}:{d.line}: {d.code} {clean(_short(d.message))}{pending}"]
    if d.text:
        lines.append(f"  > {clean(d.text.strip())}")
    if c.errors > 1:
        lines.append(f"  and {c.errors - 1} more error(s): ifguard lint")
    return lines


def _bond_line(b: BondState) -> str:
    if not b.up:
        return f"bond {b.name}: no member up (down: {', '.join(b.down) or 'none'})"
    return (
        f"bond {b.name}: member {', '.join(b.down)} down, redundancy lost "
        f"(only {', '.join(b.up)} up)"
    )


def _problems(f: Facts) -> list[str]:
    out: list[str] = []
    for c in sorted(f.config, key=lambda c: c.which != "running"):
        out += _config_lines(c)
    if f.written_by and any(c.errors for c in f.config):
        out.append(f"written by {f.written_by} (ifguard history)")
    out += [f"next boot: management path down: {clean(_short(b))}" for b in f.boot[:1]]
    shown = [b for b in f.bonds if b.down or not b.up]
    out += [_bond_line(b) for b in shown]
    covered = {f"bond {b.name} members" for b in shown}  # the bond line says it better
    for p in f.probes or ():
        if p.status in ("pass", "skip") or p.name in covered:
            continue
        word = {"warn": "WARN", "error": "CANNOT CHECK"}.get(p.status, "FAIL")
        out.append(f"{word} {p.name}" + (f": {p.detail}" if p.detail else ""))
    if f.drift:
        more = f" (+{len(f.drift) - 2} more: ifguard drift)" if len(f.drift) > 2 else ""
        out += [f"drift: {d}" for d in f.drift[:2]]
        out[-1] += more
    return [clean(line) for line in out]


def _did(f: Facts) -> list[str]:
    out = []
    if f.boot_restored is not None and f.boot_restored_at is not None:
        out.append(
            f"at boot ({stamp(f.boot_restored_at)}) {clean(f.boot_file)} (version "
            f"{f.boot_cut}) left the host cut off: RESTORED the known-good version "
            f"{f.boot_restored}"
        )
    if f.heal_attempts:
        out.append(f"self-heal: {f.heal_attempts} of {f.heal_max} restore attempt(s)")
    if f.rollbacks:
        out.append(f"rolled back {len(f.rollbacks)} change(s), last at {stamp(max(f.rollbacks))}")
    if f.transaction:
        out.append(clean(f.transaction))
    return out


def _boot_fix(f: Facts) -> list[str]:
    """After the boot check's restore: the change that cut the host, and how to retry it."""
    return [
        f"the change that cut it: ifguard diff {f.boot_restored} {f.boot_cut}; fix it in a copy,",
        "    then: ifguard apply FILE   (rolled back again if it cuts the host)",
    ]


def _fix(f: Facts, level: str) -> list[str]:
    if level == OK:
        return _boot_fix(f) if f.boot_restored is not None else []
    errors = any(c.errors for c in f.config if c.which == "running")
    out = []
    # files with errors are never the known-good version (only lint-clean ones are marked),
    # whatever version id the caller has recorded for them yet
    if f.boot and (f.known_good is None or f.known_good == f.version):
        # what is on disk (and booted, or boots next) is the cause: not the cables
        out.append("the files do not bring the management path up at boot: fix them")
        # `apply` alone takes interfaces.new: the file fixed in place is named
        out.append("    (ifguard lint; ifguard plan), then ifguard apply /etc/network/interfaces")
    elif f.known_good is not None and (errors or (level == BROKEN and f.known_good != f.version)):
        since = f" (good since {stamp(f.known_good_since)})" if f.known_good_since else ""
        out.append(f"put back the last known-good version {f.known_good}{since}:")
        out.append(f"    ifguard restore {f.known_good}")
    elif f.known_good is not None and f.known_good == f.version and level == BROKEN:
        if f.changed_since_boot:
            out.append("the files differ from what this host booted (written since):")
            out.append("    what runs may not be what they say: ifguard plan, ifguard drift")
        else:
            out.append("the files are the last known-good version: look at cables, switch, peer")
    elif level == BROKEN:
        out.append("no known-good version recorded yet: ifguard history")
    fixable = [c.first for c in f.config if c.which == "running" and c.errors and c.first]
    if fixable and fixable[0].fixable:
        # --fix rewrites the file in place: reload that file, with a way back
        out.append("or remove what is safe to remove, then reload it with a way back:")
        out.append("    ifguard lint --fix && ifguard apply /etc/network/interfaces")
    return out


def build(facts: Facts, now: float, previous: tuple[str, float] | None = None) -> Summary:
    """``previous``: the (level, since) last published, so "since" survives restarts."""
    level = level_of(facts)
    since = previous[1] if previous is not None and previous[0] == level else now
    return Summary(
        level,
        since,
        tuple(_problems(facts)),
        tuple(_did(facts)),
        tuple(_fix(facts, level)),
        facts,
    )


def _wrap(line: str, indent: str) -> list[str]:
    return textwrap.wrap(
        line,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=indent + "    ",
        break_on_hyphens=False,
        drop_whitespace=True,
    ) or [indent]


def render_text(s: Summary, *, full: bool = False) -> str:
    """The console message: one line when all is well, at most MAX_LINES otherwise
    (``full``: every problem, for ``ifguard status``)."""
    if s.level == OK:
        what = "files clean" + (", links and gateway up" if s.facts.probes is not None else "")
        head = f"ifguard: network OK since {stamp(s.since)} ({what})"
        if s.facts.boot_restored is None:
            return head + "\n"
        # the network works again because ifguard undid a change at boot: say which, and how
        told = [w for line in s.did for w in _wrap("ifguard did: " + line, "  ")]
        told += [w for line in s.fix for w in _wrap(line, "  ")]
        return "\n".join([head, *told, "-" * WIDTH]) + "\n"
    head = f"ifguard: NETWORK {s.level.upper()} since {stamp(s.since)}"
    fix = [w for line in s.fix for w in _wrap(line, "  ")]
    did = [w for line in s.did for w in _wrap("ifguard did: " + line, "  ")]
    tail = ["  details: ifguard status | ifguard lint | ifguard history"]
    room = max(1, min(MAX_PROBLEM_LINES, MAX_LINES - 2 - len(fix) - len(did) - len(tail)))
    body: list[str] = []
    for line in s.problems:
        body += _wrap(line, "  ")
    if len(body) > room and not full:
        body = [*body[: room - 1], "  ... and more: ifguard status"]
    rule = "-" * WIDTH
    return "\n".join([head, *body, *did, *fix, *tail, rule]) + "\n"


def render_issue(s: Summary) -> str:
    """For /etc/issue.d: agetty expands backslash escapes (``\\e`` is ESC), so each
    backslash is doubled; the text is already printable ASCII. (/etc/issue, Debian's and
    Proxmox's banner alike, ends with an empty line: none is added.)"""
    return render_text(s).replace("\\", "\\\\")
