"""The gates ``ifguard install --gates`` puts in place: the networking.service drop-in, the
apt hook and the ifreload wrapper (the one that also covers Proxmox's "Apply Configuration").
Read from the files under the root; with systemd, whether systemd has loaded the drop-in."""

from __future__ import annotations

import os
import re

from ifguard.doctor import FAIL, OK, UNKNOWN, WARN, Check, Host
from ifguard.install import files
from ifguard.system.readfile import read_regular

_GATE = re.compile(r"(/\S+) (?:lint --gate|apt-hook)")
_WRAPPER_MARK = "ifguard: refuse to reload"
FIX = "ifguard install --gates"
FIX_IFRELOAD = "ifguard install --gates --divert-ifreload"
# Proxmox VE is installed: its GUI's "Apply Configuration" runs `ifreload -a`
PROXMOX_MARKS = ("/usr/bin/pveversion", "/usr/share/perl5/PVE")


def _text(host: Host, system_path: str) -> str | None:
    try:
        data, _ = read_regular(host.root.path(system_path), limit=1 << 20)
    except OSError:
        return None
    return data.decode("utf-8", "replace")


def _gate_exe(host: Host, text: str, name: str) -> Check | None:
    """A gate whose ifguard executable is gone refuses every reload (drop-in) or checks
    nothing (apt hook's `[ -x ]`)."""
    found = _GATE.search(text)
    if found is None:
        return None
    exe = found.group(1)
    path = host.root.path(exe)
    if path.is_file() and os.access(path, os.X_OK):
        return None
    return Check("gates", name, FAIL, f"runs {exe}, which is missing", FIX)


def checks(host: Host) -> list[Check]:
    out: list[Check] = []
    dropin = _text(host, files.DROPIN)
    if dropin is None or "lint --gate" not in dropin:
        out.append(
            Check(
                "gates",
                "networking drop-in",
                FAIL,
                f"{files.DROPIN} not installed: `systemctl reload networking` reloads unchecked",
                FIX,
            )
        )
    else:
        out.append(_gate_exe(host, dropin, "networking drop-in") or _loaded(host))
    hook = _text(host, files.APT_HOOK)
    # `ifguard apt-hook` runs the gate (older versions wrote `lint --gate` into the hook)
    if hook is None or ("lint --gate" not in hook and " apt-hook" not in hook):
        out.append(
            Check(
                "gates",
                "apt hook",
                FAIL,
                f"{files.APT_HOOK} not installed: package scripts reload a broken file",
                FIX,
            )
        )
    else:
        out.append(
            _gate_exe(host, hook, "apt hook")
            or Check("gates", "apt hook", OK, "apt refuses to run while the file is broken")
        )
    out.append(_ifreload(host))
    return out


def _loaded(host: Host) -> Check:
    name = "networking drop-in"
    if not host.systemd:
        return Check("gates", name, OK, "installed (whether systemd loaded it: not checked)")
    done = host.runner.run(
        ["systemctl", "show", files.NETWORKING_UNIT, "-p", "DropInPaths,NeedDaemonReload"],
        timeout=10,
    )
    if not done.ok:
        return Check("gates", name, UNKNOWN, f"systemctl show failed: {done.err.strip()[:200]}")
    props = dict(line.partition("=")[::2] for line in done.out.splitlines())
    if files.DROPIN not in props.get("DropInPaths", "").split():
        return Check(
            "gates", name, FAIL, "installed but not loaded by systemd", "systemctl daemon-reload"
        )
    if props.get("NeedDaemonReload") == "yes":
        return Check(
            "gates", name, WARN, "changed since systemd loaded it", "systemctl daemon-reload"
        )
    return Check("gates", name, OK, "`systemctl reload networking` lints first")


def _ifreload(host: Host) -> Check:
    proxmox = any(host.root.path(p).exists() for p in PROXMOX_MARKS)
    name = "ifreload wrapper (Proxmox GUI Apply)" if proxmox else "ifreload wrapper"
    wrapper = _text(host, files.IFRELOAD)
    orig = host.root.path(files.IFRELOAD_ORIG)
    if wrapper is not None and _WRAPPER_MARK in wrapper:
        if not orig.is_file():
            return Check(
                "gates",
                name,
                FAIL,
                f"the real ifreload ({files.IFRELOAD_ORIG}) is missing",
                "apt install --reinstall ifupdown2 && " + FIX_IFRELOAD,
            )
        covers = (
            "ifreload -a, the GUI's Apply and ifupdown2's postinst reload lint first and roll "
            "back a cut"
            if proxmox
            else "ifreload lints first and rolls back a cut (Debian's ifupdown2 upgrade "
            "reloads nothing)"
        )
        return Check("gates", name, OK, covers)
    if wrapper is None and not orig.exists():
        return Check("gates", name, OK, "no ifreload on this host (ifupdown2 not installed)")
    what = (
        "the GUI's Apply Configuration, ifupdown2's postinst and ifreload -a reload"
        if proxmox
        else "ifreload reloads"
    )
    return Check("gates", name, FAIL, f"not installed: {what} unchecked", FIX_IFRELOAD)
