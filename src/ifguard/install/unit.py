"""Read what an installed systemd unit runs, the way systemd combines it with its drop-ins.

``ifguard install`` keeps the distribution's reload of ``networking.service``: its drop-in
resets ``ExecReload=``, puts the lint gate first and then repeats the reload commands read
here, so ``/etc/default/networking`` (EXCLUDE_INTERFACES, VERBOSE, SYSLOG) keeps applying.
"""

from __future__ import annotations

from dataclasses import dataclass

from ifguard.system.readfile import read_regular
from ifguard.system.root import Root

# Highest priority first (systemd's unit search path on Debian 12, /usr/lib after merged-usr).
UNIT_DIRS = (
    "/etc/systemd/system",
    "/run/systemd/system",
    "/lib/systemd/system",
    "/usr/lib/systemd/system",
)
MAX_UNIT_BYTES = 1 << 20


@dataclass(frozen=True)
class Commands:
    unit: str  # system path of the unit file that was read ("" when none was found)
    commands: tuple[str, ...]  # the effective ExecReload= (etc.) values, in order


def _read(root: Root, system_path: str) -> str | None:
    """A unit file's text, or None when missing, masked (-> /dev/null), not a regular file
    or huge (symbolic links resolved inside the root)."""
    try:
        data, _ = read_regular(root.path(system_path), limit=MAX_UNIT_BYTES)
    except OSError:
        return None
    return data.decode("utf-8", errors="replace")


def _logical_lines(text: str) -> list[str]:
    """Lines with backslash continuations joined and comments dropped."""
    out: list[str] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line[0] in "#;"):
            continue
        if line.endswith("\\"):
            pending += line[:-1].rstrip() + " "
            continue
        out.append(pending + line)
        pending = ""
    if pending:
        out.append(pending.rstrip())
    return out


def apply_settings(text: str, section: str, key: str, values: list[str] | None) -> list[str] | None:
    """``values`` after the ``key=`` lines of ``[section]`` in ``text``: an empty assignment
    resets the list, others append. None stays None when the key never appears."""
    current = section == ""
    for line in _logical_lines(text):
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip() == section
            continue
        name, sep, value = line.partition("=")
        if not current or not sep or name.strip() != key:
            continue
        value = value.strip()
        values = [] if not value else [*(values or []), value]
    return values


def effective(root: Root, name: str, key: str, *, skip_dropin: str = "") -> Commands | None:
    """The effective ``[Service] key=`` list of unit ``name`` under ``root`` (the first unit
    file on the search path, then its drop-ins in systemd's order, leaving out
    ``skip_dropin``). None: no such unit, or masked."""
    for d in UNIT_DIRS:
        system_path = f"{d}/{name}"
        text = _read(root, system_path)
        if text is not None:
            break
        try:
            present = root.path(system_path).is_symlink() or root.path(system_path).exists()
        except OSError:
            present = True
        if present:  # masked (a link to /dev/null) or unreadable: it hides the lower ones
            return None
    else:
        return None
    values = apply_settings(text, "Service", key, None)
    dropins: dict[str, str] = {}
    for d in reversed(UNIT_DIRS):  # lower priority first: a same-named file in /etc wins
        try:
            dirpath = root.path(f"{d}/{name}.d")
            names = sorted(e.name for e in dirpath.iterdir()) if dirpath.is_dir() else []
        except OSError:
            names = []
        for entry in names:
            if entry.endswith(".conf"):
                dropins[entry] = f"{d}/{name}.d/{entry}"
    for conf in sorted(dropins):
        if conf == skip_dropin:
            continue
        dropin_text = _read(root, dropins[conf])
        if dropin_text is not None:
            values = apply_settings(dropin_text, "Service", key, values)
    return Commands(system_path, tuple(values or ()))
