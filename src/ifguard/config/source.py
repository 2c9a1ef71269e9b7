"""Find and read what the host will actually read: the main file and everything it sources.

Everything is resolved under a ``Root`` (``/`` in production, a temporary directory in tests
or ``--root DIR``). Missing files and include cycles are recorded as ``SourceIssue``s that the
rules report; only an unreadable *main* file is a ``UsageError``.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from ifguard.config.parse import Document, Kind, Line, parse
from ifguard.system.errors import UsageError
from ifguard.system.root import Root

DEFAULT_INTERFACES = "/etc/network/interfaces"
PROXMOX_PENDING = "/etc/network/interfaces.new"
# ifupdown's source-directory only reads run-parts style names (no dots: no .bak, .dpkg-old ...)
_DIRECTORY_ENTRY = re.compile(r"^[a-zA-Z0-9_-]+$")
_MAX_DEPTH = 32


class SourceIssue(NamedTuple):
    """A ``source``/``source-directory`` line that could not be followed."""

    kind: str  # "missing" | "unreadable" | "cycle" | "depth" | "empty-glob"
    document: Document
    line: Line
    target: str
    detail: str = ""


class Loaded:
    """Documents in the order the host reads them, plus the problems met on the way."""

    __slots__ = ("documents", "issues", "mains")

    def __init__(
        self,
        documents: list[Document] | None = None,
        issues: list[SourceIssue] | None = None,
        mains: list[Document] | None = None,
    ) -> None:
        self.documents: list[Document] = documents if documents is not None else []
        self.issues: list[SourceIssue] = issues if issues is not None else []
        self.mains: list[Document] = mains if mains is not None else []


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory, expected an interfaces file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None


def default_targets(root: Root) -> list[Path]:
    """``/etc/network/interfaces`` plus Proxmox's pending ``interfaces.new`` when present."""
    targets = [root.path(DEFAULT_INTERFACES)]
    pending = root.path(PROXMOX_PENDING)
    if pending.is_file():
        targets.append(pending)
    return targets


def load(paths: Sequence[Path] | None, root: Root, *, follow: bool = True) -> Loaded:
    """Read each main file and (when ``follow``) everything it sources, depth first, in order."""
    loaded = Loaded()
    for path in paths if paths else default_targets(root):
        doc = parse(read_bytes(path), str(path))
        loaded.mains.append(doc)
        _add(loaded, doc, path, root, (path.resolve(),), follow)
    return loaded


def load_text(text: str | bytes, path: str = "<input>") -> Loaded:
    """A single in-memory document (no sources followed): for tests and stdin."""
    doc = parse(text, path)
    return Loaded(documents=[doc], mains=[doc])


def _add(
    loaded: Loaded, doc: Document, path: Path, root: Root, chain: tuple[Path, ...], follow: bool
) -> None:
    loaded.documents.append(doc)
    if not follow:
        return
    for line in doc.lines:
        if line.kind is not Kind.STATEMENT or line.keyword not in ("source", "source-directory"):
            continue
        words = line.words
        if len(words) < 2:
            continue  # a schema rule reports the missing argument
        pattern = words[1]
        for target in _expand(loaded, doc, line, path, root, pattern):
            real = target.resolve()
            if real in chain:
                loaded.issues.append(SourceIssue("cycle", doc, line, str(target)))
                continue
            if len(chain) >= _MAX_DEPTH:
                loaded.issues.append(SourceIssue("depth", doc, line, str(target)))
                continue
            try:
                data = target.read_bytes()
            except OSError as exc:
                detail = exc.strerror or str(exc)
                loaded.issues.append(SourceIssue("unreadable", doc, line, str(target), detail))
                continue
            _add(loaded, parse(data, str(target)), target, root, (*chain, real), follow)


def _expand(
    loaded: Loaded, doc: Document, line: Line, path: Path, root: Root, pattern: str
) -> list[Path]:
    """Resolve a source/source-directory argument to the files it names, sorted."""
    if pattern.startswith("/"):
        base = str(root.path(pattern))
    else:  # relative to the directory of the file that contains the line
        base = os.path.join(str(path.parent), pattern)
    magic = glob.has_magic(pattern)
    if line.keyword == "source":
        found = sorted(Path(p) for p in glob.glob(base) if not os.path.isdir(p))
        if not found:
            parent = Path(base).parent
            kind = "empty-glob" if magic and parent.is_dir() else "missing"
            loaded.issues.append(SourceIssue(kind, doc, line, pattern))
        return found
    directories = sorted(Path(p) for p in glob.glob(base) if os.path.isdir(p))
    if not directories:
        loaded.issues.append(SourceIssue("missing", doc, line, pattern))
        return []
    files: list[Path] = []
    for directory in directories:
        entries = sorted(os.listdir(directory))
        files.extend(
            directory / e
            for e in entries
            if _DIRECTORY_ENTRY.match(e) and (directory / e).is_file()
        )
    return files
