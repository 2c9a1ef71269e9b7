"""The state dir holds alert bodies, whole configuration files and the history: 0700 for the
directory and 0600 for every file in it, always. Tightened at every start (an older version,
a restored backup or an admin's ``cp`` may have left them open), and said so once."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger("ifguard.watch")


def _entries(state_dir: Path) -> list[tuple[Path, int]]:
    out = [(state_dir, 0o700)]
    for top, dirs, files in os.walk(state_dir):  # symlinks are not followed
        out += [(Path(top, d), 0o700) for d in dirs if not Path(top, d).is_symlink()]
        out += [(Path(top, f), 0o600) for f in files]
    return out


def tighten(state_dir: Path) -> list[str]:
    """Create the state dir 0700 if needed, then remove group/other bits from it, every
    directory and every regular file under it; returns what was changed (logged once)."""
    state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    changed = []
    for path, want in _entries(state_dir):
        try:
            st = os.lstat(path)
            mode = stat.S_IMODE(st.st_mode)
            if (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)) and mode & 0o077:
                os.chmod(path, mode & want)
                shown = path.relative_to(state_dir) if path != state_dir else path
                changed.append(f"{shown} {mode:04o}->{mode & want:04o}")
        except OSError as exc:
            log.error("%s: cannot tighten its permissions: %s", path, exc)
    if changed:
        log.warning("state dir %s: permissions tightened: %s", state_dir, ", ".join(changed))
    return changed
