"""What ``ifguard install`` puts on a host: the rendered files and the install manifest.

The manifest (``/var/lib/ifguard/install.json``) is what ``ifguard uninstall`` trusts: every
file written (system path, sha256 of what was written), every directory created and the
ifreload diversion. A file is only removed when its content still has the recorded hash.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ifguard import install
from ifguard.install import unit
from ifguard.system.errors import UsageError
from ifguard.system.paths import STATE_DIR
from ifguard.system.root import Root
from ifguard.system.strict import check_owner

MANIFEST = f"{STATE_DIR}/install.json"
UNIT_DIR = "/etc/systemd/system"
WATCH_UNIT = f"{UNIT_DIR}/ifguard-watch.service"
BOOT_UNIT = f"{UNIT_DIR}/ifguard-boot.service"
STATUS_UNIT = f"{UNIT_DIR}/ifguard-status.service"
# the console summary (ifguard.status.publish writes RUN_* at run time)
RUN_SUMMARY_TEXT = "/run/ifguard/summary.txt"
RUN_ISSUE = "/run/ifguard/issue"
ISSUE_LINK = "/etc/issue.d/ifguard.issue"  # -> RUN_ISSUE: /etc never changes at run time
MOTD_SCRIPT = "/etc/update-motd.d/50-ifguard"
DROPIN_DIR = f"{UNIT_DIR}/networking.service.d"
DROPIN = f"{DROPIN_DIR}/ifguard.conf"
APT_HOOK = "/etc/apt/apt.conf.d/80ifguard"
IFRELOAD = "/usr/sbin/ifreload"
# ifupdown2 is one program that picks ifup/ifdown/ifreload/ifquery by how argv[0] *ends*:
# the diverted name must end in "ifreload" (`ifreload.ifguard-orig` fails "Unexpected executable")
IFRELOAD_ORIG = "/usr/sbin/ifguard-orig-ifreload"
# merged /usr: ifupdown2 ships /sbin/ifreload, the same file as /usr/sbin/ifreload, and dpkg
# matches diversions by the path it knows: without a diversion of the alias too, an upgrade
# or reinstall of ifupdown2 writes over the wrapper (Debian's DEP17 advice: divert both)
IFRELOAD_ALIAS = "/sbin/ifreload"
IFRELOAD_ORIG_ALIAS = "/sbin/ifguard-orig-ifreload"
INTERFACES = "/etc/network/interfaces"
TEXTFILE_DIR = "/var/lib/prometheus/node-exporter"
UNITS = ("ifguard-boot.service", "ifguard-watch.service", "ifguard-status.service")
# every path ``render`` can ever produce: the manifest is state, and state may only name these
# (a manifest listing /etc/passwd with its hash would have uninstall delete it)
INSTALLABLE = frozenset(
    {WATCH_UNIT, BOOT_UNIT, STATUS_UNIT, MOTD_SCRIPT, ISSUE_LINK, DROPIN, APT_HOOK, IFRELOAD}
)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


LINK = b"symlink:"  # File.data of a symbolic link: this prefix, then the link's target


@dataclass(frozen=True)
class File:
    path: str  # as the host sees it
    data: bytes
    mode: int = 0o644

    @property
    def link(self) -> str | None:
        return self.data[len(LINK) :].decode() if self.data.startswith(LINK) else None


def symlink(path: str, target: str) -> File:
    return File(path, LINK + target.encode())


def current(entry: Path) -> bytes | None:
    """What is at ``entry`` in ``File.data`` terms (a link is not followed), or None."""
    if entry.is_symlink():
        return LINK + os.readlink(entry).encode()
    return entry.read_bytes() if entry.is_file() else None


NETWORKING_UNIT = "networking.service"
# How the Debian package shows itself under a root, and its executable.
PACKAGE_LIST = "/var/lib/dpkg/info/ifguard.list"
PACKAGE_IFGUARD = "/usr/bin/ifguard"


def package_installed(root: Root) -> bool:
    """The Debian package is installed under ``root``: its units are already there."""
    return root.path(PACKAGE_LIST).is_file()


# the man page each unit's Documentation= names (the package ships them; pip installs do not)
UNIT_MAN = {
    "ifguard-watch.service": "ifguard-watch",
    "ifguard-boot.service": "ifguard-rollback",
    "ifguard-status.service": "ifguard-status",
}


def unit_text(name: str, ifguard: str, *, man: bool = False) -> str:
    """The text of a unit (also what the .deb ships, built with ``ifguard=/usr/bin/ifguard``
    and ``man=True``: its Documentation= then names the man page too)."""
    templates = {
        "ifguard-watch.service": install.WATCH_UNIT,
        "ifguard-boot.service": install.BOOT_UNIT,
        "ifguard-status.service": install.STATUS_UNIT,
    }
    page = f"man:{UNIT_MAN[name]}(1) " if man else ""
    return templates[name].format(ifguard=ifguard, man=page)


def networking_dropin(root: Root, ifguard: str) -> tuple[File | None, str]:
    """The networking.service drop-in for this root (gate first, then the installed unit's
    own reload commands), or None and why there is none."""
    found = unit.effective(root, NETWORKING_UNIT, "ExecReload", skip_dropin=DROPIN.rsplit("/")[-1])
    if found is None:
        return None, f"no {NETWORKING_UNIT} found: no drop-in written (install ifupdown2)"
    if not found.commands:
        return None, f"{found.unit} has no ExecReload=: no drop-in written (nothing to gate)"
    text = install.NETWORKING_DROPIN.format(
        ifguard=ifguard,
        unit=found.unit,
        reload="".join(f"ExecReload={command}\n" for command in found.commands),
    )
    return File(DROPIN, text.encode()), ""


# What an executable path written into units, the drop-in and the apt hook may contain: systemd
# splits Exec lines on spaces and apt runs the hook with /bin/sh, so a space would skip the gate
# and a `;` would run a command. Such paths are refused rather than quoted twice over.
_SAFE_PATH = re.compile(r"^/[A-Za-z0-9_./+:@-]*$")


def check_executable(ifguard: str) -> None:
    """Refuse an executable path a unit file or the apt hook's shell would split or run."""
    if not _SAFE_PATH.match(ifguard) or "/../" in ifguard + "/":
        shown = ifguard.encode("unicode_escape").decode("ascii")[:200]
        raise UsageError(
            f"the ifguard executable path {shown!r} is not a plain absolute path (letters, "
            "digits and _ . / + : @ - only): systemd and the apt hook's shell would split it. "
            "Install ifguard under such a path (e.g. /opt/ifguard/venv/bin/ifguard) or pass "
            "--ifguard PATH"
        )


