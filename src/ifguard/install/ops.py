"""``ifguard install``: write the units, drop-in, apt hook and ifreload wrapper under a root
and record them in the manifest (``ifguard.install.uninstall`` takes exactly those away again).

External commands (systemctl, dpkg-divert) go through an ``Invoker`` so tests never run them.
Unlike the system ``Runner`` (which captures output), an invoker lets the command speak to the
admin's terminal: systemctl's and dpkg-divert's own messages are what the admin needs to see.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ifguard.install import files as F
from ifguard.system.errors import UsageError
from ifguard.system.fsutil import atomic_write
from ifguard.system.paths import STATE_DIR
from ifguard.system.root import Root

Out = Callable[[str], None]


class Invoker(Protocol):
    """Run a command with the terminal's stdio; its exit status."""

    def __call__(self, argv: Sequence[str]) -> int: ...


def invoke(argv: Sequence[str]) -> int:
    """The real invoker: inherit stdout/stderr, return the exit status (127: not found)."""
    try:
        return subprocess.run(list(argv), check=False).returncode
    except OSError as exc:
        print(f"ifguard: {argv[0]}: {exc.strerror or exc}", file=sys.stderr)
        return 127


@dataclass(frozen=True)
class Options:
    root: Root
    ifguard: str
    divert_ifreload: bool = False
    dry_run: bool = False
    manage_systemd: bool = False  # root is / and systemd runs: daemon-reload and enable
    units: bool = True  # False: only the gates (drop-in, apt hook, wrapper): the .deb has units


# systemd's ProtectHome=yes (set by the watcher unit) hides these from the service.
HIDDEN_BY_PROTECT_HOME = ("/root", "/home", "/run/user")


def check_protect_home(ifguard: str) -> None:
    """Refuse an executable the units could not run: pipx's default /root/.local/bin/ifguard
    (or a symlink into such a place) is invisible under ProtectHome=yes."""
    for path in (os.path.abspath(ifguard), os.path.realpath(ifguard)):
        for hidden in HIDDEN_BY_PROTECT_HOME:
            if path == hidden or path.startswith(hidden + "/"):
                raise UsageError(
                    f"{ifguard} is under {hidden}, which the units hide (ProtectHome=yes); "
                    "install the .deb, or a venv under /opt (python3 -m venv /opt/ifguard), or "
                    "pipx with PIPX_HOME=/opt/pipx PIPX_BIN_DIR=/usr/local/bin (docs/install.md)"
                )


def divert_argv(root: Root, remove: bool) -> list[str] | None:
    """dpkg-divert for this root, or None when only a manual rename can work (no dpkg-divert,
    or a non-/ root without a dpkg database)."""
    if shutil.which("dpkg-divert") is None:
        return None
    argv = ["dpkg-divert"]
    if root.prefix != Path("/"):
        if not root.path("/var/lib/dpkg/status").is_file():
            return None
        argv += ["--root", str(root.prefix)]
    return [
        *argv,
        "--local",
        "--rename",
        "--divert",
        F.IFRELOAD_ORIG,
        "--remove" if remove else "--add",
        F.IFRELOAD,
    ]


def alias_divert_argv(root: Root, remove: bool) -> list[str] | None:
    """The diversion of ``/sbin/ifreload`` (no rename: it is the file already renamed) on a
    merged-/usr root with dpkg-divert; None elsewhere."""
    argv = divert_argv(root, remove)
    sbin = root.prefix / "sbin"
    if argv is None or not sbin.is_symlink() or os.readlink(sbin).strip("/") != "usr/sbin":
        return None
    action = "--remove" if remove else "--add"
    return [*argv[: argv.index("--rename")], "--no-rename", "--divert", F.IFRELOAD_ORIG_ALIAS,
            action, F.IFRELOAD_ALIAS]  # fmt: skip


def _check_divertable(root: Root) -> None:
    real, orig = root.entry(F.IFRELOAD), root.entry(F.IFRELOAD_ORIG)
    if orig.exists() or orig.is_symlink():
        raise UsageError(
            f"{F.IFRELOAD_ORIG} already exists but the install manifest records no "
            "diversion; see docs/install.md (remove by hand)"
        )
    if not (real.is_file() or real.is_symlink()):  # ifupdown2 ships a symlink
        raise UsageError(f"{F.IFRELOAD} not found under {root.prefix}: is ifupdown2 installed?")


def _divert(root: Root, invoker: Invoker) -> dict[str, str]:
    argv = divert_argv(root, remove=False)
    if argv is None:
        os.rename(root.entry(F.IFRELOAD), root.entry(F.IFRELOAD_ORIG))
        method = "rename"
    else:
        if invoker(argv) != 0:
            raise UsageError(f"`{' '.join(argv)}` failed; nothing diverted")
        method = "dpkg-divert"
        alias = alias_divert_argv(root, remove=False)
        if alias is not None:
            if invoker(alias) != 0:
                undo = divert_argv(root, remove=True)
                if undo is not None:
                    invoker(undo)
                raise UsageError(f"`{' '.join(alias)}` failed; nothing diverted")
            return {"path": F.IFRELOAD, "divert": F.IFRELOAD_ORIG, "method": method, "alias": "1"}
    return {"path": F.IFRELOAD, "divert": F.IFRELOAD_ORIG, "method": method}


