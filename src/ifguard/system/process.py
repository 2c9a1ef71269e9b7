"""Processes: naming one without pid reuse, and whether systemd is PID 1."""

from __future__ import annotations

import os


def start_ticks(pid: int) -> int | None:
    """The start time of a process (clock ticks since boot, /proc/PID/stat field 22), or None
    when it does not exist. Together with the pid it names a process without pid reuse."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return None
    # the command name (field 2) is in parentheses and may contain spaces or parentheses
    rest = stat[stat.rfind(b")") + 2 :].split()
    try:
        if rest[0] == b"Z":  # a zombie has finished its work
            return None
        return int(rest[19])
    except (IndexError, ValueError):
        return None


def process_alive(pid: int | None, ticks: int | None) -> bool:
    """True when the process ``pid`` started at ``ticks`` still runs (not a zombie)."""
    if not pid or pid <= 0:
        return False
    now = start_ticks(pid)
    return now is not None and (ticks is None or now == ticks)


def systemd_is_pid1() -> bool:
    """The test ``sd_booted()`` uses: /run/systemd/system exists."""
    return os.path.isdir("/run/systemd/system")
