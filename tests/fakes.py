"""One fake per side-effect protocol, for every test that needs one.

| protocol (where)                                | fake            |
|-------------------------------------------------|-----------------|
| ``Clock`` (ifguard.system.clock)                | ``FakeClock``   |
| ``Runner`` (ifguard.system.runner)              | ``FakeRunner``  |
| ``Invoker`` (ifguard.install.ops)               | ``FakeInvoker`` |
| ``Net`` (ifguard.network.netprobe)              | ``FakeNet``     |
| ``NetlinkSource`` (ifguard.network.readers)     | ``BrokenNetlink`` |
| ``Spawner`` (ifguard.apply.guardian)            | ``FakeSpawner`` |
| ``Sender`` (ifguard.watch.queue)                | ``FakeSender``  |
| ``Sink`` (ifguard.watch.alerts)                 | ``FakeSink``    |
| ``Prober`` (ifguard.apply.probes)               | ``FakeProber``  |
| ``AuditSource`` (ifguard.system.auditnl)        | ``FakeAudit``   |
| ``Procs`` (ifguard.system.procview)             | ``FakeProcs``   |

Recorded netlink dumps replay through the real ``RecordedSource`` (tests/network/conftest.py).
Each is checked against its protocol by mypy --strict (the block at the end). End-to-end tests
use the real implementations instead.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ifguard.system.runner import Completed

if TYPE_CHECKING:
    from ifguard.apply.transaction import Env
    from ifguard.network.probe_report import ProbeReport

OK = Completed(0, "", "")
NOT_FOUND = Completed(127, "", "not found")


class FakeClock:
    """A clock that only moves when slept on (or by ``tick`` on each reading, for distinct
    timestamps); ``hooks`` run after each sleep (a test's way to make something happen
    'while' the code under test waits)."""

    def __init__(self, t: float = 1_000_000.0, *, tick: float = 0.0) -> None:
        self.t = t
        self.tick = tick
        self.hooks: list[Callable[[FakeClock], object]] = []
        self.slept = 0.0

    def now(self) -> float:
        self.t += self.tick
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += seconds
        self.slept += seconds
        for hook in list(self.hooks):
            hook(self)


class FakeRunner:
    """Records every argv; answers by program name (``argv[0]``): ``answer`` first (a function
    of the whole argv; None: no answer), then ``results``, then ``fail`` (exit 1 with
    ``message``), else ``default`` (success, no output)."""

    def __init__(
        self,
        results: dict[str, Completed] | None = None,
        *,
        fail: set[str] | None = None,
        default: Completed = OK,
        on_run: Callable[[list[str]], None] | None = None,
        message: str = "boom",
        answer: Callable[[list[str]], Completed | None] | None = None,
    ) -> None:
        self.answer = answer
        self.results = results or {}
        self.fail = fail if fail is not None else set()
        self.default = default
        self.on_run = on_run
        self.message = message
        self.calls: list[list[str]] = []

    def run(self, argv: Sequence[str], *, timeout: float | None = None) -> Completed:
        self.calls.append(list(argv))
        if self.on_run:
            self.on_run(list(argv))
        if self.answer is not None and (answered := self.answer(list(argv))) is not None:
            return answered
        if argv[0] in self.results:
            return self.results[argv[0]]
        if argv[0] in self.fail:
            return Completed(1, "", f"{argv[0]}: {self.message}")
        return self.default


class FakeInvoker:
    """Records every argv of a command run with the terminal's stdio; exits ``rc``."""

    def __init__(self, rc: int = 0) -> None:
        self.calls: list[list[str]] = []
        self.rc = rc

    def __call__(self, argv: Sequence[str]) -> int:
        self.calls.append(list(argv))
        return self.rc


