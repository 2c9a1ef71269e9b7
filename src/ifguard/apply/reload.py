"""A reload someone else started, as an unattended guarded change (``ifguard reload``, run by
the ifreload wrapper that ``ifguard install --divert-ifreload`` puts at /usr/sbin/ifreload).

Proxmox's GUI "Apply" has already moved ``interfaces.new`` over ``interfaces``, ifupdown2's
postinst or an admin just calls ``ifreload -a``: the new files are in place, so the way back
is the last version the history records as known-good (confirmed by ``ifguard apply``,
recorded by the watcher or the boot check). ``pipeline.guarded_change`` with the candidate in
place does it:

1. lint gate with the host's settings (/etc/ifguard/ifguard.toml under the root): errors
   refuse the reload (exit 1, nothing reloaded); a gate that cannot run refuses too (exit 2);
2. no known-good version, or it is what is on disk: nothing to go back to: say so and run
   the real reload unguarded (its exit status is ours);
3. otherwise a transaction whose "before" is the known-good version: guardian armed, the real
   reload, the probes (management path and cluster peers), green -> confirmed at once (only
   the probe time is added), red -> the known-good files restored and reloaded through the
   same real ifreload, an alert, exit 1 with one line saying so.

Time is bounded: reload timeout + probe timeout (+ the same again for a rollback), and the
guardian start waits at most 15 s, so a package's postinst never hangs on it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

from ifguard.apply.gate import Refused
from ifguard.apply.pipeline import guarded_change
from ifguard.apply.request import ApplyRequest, Candidate
from ifguard.apply.world import World
from ifguard.config.source import DEFAULT_INTERFACES
from ifguard.store import record as rec
from ifguard.store.record import RELOAD_TIMEOUTS
from ifguard.system.root import Root

IN_PLACE = Candidate("reload", "reload")

# What a guarded reload run by a systemd unit's ExecReload (networking.service: Debian's
# start-networking runs `ifreload -a` and exits 0 whatever it returned) leaves for the unit's
# last ExecReload line, `ifguard reload --verdict`: one file per unit invocation
# ($INVOCATION_ID, which systemd gives every process of the unit), taken by that line.
VERDICTS = "/run/ifguard/reload-verdicts"
VERDICT_MAX_AGE = 3600.0


def say(message: str) -> None:
    # stderr: the Proxmox GUI shows it in the task log / error message
    with contextlib.suppress(OSError, ValueError):
        print(f"ifguard: {message}", file=sys.stderr, flush=True)


def reload_request(
    root: Root,
    state_dir: Path,
    command: tuple[str, ...],
    *,
    timeout: float = RELOAD_TIMEOUTS.confirm,
    probe_timeout: float = RELOAD_TIMEOUTS.probe,
    gated: bool = False,
    spawner: str = "auto",
) -> ApplyRequest:
    """The guarded change of a reload: unattended, confirmed by green probes at once."""
    return ApplyRequest(
        root=root,
        state_dir=state_dir,
        timeouts=replace(RELOAD_TIMEOUTS, confirm=timeout, probe=probe_timeout),
        auto_confirm=True,
        unattended=True,
        reload_cmd=(command,),
        spawner=spawner,
        gated=gated,
    )


def guarded_reload(req: ApplyRequest, world: World) -> int:
    """See the module docstring. ``world.run_plain`` runs the real reload with the caller's
    stdio (the unguarded fall-back); ``world.alert`` sends the rollback alert."""
    try:
        outcome = guarded_change(req, IN_PLACE, world)
    except Refused as exc:
        from ifguard.lint.report import text

        result = exc.result
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(
                text.render(result.diagnostics, result.loaded.documents, color=False, quiet=True)
            )
            print(
                f"ifreload: refused by ifguard: {DEFAULT_INTERFACES} has {result.errors} lint "
                "error(s) (listed above); nothing was reloaded. Fix them (ifguard lint --fix) "
                "or run IFGUARD_FORCE=1 ifreload ...",
                file=sys.stderr,
                flush=True,
            )
        return 1
    if outcome.plain is not None:
        return outcome.plain
    final = outcome.txn
    if final is None:
        say(f"guarded reload {outcome.txn_id}: outcome unknown (see `ifguard status`)")
        return 1
    if final.state != rec.CONFIRMED:
        # rolled back: the pipeline said so and alerted; the unit's verdict line says it too
        state = "ROLLED BACK" if final.state == rec.ROLLED_BACK else final.state.upper()
        record_verdict(
            req.root,
            f"guarded reload {final.id} {state} to {outcome.way_back}: the reload broke the "
            f"network ({final.outcome})",
        )
        return 1
    if final.reload_error:
        say(f"kept, but the reload reported errors: {final.reload_error}")
        return 1
    say("probes green: kept")
    return 0


def _verdict_file(root: Root) -> Path | None:
    invocation = os.environ.get("INVOCATION_ID", "")
    if re.fullmatch(r"[0-9a-f]{32}", invocation) is None:
        return None  # not run by a systemd unit: the caller sees our exit status
    return root.path(VERDICTS) / invocation


def record_verdict(root: Root, message: str) -> None:
    """A reload of this unit invocation was not kept: leave ``message`` for its verdict line."""
    path = _verdict_file(root)
    if path is None:
        return
    with contextlib.suppress(OSError):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.write_text(json.dumps({"time": time.time(), "message": message}) + "\n")
        # a unit with no verdict line (cron, a script's service) never takes its own: no pile
        for old in path.parent.iterdir():
            with contextlib.suppress(OSError):
                if time.time() - old.stat().st_mtime > VERDICT_MAX_AGE:
                    old.unlink()


def take_verdict(root: Root) -> str | None:
    """The message a guarded reload of this unit invocation left (removed), None if none."""
    path = _verdict_file(root)
    if path is None:
        return None
    try:
        data = json.loads(path.read_text())
        path.unlink()
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("message"), str):
        return None
    stamp = data.get("time")
    if not isinstance(stamp, (int, float)) or time.time() - stamp > VERDICT_MAX_AGE:
        return None  # left by an earlier reload that never reached its verdict line
    return str(data["message"])
