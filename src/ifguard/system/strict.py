"""OpenSSH-style StrictModes for what ifguard reads back as root (its state, the install
manifest): a file or directory another user could have written is refused, never used."""

from __future__ import annotations

import os
from pathlib import Path

from ifguard.system.errors import UsageError


class UntrustedState(UsageError):
    """State another user could have written (owner, mode, a link): never read or used."""


def check_owner(path: Path, st: os.stat_result, what: str = "state") -> None:
    """OpenSSH StrictModes for ifguard's state: owned by root or by us, not writable by
    group or others, not a symbolic link. Raises ``UntrustedState`` (one line, the fix)."""
    import stat

    problem = ""
    if stat.S_ISLNK(st.st_mode):
        problem = "is a symbolic link"
    elif st.st_uid not in (0, os.geteuid()):
        problem = f"is owned by uid {st.st_uid}"
    elif st.st_mode & 0o022:
        problem = "is writable by group or others"
    if problem:
        mode = "700" if stat.S_ISDIR(st.st_mode) else "600"
        raise UntrustedState(
            f"{path}: {problem}: refusing {what} another user could have written; "
            f"fix: check it, then chown root:root {path} && chmod {mode} {path}"
        )
