"""``ifguard watch --self-heal``: when a reload ifguard did not make leaves the host
unhealthy, put the last known-good configuration back through the guarded apply path.

Decisions only; the restore itself is a callable (the daemon runs ``ifguard restore ID
--auto-confirm``, i.e. lint gate, snapshot, guardian, reload, probes, rollback). Rules:
- a configuration becomes known-good after it has been lint-clean, probe-healthy *and
  running* (no drift: the running state is what the files say) for ``settle`` seconds, and
  only when its next boot would bring the management path up (``boot_cut``, docs/boot.md).
  Files written but not reloaded yet are not what the healthy probes measured: marking them
  known-good made a guarded reload of them find "the known-good version" in place and reload
  unguarded (a cut kept; VM lab path 3, passed 1 of 2 runs);
- heal only when unhealthy for ``after`` seconds, no apply transaction is open (its own
  guardian owns the situation), the files differ from the known-good version, and at most
  ``max_attempts`` times, waiting ``backoff`` * 2^n between attempts; unhealthy with the
  known-good files in place is reported, never "healed" in a loop;
- probes that could not run (none failed) are no evidence either way: they neither count
  towards a heal nor towards known-good.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ifguard.config.bootpath import boot_path
from ifguard.lint.engine import HostResult
from ifguard.watch.alerts import Alert

KEY = "self-heal"


@dataclass
class Observation:
    now: float
    healthy: bool
    lint_errors: int
    version: int | None  # the history id of the files on disk
    pending: bool  # an `ifguard apply` transaction is open
    cannot_check: bool = False  # unhealthy only because probes could not run
    boot_cut: bool = False  # the files' next boot would not bring the management path up
    drift: bool = False  # the running state differs from the files (not reloaded yet)


class SelfHealer:
    def __init__(
        self,
        known_good: Callable[[], int | None],
        mark: Callable[[int], None],
        restore: Callable[[int], int],
        *,
        enabled: bool,
        after: float = 30.0,
        settle: float = 10.0,
        max_attempts: int = 3,
        backoff: float = 60.0,
    ) -> None:
        self.known_good, self.mark, self.restore = known_good, mark, restore
        self.enabled, self.after, self.settle = enabled, after, settle
        self.max_attempts, self.backoff = max_attempts, backoff
        self.healthy_since: float | None = None  # healthy since, with this version
        self.healthy_version: int | None = None
        self.marked: int | None = None  # the version last found/marked known-good
        self.unhealthy_since: float | None = None
        self.attempts = 0
        self.next_attempt = 0.0
        self.reported_same = False

    def due(self, now: float) -> float | None:
        """Seconds until an observation could lead to a decision (mark known-good, heal);
        None when nothing is pending, so an idle daemon is not woken up."""
        if self.healthy_since is not None:
            if self.marked == self.healthy_version:
                return None
            return max(0.0, self.healthy_since + self.settle - now)
        if self.unhealthy_since is None or not self.enabled:
            return None
        if self.attempts >= self.max_attempts:
            return None
        return max(0.0, self.unhealthy_since + self.after - now, self.next_attempt - now)

    def observe(self, o: Observation) -> list[Alert]:
        if not o.healthy and o.cannot_check:  # no evidence either way: wait for some
            self.healthy_since = self.unhealthy_since = None
            return []
        if o.healthy and o.drift:  # healthy, but not running these files: no evidence
            self.healthy_since = self.unhealthy_since = None
            return []
        if o.healthy:
            self.unhealthy_since = None
            self.reported_same = False
            if self.healthy_since is None or self.healthy_version != o.version:
                self.healthy_since, self.healthy_version = o.now, o.version
            if o.lint_errors or o.boot_cut or o.pending or o.version is None:
                self.marked = o.version  # nothing to wait for with this version
            elif o.now - self.healthy_since >= self.settle and self.marked != o.version:
                if self.known_good() != o.version:
                    self.mark(o.version)
                self.marked = o.version
                self.attempts = 0
            return []
        self.healthy_since = None
        if self.unhealthy_since is None:
            self.unhealthy_since = o.now
        if not self.enabled or o.pending or o.now - self.unhealthy_since < self.after:
            return []
        good = self.known_good()
        if good is None or good == o.version:
            if self.reported_same:
                return []
            self.reported_same = True
            why = (
                "no known-good configuration in the history"
                if good is None
                else "the files on disk are the last known-good version"
            )
            return [
                Alert(
                    KEY,
                    "firing",
                    "unhealthy, not self-healing",
                    f"Probes have failed for {o.now - self.unhealthy_since:.0f} s, but "
                    f"{why}: restoring would not help. Look at the host.",
                )
            ]
        if self.attempts >= self.max_attempts or o.now < self.next_attempt:
            return []
        self.attempts += 1
        self.next_attempt = o.now + self.backoff * 2 ** (self.attempts - 1)
        rc = self.restore(good)
        outcome = {0: "restored and kept", 1: "refused or rolled back"}.get(rc, f"exit {rc}")
        return [
            Alert(
                f"{KEY}:{self.attempts}",
                "firing",
                f"self-heal: restored known-good version {good} ({outcome})",
                f"Probes failed for {o.now - self.unhealthy_since:.0f} s after a change "
                f"ifguard did not make (version {o.version}); attempt {self.attempts} of "
                f"{self.max_attempts}: `ifguard restore {good} --auto-confirm` -> "
                f"{outcome}.",
            )
        ]


def boot_cut(result: HostResult | None, nics: frozenset[str] | None) -> bool:
    """Whether the running configuration's next boot would not bring the management path up
    (``ifguard.config.bootpath``): such a version is never marked known-good, whatever the
    lint settings say about the rules that report it."""
    if result is None:
        return False
    return not boot_path(result.running.config, nics).comes_up
