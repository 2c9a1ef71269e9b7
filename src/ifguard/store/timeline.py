"""The history as a person reads it: each version with when it was last seen, who or what
put it there (apply by alice, restore, the watcher, a snapshot), the message given with
``-m``, how the change ended (kept, rolled back) and whether it is known-good. Built from
the versions and the transaction events of ``store.history``; nothing is written."""

from __future__ import annotations

from dataclasses import dataclass

from ifguard.store.history import Event, History, Version

# how a transaction ended, by event kind
_ENDS = {
    "apply-confirmed": "kept",
    "apply-rolled-back": "rolled back",
    "apply-rollback-failed": "ROLLBACK FAILED",
    "apply-aborted": "aborted",
}
EVENTS_READ = 2000  # the newest events looked at (bounded: a busy watcher records many)


@dataclass(frozen=True)
class Entry:
    version: Version
    when: float  # last seen (applied, restored or seen by the watcher)
    source: str  # apply, restore, reload, watch, snapshot
    by: str = ""  # the login that ran the change
    message: str = ""
    outcome: str = ""  # kept, rolled back, ... ("" : no transaction, or still open)
    writer: str = ""  # who wrote the files, as the watcher's audit reader saw it

    @property
    def who(self) -> str:
        out = self.source + (f" by {self.by}" if self.by else "")
        return out + (f" ({self.outcome})" if self.outcome else "")


def timeline(history: History, limit: int = 20) -> list[Entry]:
    """The newest ``limit`` versions, newest first, each with its last transaction."""
    versions = history.versions(limit)
    events = history.events(EVENTS_READ)
    ends: dict[str, str] = {}
    started: dict[int, Event] = {}
    cut_at_boot: dict[int, str] = {}  # the boot check restored another version over these
    written: dict[int, Event] = {}  # the watcher's "written-by" (Linux audit), newest
    for e in events:  # newest first: the first seen is the latest
        if e.kind == "boot-restored" and e.version_id is not None:
            kept = e.detail.get("kept") is True
            cut_at_boot.setdefault(
                e.version_id,
                f"cut at boot, v{e.detail.get('restored')} restored"
                + ("" if kept else " NOT kept"),
            )
        txn = str(e.detail.get("txn", ""))
        if e.kind in _ENDS and txn and txn not in ends:
            ends[txn] = _ENDS[e.kind]
        if e.kind == "apply-started" and e.version_id is not None:
            started.setdefault(e.version_id, e)
        if e.kind == "written-by" and e.version_id is not None:
            written.setdefault(e.version_id, e)
    out = []
    for v in versions:
        start = started.get(v.id)
        if start is None:
            wrote = written.get(v.id)
            if wrote is None:
                out.append(Entry(v, v.last_seen, v.source, outcome=cut_at_boot.get(v.id, "")))
            else:
                who = str(wrote.detail.get("writer", ""))
                out.append(
                    Entry(
                        v,
                        v.last_seen,
                        v.source,
                        by=who,
                        outcome=cut_at_boot.get(v.id, ""),
                        writer=str(wrote.detail["text"]),
                    )
                )
            continue
        detail = start.detail
        out.append(
            Entry(
                v,
                v.last_seen,
                str(detail.get("source", v.source)),
                by=str(detail.get("by", "")),
                message=str(detail.get("message", "")),
                outcome=ends.get(str(detail.get("txn", "")), ""),
            )
        )
    return out
