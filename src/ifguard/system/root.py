"""The filesystem root the host's paths are resolved under: ``/`` in production, ``--root DIR``
for a mounted system, a temporary directory in tests.

Under a root other than ``/`` every path is resolved as if the root were ``/`` (chroot
semantics), so nothing is read or written outside it:

- ``..`` stops at the root (``/../../x`` is ``/x``);
- symbolic links are followed *inside* the root: an absolute target is re-rooted
  (``/etc/network/interfaces -> /etc/pve/interfaces`` reads ``ROOT/etc/pve/interfaces``, never
  the host's), a relative one is resolved from the link's directory, with the same ``..`` rule;
- a loop (or more than 40 links in one path) is an ``OSError`` with ``errno.ELOOP``, as the
  kernel reports it, never ``RuntimeError``;
- missing components are kept as written (like ``realpath -m``), so a path that does not exist
  yet (a file about to be written) still maps to a place inside the root.

The returned real paths contain no symbolic link that existed at resolution time; open them
with ``O_NOFOLLOW`` (``follow_symlinks`` is ``False`` under such a root) so a link swapped in
afterwards is refused instead of followed out of the root.

Under ``/`` the kernel already has these semantics: paths are only made absolute and joined.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import posixpath
import stat
from pathlib import Path
from typing import NamedTuple

_MAX_LINKS = 40  # Linux's MAXSYMLINKS


def loop_error(path: str) -> OSError:
    return OSError(errno.ELOOP, os.strerror(errno.ELOOP), path)


def _has_magic(part: str) -> bool:
    return any(c in part for c in "*?[")


class Root(NamedTuple):
    """A path prefix standing for ``/``."""

    prefix: Path = Path("/")

    @property
    def is_host(self) -> bool:
        """True for ``/`` itself: the kernel resolves paths, nothing is re-rooted."""
        return str(self.prefix) == "/"

    @property
    def follow_symlinks(self) -> bool:
        """Whether the last component of a resolved path may be a link when it is opened."""
        return self.is_host

    def path(self, system_path: str) -> Path:
        """The real path of ``system_path`` (absolute, as the host sees it) under this root.

        Raises ``OSError`` (``ELOOP``) for a symbolic-link loop under a non-``/`` root.
        """
        if self.is_host:
            return Path("/" + system_path.lstrip("/"))
        return self._real(self.resolve(system_path))

    def entry(self, system_path: str) -> Path:
        """Like ``path`` but a link in the *last* component is not followed (``lstat``
        semantics): the directory entry itself, to rename, replace or remove."""
        if self.is_host:
            return self.path(system_path)
        head, name = posixpath.split(system_path.rstrip("/"))
        if name in ("", ".", ".."):
            return self.path(system_path)
        return self._real(posixpath.join(self.resolve(head or "/"), name))

    def resolve(self, system_path: str) -> str:
        """``system_path`` with every link, ``.`` and ``..`` resolved inside the root."""
        if self.is_host:
            return posixpath.normpath("/" + system_path.lstrip("/"))
        todo = [p for p in reversed(system_path.split("/")) if p not in ("", ".")]
        done: list[str] = []
        links = 0
        missing = False
        while todo:
            part = todo.pop()
            if part == "..":
                if done:
                    done.pop()
                continue
            done.append(part)
            if missing:
                continue
            real = self._real("/" + "/".join(done))
            try:
                st = os.lstat(real)
            except OSError:
                missing = True  # the rest is kept as written (``..`` still stops at the root)
                continue
            if not stat.S_ISLNK(st.st_mode):
                continue
            links += 1
            if links > _MAX_LINKS:
                raise loop_error(system_path)
            target = os.readlink(real)
            done.pop()
            if target.startswith("/"):
                done.clear()
            todo.extend(p for p in reversed(target.split("/")) if p not in ("", "."))
        return "/" + "/".join(done)

    def real(self, host_path: Path) -> Path:
        """A path given on the command line: inside the root it is re-resolved with the root's
        semantics (an absolute link in it stays inside), outside it is used as given."""
        if self.is_host:
            return host_path
        system = self.system_path_of(host_path)
        return host_path if system is None else self.path(system)

    def system_path_of(self, host_path: Path) -> str | None:
        """The system path of a host path lexically inside the root, else None."""
        if self.is_host:
            return posixpath.normpath(os.path.abspath(host_path))
        absolute = Path(os.path.abspath(host_path))
        prefix = Path(os.path.abspath(self.prefix))
        try:
            rel = absolute.relative_to(prefix)
        except ValueError:
            return None
        return "/" + str(rel).lstrip(".")

    def join(self, directory: Path, relative: str) -> str:
        """The system path (or pattern) of ``relative`` as read from a file in ``directory``
        (a real directory inside the root). An absolute ``relative`` is a system path already."""
        if relative.startswith("/"):
            return relative
        base = self.system_path_of(directory)
        return posixpath.join(base if base is not None else str(directory), relative)

    def glob(self, pattern: str) -> list[Path]:
        """Real paths of the existing entries matching a system-path pattern (``*``, ``?``,
        ``[...]``; hidden names only when the pattern's component starts with a dot), sorted
        like glob(3). Each match is resolved inside the root."""
        if self.is_host:
            import glob as globmod

            return sorted(Path(p) for p in globmod.glob("/" + pattern.lstrip("/")))
        current = ["/"]
        for part in (p for p in pattern.split("/") if p not in ("", ".")):
            nxt: list[str] = []
            for base in current:
                if not _has_magic(part):
                    nxt.append(self.resolve(posixpath.join(base, part)))
                    continue
                try:
                    names = os.listdir(self._real(base))
                except OSError:
                    continue
                for name in sorted(names):
                    if name.startswith(".") and not part.startswith("."):
                        continue
                    if fnmatch.fnmatchcase(name, part):
                        nxt.append(self.resolve(posixpath.join(base, name)))
            current = nxt
        unique = dict.fromkeys(p for p in current if os.path.lexists(self._real(p)))
        return [self._real(p) for p in unique]

    def system_path(self, real: Path) -> str:
        """Map a real path back to the path the host sees (for messages)."""
        try:
            return "/" + str(real.relative_to(self.prefix)).lstrip(".")
        except ValueError:
            return str(real)

    def _real(self, system_path: str) -> Path:
        return self.prefix / system_path.lstrip("/")
