"""The watcher's audit reader (watch/writers.py) with the one fake source and process table:
the writing pid followed to the program it runs, the ancestors' names, the session's address,
the metric's kinds, and "unknown writer" where audit is unavailable."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from ifguard.system.auditnl import AuditSource
from ifguard.watch.writers import Writers, follow, settle, who_of
from tests.fakes import FakeAudit, FakeProcs

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "audit"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text()


def pid_of(text: str, comm: str) -> tuple[int, int]:
    from ifguard.system.audit import parse

    for line in text.splitlines():
        r = parse(line)
        if r is not None and r.type == "SYSCALL" and r.fields.get("comm") == comm:
            return int(r.fields["pid"]), int(r.fields["ppid"])
    raise AssertionError(comm)


def run_once(w: Writers) -> None:
    """Read every batch of the fake source in this thread."""
    assert w.source is not None
    from ifguard.system.audit import Assembler

    asm = Assembler()
    while True:
        records = w.source.read(0)
        if not records:
            break
        for r in records:
            for e in asm.add(r):
                w.handle(e)
    for e in asm.flush():
        w.handle(e)


def names(uid: int) -> str | None:
    return {0: "root", 1000: "ops"}.get(uid)


def test_the_shells_child_is_followed_to_the_program_it_runs() -> None:
    text = fixture("console-append.log")
    pid, ppid = pid_of(text, "bash")
    shell = ("bash", 700, 50, "/usr/bin/bash", "-bash")
    login = ("login", 1, 40, "/usr/bin/login", "/bin/login -p --")
    procs = FakeProcs(
        {pid: ("bash", ppid, 99, "/usr/bin/bash", "-bash"), ppid: shell, 700: login},
        {pid: ("ip", ppid, 99, "/usr/bin/ip", "ip -o link"), ppid: shell, 700: login},
    )
    w = Writers(lambda: FakeAudit(text), procs, names, utmp=dict)
    assert w.open()
    run_once(w)
    (a,) = w.take()
    assert a.program == "ip -o link" and a.chain == ("bash", "login")
    line = a.text()
    assert "appended to by `ip -o link`" in line and "run by bash) <- bash <- login" in line
    assert "login root (uid 0)" in line and "ttyS0" in line
    assert dict(w.counts) == {"append": 1}


def test_a_writer_gone_before_it_is_read_is_named_from_the_record() -> None:
    w = Writers(lambda: FakeAudit(fixture("console-append.log")), FakeProcs(), names, utmp=dict)
    w.open()
    run_once(w)
    (a,) = w.take()
    assert a.program is None and a.chain == ()
    assert "appended to by bash (pid " in a.text() and "/usr/bin/bash)" in a.text()


def test_a_writer_that_keeps_its_program_is_read_once_the_time_is_up() -> None:
    procs = FakeProcs({5: ("sed", 4, 1, "/usr/bin/sed", "sed -i s/a/b/ f")})
    cmdline, exe, gone = follow(procs, 5, "/usr/bin/sed", time.monotonic() + 0.01)
    assert (cmdline, exe, gone) == ("sed -i s/a/b/ f", "/usr/bin/sed", False)
    # the pid reused by another process: not the writer
    reused = FakeProcs({5: ("sed", 4, 1, "/usr/bin/sed", "x")}, {5: ("sh", 4, 2, "/bin/sh", "y")})
    assert follow(reused, 5, "/usr/bin/sed", time.monotonic() + 1)[:2] == (None, None)


def test_the_session_address_comes_from_the_login_record() -> None:
    text = fixture("ssh-sudo-append.log")
    w = Writers(lambda: FakeAudit(text), FakeProcs(), names, utmp=dict)
    w.open()
    run_once(w)
    (a,) = w.take()
    assert a.addr == "203.0.113.50" and a.login == "ops" and a.user == "root"


def test_every_usual_writer_is_taken_and_counted_by_kind() -> None:
    w = Writers(lambda: FakeAudit(fixture("writers.log")), FakeProcs(), names, utmp=dict)
    w.open()
    run_once(w)
    taken = w.take()
    assert {a.write.comm for a in taken} >= {"sed", "cp", "python3", "mv"}
    assert w.counts["rename"] >= 3 and w.counts["overwrite"] >= 1
    assert w.take() == []  # taken once


def test_unavailable_audit_is_an_unknown_writer_said_once(caplog: pytest.LogCaptureFixture) -> None:
    def refused() -> AuditSource:
        raise PermissionError(1, "Operation not permitted")

    w = Writers(refused, FakeProcs(), names)
    w.start()
    assert not w.available
    first = who_of(w, changed=True)
    second = who_of(w, changed=True)
    assert first is not None and second is not None
    why = "Linux audit unavailable (Operation not permitted)"
    assert first.line == f"written by: unknown writer ({why})"
    assert first.short == "unknown writer" and not first.fresh
    assert settle(w, first) == {"unknown": 1} and settle(w, second) == {"unknown": 2}
    said = [r for r in caplog.records if "unknown writer" in r.getMessage()]
    assert len(said) == 1
    assert who_of(w, changed=False) is None and who_of(None, changed=True) is None


def test_turned_off_says_so() -> None:
    w = Writers(None, FakeProcs(), names)
    w.start()
    got = who_of(w, changed=True)
    assert got is not None and "turned off" in got.line


def test_a_change_waits_for_its_record_in_the_reader_thread() -> None:
    text = fixture("console-append.log")
    w = Writers(lambda: FakeAudit(text), FakeProcs(), names, utmp=dict)
    w.start()
    try:
        got = who_of(w, changed=True)
        assert got is not None and "appended to by bash" in got.line
        assert got.detail["writer"] == "bash by root"
        assert got.counts == {"append": 1}
    finally:
        w.stop()
    assert not any(t.name == "ifguard-audit" and t.is_alive() for t in threading.enumerate()) or (
        w.stopped.is_set()
    )


def test_the_watchers_alert_history_and_metric_name_the_writer(tmp_path: Path) -> None:
    from ifguard.store.history import History
    from ifguard.system.clock import SystemClock
    from ifguard.system.root import Root
    from ifguard.watch.daemon import Watcher
    from ifguard.watch.storeguard import StoreGuard
    from tests.fakes import FakeSender

    net = tmp_path / "root/etc/network"
    (net / "interfaces.d").mkdir(parents=True)
    (net / "interfaces").write_text(
        "auto lo\niface lo inet loopback\n"
        "2: ens18: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP\n"
    )
    path = tmp_path / "state/history.db"
    store = StoreGuard(lambda: History(path), SystemClock(), str(path))
    text = fixture("console-append.log")
    writers = Writers(lambda: FakeAudit(text), FakeProcs(), names, utmp=dict)
    watcher = Watcher(Root(tmp_path / "root"), tmp_path / "state", [], store, writers=writers)
    writers.start()
    try:
        watcher.check(changed=True)
    finally:
        writers.stop()
    sender = FakeSender()
    watcher.queue.flush(sender)
    ((title, body),) = sender.sent
    assert "error" in title
    assert "written: /etc/network/interfaces appended to by bash (pid " in body
    assert "login root (uid 0)" in body
    (event,) = History(path).events(kind="written-by")
    assert event.version_id == watcher.version and event.detail["writer"] == "bash by root"
    assert watcher.metrics.snapshot.writes == {"append": 1}
    from ifguard.store.timeline import timeline

    (entry,) = timeline(History(path))
    assert entry.by == "bash by root" and entry.writer.startswith("/etc/network/interfaces")


def test_a_change_without_a_record_soon_after_an_open_is_that_writer_still_writing() -> None:
    """Audit records the open, not each write: the second change of a slow writer's output
    (the TCG guest's `cat > interfaces` came as two changes) is said as the same writer."""
    import dataclasses

    text = fixture("console-append.log")
    w = Writers(lambda: FakeAudit(text), FakeProcs(), names, utmp=dict)
    w.open()
    run_once(w)
    (a,) = w.recent
    w.recent[0] = dataclasses.replace(a, write=dataclasses.replace(a.write, time=time.time()))
    first = who_of(w, changed=True)
    assert first is not None and first.fresh and first.items
    second = who_of(w, changed=True)
    assert second is not None and not second.fresh and second.items == first.items
    assert second.line.endswith("(continued: no audit record of its own)")
    assert second.detail["continued"] is True and second.short == "bash by root"
    assert settle(w, second) == {"append": 1}  # not a new write, not unknown
    # long after the open: nobody is known to be writing
    w.last = dataclasses.replace(a, write=dataclasses.replace(a.write, time=time.time() - 60))
    third = who_of(w, changed=True)
    assert third is not None and third.short == "unknown writer" and not third.items


def test_the_same_files_again_record_no_second_writer(tmp_path: Path) -> None:
    """One write seen as two changes with the same content: one "written-by" event, not a
    second "unknown writer" (the VM's restores each left one)."""
    from ifguard.store.history import History
    from ifguard.system.clock import SystemClock
    from ifguard.system.root import Root
    from ifguard.watch.daemon import Watcher
    from ifguard.watch.storeguard import StoreGuard

    net = tmp_path / "root/etc/network"
    (net / "interfaces.d").mkdir(parents=True)
    (net / "interfaces").write_text("auto lo\niface lo inet loopback\n")
    path = tmp_path / "state/history.db"
    store = StoreGuard(lambda: History(path), SystemClock(), str(path))
    writers = Writers(lambda: FakeAudit(fixture("writers.log")), FakeProcs(), names, utmp=dict)
    watcher = Watcher(Root(tmp_path / "root"), tmp_path / "state", [], store, writers=writers)
    writers.open()
    run_once(writers)
    watcher.check(changed=True)
    writers.last = None  # long ago
    watcher.check(changed=True)
    (event,) = History(path).events(kind="written-by")
    assert event.detail["writer"] != "unknown writer"
    assert "unknown" not in writers.counts