def save_manifest(root: Root, manifest: F.Manifest) -> None:
    path, data = root.path(F.MANIFEST), manifest.to_json()
    if not path.is_file() or path.read_bytes() != data:
        atomic_write(path, data, mode=0o600)


def _make_dirs(root: Root, wanted: list[str], manifest: F.Manifest) -> None:
    """Create missing directories (parents first) and remember the ones we created."""
    for system_dir in wanted:
        parts = Path(system_dir).parts[1:]
        for i in range(1, len(parts) + 1):
            sys_path = "/" + "/".join(parts[:i])
            real = root.entry(sys_path)
            if real.is_dir():
                continue
            real.mkdir()
            real.chmod(0o700 if sys_path == STATE_DIR else 0o755)
            if sys_path not in manifest.dirs:
                manifest.dirs.append(sys_path)


def install(opts: Options, invoker: Invoker, out: Out = print) -> int:
    root = opts.root
    old = F.Manifest.load(root)
    manifest = old or F.Manifest()
    divert = opts.divert_ifreload or manifest.diversion is not None
    if manifest.diversion is not None and not opts.divert_ifreload:
        out(f"note: keeping the ifreload wrapper installed earlier ({F.IFRELOAD})")
    new_diversion = divert and manifest.diversion is None
    if new_diversion:
        _check_divertable(root)
    if opts.units:
        check_protect_home(opts.ifguard)
    rendered, notes = F.render(root, opts.ifguard, divert_ifreload=divert, units=opts.units)
    for note in notes:
        out(f"note: {note}")
    wanted = {f.path for f in rendered}
    stale = [p for p in sorted(manifest.files) if p not in wanted]
    statuses: list[tuple[F.File, str]] = []
    for f in rendered:
        real = root.entry(f.path)
        current = F.current(real)
        if f.path == F.IFRELOAD and new_diversion:
            current = None  # the real ifreload moves away first
        elif current is not None and f.path not in manifest.files and current != f.data:
            raise UsageError(
                f"{f.path} exists and was not written by ifguard; "
                "move it away first (nothing was changed)"
            )
        statuses.append(
            (f, "unchanged" if current == f.data else "created" if current is None else "updated")
        )
    if opts.dry_run:
        if new_diversion:
            argv = divert_argv(root, remove=False)
            out(
                f"would divert {F.IFRELOAD} to {F.IFRELOAD_ORIG} ("
                + (" ".join(argv) if argv else "rename")
                + ")"
            )
        for path in stale:
            out(f"would remove {path}")
        for f, status in statuses:
            out(f"{'' if status == 'unchanged' else 'would be '}{status} {f.path}")
        if opts.manage_systemd:
            _systemd_advice(opts, out)
        return 0
    _make_dirs(root, [STATE_DIR, *sorted({str(Path(f.path).parent) for f in rendered})], manifest)
    manifest.ifguard = opts.ifguard
    save_manifest(root, manifest)
    if new_diversion:
        manifest.diversion = _divert(root, invoker)
        save_manifest(root, manifest)
        out(f"diverted {F.IFRELOAD} to {F.IFRELOAD_ORIG} ({manifest.diversion['method']})")
    for f, _ in statuses:
        manifest.files[f.path] = F.sha256(f.data)
    save_manifest(root, manifest)  # before writing: a crash leaves nothing unrecorded
    for f, status in statuses:
        if status != "unchanged":
            _write(root.entry(f.path), f)
        out(f"{status} {f.path}")
    _remove_stale(root, manifest, stale, out)
    if not opts.manage_systemd:
        _systemd_advice(opts, out)
        return 0
    commands = [["systemctl", "daemon-reload"]]
    if opts.units:
        commands.append(["systemctl", "enable", *F.UNITS])
    failed = [argv for argv in commands if invoker(argv) != 0]
    for argv in failed:
        out(f"warning: `{' '.join(argv)}` failed")
    return 1 if failed else 0


def _write(entry: Path, f: F.File) -> None:
    target = f.link
    if target is None:
        atomic_write(entry, f.data, mode=f.mode)
        return
    tmp = entry.with_name(f".{entry.name}.ifguard-tmp")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, entry)


def _remove_stale(root: Root, manifest: F.Manifest, stale: list[str], out: Out) -> None:
    """Files an earlier install wrote that this one does not (e.g. units in /etc that would
    shadow the package's): removed when unchanged, kept (and still recorded) otherwise."""
    for path in stale:
        real = root.entry(path)
        now = F.current(real)
        if now is not None and F.sha256(now) != manifest.files[path]:
            out(f"warning: {path} was changed after ifguard installed it; left in place")
            continue
        real.unlink(missing_ok=True)
        del manifest.files[path]
        save_manifest(root, manifest)
        out(f"removed {path}")


def _systemd_advice(opts: Options, out: Out) -> None:
    units = " ".join(F.UNITS)
    if not opts.units:
        out(
            "systemd not managed here; on the host run: systemctl daemon-reload"
            if not opts.manage_systemd
            else "would run: systemctl daemon-reload"
        )
        return
    if opts.manage_systemd:
        out(f"would run: systemctl daemon-reload && systemctl enable {units}")
    else:
        out(
            "systemd not managed here (--root is not / or systemd is not running); "
            f"on the host run: systemctl daemon-reload && systemctl enable --now {units}"
        )