def render(
    root: Root, ifguard: str, *, divert_ifreload: bool, units: bool = True
) -> tuple[list[File], list[str]]:
    """The files for a host whose ``/`` is ``root`` (``ifguard`` is the executable's path),
    and notes about files left out. ``units=False``: only the gates (the package ships the
    units)."""
    check_executable(ifguard)
    files: list[File] = []
    notes: list[str] = []
    if units:
        files += [
            File(WATCH_UNIT, unit_text("ifguard-watch.service", ifguard).encode()),
            File(BOOT_UNIT, unit_text("ifguard-boot.service", ifguard).encode()),
            File(STATUS_UNIT, unit_text("ifguard-status.service", ifguard).encode()),
            File(MOTD_SCRIPT, motd_script(root).encode(), 0o755),
            symlink(ISSUE_LINK, RUN_ISSUE),
        ]
    dropin, why = networking_dropin(root, ifguard)
    if dropin is None:
        notes.append(why)
    else:
        files.append(dropin)
    files.append(File(APT_HOOK, install.APT_HOOK.format(ifguard=ifguard).encode()))
    if divert_ifreload:
        files.append(File(IFRELOAD, render_wrapper(root, ifguard).encode(), 0o755))
    return files, notes


def motd_script(root: Root) -> str:
    """The update-motd.d script; under a non-/ root it reads the summary in that tree (as
    the ifreload wrapper does: install from inside a chroot for an image)."""
    return install.MOTD_SCRIPT.format(summary=shlex.quote(str(root.path(RUN_SUMMARY_TEXT))))


def render_wrapper(root: Root, ifguard: str) -> str:
    """The ifreload wrapper. Under a non-/ root every path points into the root, so the
    wrapper checks (and execs) what belongs to that tree, not the machine running it."""
    q = shlex.quote
    return install.IFRELOAD_WRAPPER.format(
        ifguard=q(ifguard),
        orig=q(str(root.path(IFRELOAD_ORIG))),
        root=q(str(root.prefix)),
        pending=q(str(root.path(f"{STATE_DIR}/pending.json"))),
    )


@dataclass
class Manifest:
    files: dict[str, str] = field(default_factory=dict)  # system path -> sha256
    dirs: list[str] = field(default_factory=list)  # created by install, parents first
    diversion: dict[str, str] | None = None  # {"path", "divert", "method"}
    ifguard: str = ""

    def to_json(self) -> bytes:
        body: dict[str, Any] = {
            "version": 1,
            "ifguard": self.ifguard,
            "files": [{"path": p, "sha256": h} for p, h in sorted(self.files.items())],
            "dirs": self.dirs,
            "diversions": [self.diversion] if self.diversion else [],
        }
        return (json.dumps(body, indent=1, sort_keys=True) + "\n").encode()

    @classmethod
    def load(cls, root: Root) -> Manifest | None:
        """The manifest, trusted only as far as it can be: its directory and itself pass
        StrictModes, and it names only paths ``install`` writes (and their directories)."""
        path = root.entry(MANIFEST)  # a link here is refused, not followed
        try:
            check_owner(path.parent, os.lstat(path.parent), "an install manifest directory")
            check_owner(path, os.lstat(path), "an install manifest")
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
            with os.fdopen(fd, "rb") as f:
                check_owner(path, os.fstat(f.fileno()), "an install manifest")
                raw = json.loads(f.read(1 << 20))
            diversions = raw.get("diversions") or []
            manifest = cls(
                files={str(f["path"]): str(f["sha256"]) for f in raw["files"]},
                dirs=[str(d) for d in raw.get("dirs", [])],
                diversion=dict(diversions[0]) if diversions else None,
                ifguard=str(raw.get("ifguard", "")),
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            raise UsageError(
                f"{path}: unreadable install manifest ({exc}); "
                "see docs/install.md to remove by hand"
            ) from None
        foreign = sorted(set(manifest.files) - INSTALLABLE) + sorted(
            set(manifest.dirs) - _INSTALL_DIRS
        )
        if foreign:
            raise UsageError(
                f"{path}: lists {foreign[0]!r}, which ifguard install never writes: "
                "refusing to remove anything; see docs/install.md to remove by hand"
            )
        return manifest


def _ancestors(path: str) -> set[str]:
    parents = {str(p) for p in Path(path).parents}
    return parents - {"/"}


# the directories install may have made: the state directory, the installable files' parents
_INSTALL_DIRS = frozenset(
    set().union(*(_ancestors(p) for p in INSTALLABLE)) | {STATE_DIR} | _ancestors(STATE_DIR)
)
