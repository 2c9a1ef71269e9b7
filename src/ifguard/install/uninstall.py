"""``ifguard uninstall``: take away exactly what ``ifguard install`` wrote (a file changed since
is left in place), undo the ifreload diversion, remove the directories install made when
empty, and the manifest last."""

from __future__ import annotations

import contextlib
import os

from ifguard.install import files as F
from ifguard.install.ops import Invoker, Out, alias_divert_argv, divert_argv, save_manifest
from ifguard.system.errors import UsageError
from ifguard.system.root import Root


def uninstall(root: Root, invoker: Invoker, *, manage_systemd: bool, out: Out = print) -> int:
    manifest = F.Manifest.load(root)
    if manifest is None:
        out("nothing to uninstall")
        return 0
    own_units = [u for u in F.UNITS if f"{F.UNIT_DIR}/{u}" in manifest.files]
    if manage_systemd and own_units:  # the package's units are the package's business
        invoker(["systemctl", "disable", "--now", *own_units])
    left: dict[str, str] = {}
    for path, digest in sorted(manifest.files.items()):
        real = root.entry(path)
        now = F.current(real)
        if now is None:
            out(f"already gone {path}")
        elif F.sha256(now) == digest:
            real.unlink()
            out(f"removed {path}")
        else:
            left[path] = digest
            out(f"warning: {path} was changed after ifguard installed it; left in place")
    diversion = manifest.diversion
    if diversion is not None:
        if F.IFRELOAD in left:
            out(f"warning: diversion of {F.IFRELOAD} kept (the wrapper was left in place)")
        else:
            _undivert(root, diversion, invoker, out)
            diversion = None
    if diversion is not None:
        save_manifest(
            root,
            F.Manifest(
                files={F.IFRELOAD: left[F.IFRELOAD]},
                dirs=manifest.dirs,
                diversion=diversion,
                ifguard=manifest.ifguard,
            ),
        )
    else:
        root.entry(F.MANIFEST).unlink()
    for d in reversed(manifest.dirs):
        # not empty (other files, or something left in place) or already gone: keep it
        with contextlib.suppress(OSError):
            root.entry(d).rmdir()
    if manage_systemd:
        invoker(["systemctl", "daemon-reload"])
    return 1 if left else 0


def _undivert(root: Root, diversion: dict[str, str], invoker: Invoker, out: Out) -> None:
    real, orig = root.entry(F.IFRELOAD), root.entry(F.IFRELOAD_ORIG)
    if diversion.get("method") == "dpkg-divert":
        alias = alias_divert_argv(root, remove=True) if diversion.get("alias") else None
        if alias is not None and invoker(alias) != 0:
            raise UsageError(
                f"could not remove the diversion of {F.IFRELOAD_ALIAS} (`{' '.join(alias)}` "
                "failed); see docs/install.md"
            )
        argv = divert_argv(root, remove=True)
        if argv is None or invoker(argv) != 0:
            raise UsageError(
                f"could not remove the diversion of {F.IFRELOAD}"
                + (f" (`{' '.join(argv)}` failed)" if argv else " (dpkg-divert not found)")
                + "; see docs/install.md"
            )
    elif orig.exists() and not real.exists():
        os.rename(orig, real)
    else:
        out(f"warning: {F.IFRELOAD_ORIG} missing or {F.IFRELOAD} present; nothing renamed")
        return
    out(f"restored {F.IFRELOAD}")
