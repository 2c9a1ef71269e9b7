"""Find and read what the host will actually read: the main file and everything it sources.

Everything is resolved under a ``Root`` (``/`` in production, a temporary directory in tests
or ``--root DIR``). Missing files and include cycles are recorded as ``SourceIssue``s that the
rules report; only an unreadable *main* file is a ``UsageError``.

One configuration is bounded as a whole, not only file by file (``config.budget``).

A host has up to two configurations, each a main file plus what *it* sources: *running*
(``/etc/network/interfaces``) and, on Proxmox, *pending* (``/etc/network/interfaces.new``,
which the GUI's Apply and the next boot move over ``interfaces``: a replacement, never an
addition). They are loaded separately and never merged (``host_configurations``).
"""

from __future__ import annotations

import glob
import os
import posixpath
import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from ifguard.config import budget
from ifguard.config.budget import Budget, count_lines, read_main
from ifguard.config.diagnostic import Span
from ifguard.config.dialect import Dialect, detect
from ifguard.config.parse import Document, Kind, Line, parse
from ifguard.system.errors import UsageError
from ifguard.system.readfile import (
    describe,
)
from ifguard.system.root import Root

DEFAULT_INTERFACES = "/etc/network/interfaces"
PROXMOX_PENDING = "/etc/network/interfaces.new"
# ifupdown's source-directory only reads run-parts style names (no dots: no .bak, .dpkg-old ...)
_DIRECTORY_ENTRY = re.compile(r"^[a-zA-Z0-9_-]+$")
_MAX_DEPTH = 32
_NOTHING = "/dev/null"  # `source /dev/null`: an include switched off


class SourceIssue(NamedTuple):
    """A ``source``/``source-directory`` line that could not be followed."""

    # "missing" | "unreadable" | "cycle" | "depth" | "empty-glob" | "relative" | "quoted"
    kind: str
    document: Document
    line: Line
    target: str
    detail: str = ""

    @property
    def span(self) -> Span:
        return self.document.line_span(self.line)


class Loaded:
    """Documents in the order the host reads them, plus the problems met on the way."""

    __slots__ = ("detected", "documents", "issues", "mains")

    def __init__(
        self,
        documents: list[Document] | None = None,
        issues: list[SourceIssue] | None = None,
        mains: list[Document] | None = None,
    ) -> None:
        self.documents: list[Document] = documents if documents is not None else []
        self.issues: list[SourceIssue] = issues if issues is not None else []
        self.mains: list[Document] = mains if mains is not None else []
        # the dialect detected from the main files while following sources (None: not done)
        self.detected: Dialect | None = None


RUNNING = "running"
PENDING = "pending"
CONFIGURATIONS = (RUNNING, PENDING)


def host_configurations(root: Root) -> list[tuple[str, Path]]:
    """The host's configurations as (label, main file): *running* always, *pending* when
    Proxmox's ``interfaces.new`` exists. Each is loaded on its own (``load([main], root)``)."""
    try:
        found = [(RUNNING, root.path(DEFAULT_INTERFACES))]
        pending = root.path(PROXMOX_PENDING)
    except OSError as exc:
        raise UsageError(f"{DEFAULT_INTERFACES}: cannot read: {describe(exc)}") from None
    if os.path.lexists(pending):
        found.append((PENDING, pending))
    return found


def load(
    paths: Sequence[Path] | None,
    root: Root,
    *,
    follow: bool = True,
    dialect: str | None = None,
) -> Loaded:
    """Read each main file and (when ``follow``) everything it sources, depth first, in order.

    What is followed depends on the dialect (``dialect``, else detected from the main files):
    ifupdown2 3.0 has no ``source-directory`` (it stores the line as an attribute of the
    stanza above and reads nothing) and globs a relative ``source`` pattern from its working
    directory, ``/`` under networking.service; classic ifupdown and ifupdown-ng read the
    directory, and a relative pattern is taken from the including file's directory.

    Without ``paths``: the running configuration only (``/etc/network/interfaces``)."""
    loaded = Loaded()
    if paths:
        try:
            mains = [root.real(p) for p in paths]
        except OSError as exc:
            raise UsageError(f"{paths[0]}: cannot read: {describe(exc)}") from None
    else:
        mains = [main for _, main in host_configurations(root)[:1]]
    read: list[tuple[Document, Path, tuple[int, int]]] = []
    budget = Budget()
    for path in mains:
        data, st = read_main(path, root, budget)
        doc = parse(data, str(path))
        loaded.mains.append(doc)
        read.append((doc, path, (st.st_dev, st.st_ino)))
    if not follow:
        loaded.documents.extend(loaded.mains)
        return loaded
    chosen = Dialect(dialect) if dialect else detect(loaded.mains)
    if not dialect:
        loaded.detected = chosen
    for doc, path, ident in read:
        _add(loaded, doc, path, root, (ident,), chosen, budget)
    return loaded


def load_text(text: str | bytes, path: str = "<input>") -> Loaded:
    """A single in-memory document (no sources followed): for tests and stdin. More than
    ``MAX_TOTAL_LINES`` lines is a ``UsageError`` (one line), as for a file."""
    lines = (
        (text.count("\n") + (0 if text.endswith("\n") or not text else 1))
        if isinstance(text, str)
        else count_lines(text)
    )
    cap = budget.MAX_TOTAL_LINES
    if lines > cap:
        raise UsageError(f"{path}: cannot read: {lines} lines, more than the {cap} ifguard reads")
    doc = parse(text, path)
    return Loaded(documents=[doc], mains=[doc])