class FakeNet:
    """Scripted ARP/ICMP/TCP answers. ``arp_ok``/``ping_ok`` answer every request unless
    ``answers`` has one for that request (``("arp", dev, ip)`` or ``("ping", host)``);
    ``tcp_error`` is the answer of every TCP connect (None: connected); with ``tcp_untried``
    every connect raises ``CannotProbe`` (a socket the sandbox refuses). Every call is recorded
    with the thread it came from; ``delay`` makes each answer take that long (real time)."""

    def __init__(
        self,
        arp: bool | None = True,
        ping: bool | None = True,
        tcp: str | None = None,
        *,
        delay: float = 0.0,
        answers: dict[tuple[str, ...], bool | None] | None = None,
        tcp_untried: str | None = None,
    ) -> None:
        self.arp_ok, self.ping_ok, self.tcp_error = arp, ping, tcp
        self.tcp_untried = tcp_untried
        self.delay = delay
        self.answers = answers or {}
        self.calls: list[tuple[str, ...]] = []
        self.threads: set[int] = set()

    @property
    def gateway_ok(self) -> bool | None:
        return self.arp_ok

    @gateway_ok.setter
    def gateway_ok(self, ok: bool | None) -> None:
        """The gateway answers (or not) both ARP and ping."""
        self.arp_ok = self.ping_ok = ok

    def _call(self, *what: str) -> None:
        self.calls.append(what)
        self.threads.add(threading.get_ident())
        if self.delay:
            time.sleep(self.delay)

    def arp(self, dev: str, ip: str, timeout: float) -> bool | None:
        self._call("arp", dev, ip)
        return self.answers.get(("arp", dev, ip), self.arp_ok)

    def ping(self, host: str, timeout: float) -> bool | None:
        self._call("ping", host)
        return self.answers.get(("ping", host), self.ping_ok)

    def tcp(self, host: str, port: int, timeout: float) -> str | None:
        self._call("tcp", host, str(port))
        if self.tcp_untried is not None:
            from ifguard.network.netprobe import CannotProbe

            raise CannotProbe(self.tcp_untried)
        return self.tcp_error


class BrokenNetlink:
    """A netlink source whose every dump fails (a socket the kernel refuses)."""

    def __init__(self, error: str = "netlink socket: permission denied") -> None:
        self.error = error

    def links(self) -> list[Any]:
        raise OSError(self.error)

    def addresses(self) -> list[Any]:
        raise OSError(self.error)

    def routes(self) -> list[Any]:
        raise OSError(self.error)


class FakeSpawner:
    """'Starts' the guardian in-process: records its argv and writes the guardian's pid into
    the transaction record, as the real guardian does when it starts. ``reports=False``: a
    guardian that is started but has not reported in yet (a loaded host)."""

    kind = "fake"

    def __init__(self, env: Env, pid: int | None = None, *, reports: bool = True) -> None:
        self.env = env
        self.pid = os.getpid() if pid is None else pid
        self.reports = reports
        self.argv: list[str] = []

    def spawn(self, argv: Sequence[str]) -> None:
        from ifguard.apply.transaction import update
        from ifguard.store import record as rec
        from ifguard.system.process import start_ticks

        self.argv = list(argv)
        if not self.reports:
            return
        # the transaction id: after --guardian in the real guardian's argv, else the last word
        words = list(argv)
        txn_id = words[words.index("--guardian") + 1] if "--guardian" in words else words[-1]
        update(
            self.env,
            txn_id,
            rec.OPEN_STATES,
            lambda t: replace(t, guardian_pid=self.pid, guardian_ticks=start_ticks(self.pid)),
        )


class FakeSender:
    """A notification service that is up (records what it was sent) or down (refuses)."""

    def __init__(self) -> None:
        self.up = True
        self.sent: list[tuple[str, str]] = []

    def send(self, title: str, body: str) -> bool:
        if self.up:
            self.sent.append((title, body))
        return self.up


class FakeSink:
    """Where the alerter puts what it sends: records (key, title)."""

    def __init__(self) -> None:
        self.got: list[tuple[str, str]] = []

    def put(self, key: str, title: str, body: str, state: str = "") -> None:
        self.got.append((key, title))