def _add(
    loaded: Loaded,
    doc: Document,
    path: Path,
    root: Root,
    chain: tuple[tuple[int, int], ...],
    dialect: Dialect,
    budget: Budget,
) -> None:
    loaded.documents.append(doc)
    keywords = ("source",) if dialect is Dialect.IFUPDOWN2 else ("source", "source-directory")
    for line in doc.lines:
        if line.kind is not Kind.STATEMENT or line.keyword not in keywords:
            continue
        words = line.words
        if len(words) < 2:
            continue  # a schema rule reports the missing argument
        pattern = words[1]
        if pattern == _NOTHING:
            continue  # reads nothing on every host: the same verdict with or without a root
        if dialect is Dialect.IFUPDOWN2 and _quoted(pattern):
            _record_quoted(loaded, doc, line, root, pattern)
            continue  # ifupdown2 globs the quotes too: nothing is read
        try:
            targets = _expand(loaded, doc, line, path, root, pattern, dialect)
        except OSError as exc:  # a link loop in the pattern's directories
            loaded.issues.append(SourceIssue("unreadable", doc, line, pattern, describe(exc)))
            continue
        for target in targets:
            if len(chain) >= _MAX_DEPTH:
                loaded.issues.append(SourceIssue("depth", doc, line, str(target)))
                continue
            try:
                data, st = budget.read(target, root.follow_symlinks)
            except FileNotFoundError:  # a dangling link in a directory
                loaded.issues.append(SourceIssue("missing", doc, line, str(target)))
                continue
            except OSError as exc:  # a FIFO, a device, a loop, too large, permission denied
                loaded.issues.append(
                    SourceIssue("unreadable", doc, line, str(target), describe(exc))
                )
                continue
            if (st.st_dev, st.st_ino) in chain:
                loaded.issues.append(SourceIssue("cycle", doc, line, str(target)))
                continue
            _add(
                loaded,
                parse(data, str(target)),
                target,
                root,
                (*chain, (st.st_dev, st.st_ino)),
                dialect,
                budget,
            )


def _expand(
    loaded: Loaded,
    doc: Document,
    line: Line,
    path: Path,
    root: Root,
    pattern: str,
    dialect: Dialect,
) -> list[Path]:
    """Resolve a source/source-directory argument to the files it names, sorted. Relative
    patterns are relative to the directory of the file that contains the line (ifupdown2:
    to ``/``, its working directory at boot); everything is resolved inside the root (``..``
    stops at it, absolute links are re-rooted)."""
    if dialect is Dialect.IFUPDOWN2 and not pattern.startswith("/"):
        system = "/" + pattern
        if line.keyword == "source":
            _relative(loaded, doc, line, path, root, pattern)
    else:
        if root.system_path_of(path.parent) is None and not pattern.startswith("/"):
            root = Root()  # a file named on the command line outside the root: host semantics
        system = root.join(path.parent, pattern)
    magic = glob.has_magic(pattern)
    matches = root.glob(system)
    if line.keyword == "source":
        found = [p for p in matches if not os.path.isdir(p)]
        if not found:
            parent = root.glob(posixpath.dirname(system))
            kind = "empty-glob" if magic and parent and parent[0].is_dir() else "missing"
            loaded.issues.append(SourceIssue(kind, doc, line, pattern))
        return found
    directories = [p for p in matches if os.path.isdir(p)]
    if not directories:
        loaded.issues.append(SourceIssue("missing", doc, line, pattern))
        return []
    files: list[Path] = []
    for directory in directories:
        for entry in sorted(os.listdir(directory)):
            if not _DIRECTORY_ENTRY.match(entry):
                continue
            real = root.path(posixpath.join(root.system_path(directory), entry))
            if os.path.lexists(real) and not os.path.isdir(real):
                files.append(real)
    return files


def _relative(
    loaded: Loaded, doc: Document, line: Line, path: Path, root: Root, pattern: str
) -> None:
    """ifupdown2 reads a relative pattern from its working directory (``/`` at boot): record
    it, with how many files the same pattern names next to the including file (``detail``),
    the reading its author most likely meant."""
    local = root if root.system_path_of(path.parent) is not None else Root()
    try:
        beside = [p for p in local.glob(local.join(path.parent, pattern)) if not p.is_dir()]
    except OSError:
        beside = []
    loaded.issues.append(SourceIssue("relative", doc, line, pattern, str(len(beside))))


def _quoted(pattern: str) -> bool:
    return pattern[:1] in ("'", '"') or pattern[-1:] in ("'", '"')


def _record_quoted(loaded: Loaded, doc: Document, line: Line, root: Root, pattern: str) -> None:
    """``source "/etc/network/interfaces.d/*"``: ifupdown2 keeps the quotes, so the pattern
    names nothing; ``detail``: how many files it names without them (an absolute one)."""
    bare = pattern.strip("'\"")
    count = 0
    if bare.startswith("/"):
        try:
            count = sum(not p.is_dir() for p in root.glob(bare))
        except OSError:
            count = 0
    loaded.issues.append(SourceIssue("quoted", doc, line, pattern, str(count)))