class FakeProber:
    """Health probes whose verdicts are scripted: booleans consumed in order, then green."""

    def __init__(self, *verdicts: bool) -> None:
        self.verdicts = list(verdicts)
        self.calls = 0

    def __call__(self) -> ProbeReport:
        from ifguard.network.probe_report import ProbeReport, ProbeResult, ProbeStatus

        self.calls += 1
        ok = self.verdicts.pop(0) if self.verdicts else True
        status = ProbeStatus.PASS if ok else ProbeStatus.FAIL
        return ProbeReport((ProbeResult("gateway answers", status, "" if ok else "timeout"),))


def audit_records(text: str) -> list[Any]:
    """Records from audit.log lines (``type=... msg=audit(...)``) or from the netlink
    capture of the VM lab (tests/fixtures/audit/*.jsonl: ``[type, text]`` a line, as the
    kernel sent them); ``#`` lines are comments."""
    import json

    from ifguard.system.audit import parse

    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("["):
            kind, body = json.loads(line)
            rec = parse(body, int(kind))
        else:
            rec = parse(line)
        if rec is not None:
            out.append(rec)
    return out


class FakeAudit:
    """Audit records as the kernel would send them: audit.log lines or the netlink capture's
    JSON lines, one batch per read."""

    def __init__(self, *batches: str) -> None:
        from ifguard.system.audit import Record

        self.batches: list[list[Record]] = [audit_records(text) for text in batches]
        self.closed = False

    def read(self, timeout: float | None) -> list[Any]:
        if self.batches:
            return self.batches.pop(0)
        if timeout:
            time.sleep(min(timeout, 0.01))
        return []

    def close(self) -> None:
        self.closed = True


class FakeProcs:
    """A process table that changes on a script: ``timeline`` is a list of
    {pid: (comm, ppid, start, exe, cmdline)} tables, one per ``stat`` call of the first pid
    asked (the writing process), the last one kept."""

    def __init__(self, *tables: dict[int, tuple[str, int, int, str, str]]) -> None:
        self.tables = list(tables) or [{}]
        self.now = self.tables[0]

    def _tick(self) -> None:
        if len(self.tables) > 1:
            self.tables.pop(0)
        self.now = self.tables[0]

    def stat(self, pid: int) -> Any:
        from ifguard.system.procview import Proc

        entry = self.now.get(pid)
        return None if entry is None else Proc(pid, entry[0], entry[1], entry[2])

    def exe(self, pid: int) -> str | None:
        entry = self.now.get(pid)
        self._tick()  # one look at the writer's program: time passes
        return None if entry is None else entry[3]

    def cmdline(self, pid: int) -> str | None:
        entry = self.now.get(pid)
        return None if entry is None else entry[4]


if TYPE_CHECKING:  # mypy --strict: every fake satisfies its protocol
    from ifguard.apply.guardian import Spawner
    from ifguard.apply.probes import Prober
    from ifguard.install.ops import Invoker
    from ifguard.network.netprobe import Net
    from ifguard.network.readers.netlink import NetlinkSource
    from ifguard.system.auditnl import AuditSource
    from ifguard.system.clock import Clock
    from ifguard.system.procview import Procs
    from ifguard.system.runner import Runner
    from ifguard.watch.alerts import Sink
    from ifguard.watch.queue import Sender

    def _protocols(env: Env) -> None:
        clock: Clock = FakeClock()
        runner: Runner = FakeRunner()
        invoker: Invoker = FakeInvoker()
        net: Net = FakeNet()
        netlink: NetlinkSource = BrokenNetlink()
        spawner: Spawner = FakeSpawner(env)
        sender: Sender = FakeSender()
        sink: Sink = FakeSink()
        prober: Prober = FakeProber()
        audit: AuditSource = FakeAudit()
        procs: Procs = FakeProcs()
        del clock, runner, invoker, net, netlink, spawner, sender, sink, prober, audit, procs
