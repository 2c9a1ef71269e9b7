"""Alerts: redaction, deduplication, on-disk queue with back-off."""

from __future__ import annotations

from pathlib import Path

from ifguard.watch.alerts import Alert, Alerter, Queue, redact


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeSender:
    def __init__(self) -> None:
        self.up = True
        self.sent: list[tuple[str, str]] = []

    def send(self, title: str, body: str) -> bool:
        if self.up:
            self.sent.append((title, body))
        return self.up


def test_redact_hides_credentials_paths_and_tokens() -> None:
    assert redact("tgram://123456:ABCDEF/987") == "tgram://***/***"
    assert redact("json://127.0.0.1:8080/hook") == "json://127.0.0.1:8080/***"
    assert redact("mailtos://user:secret@mail.example.org") == "mailtos://***@mail.example.org"
    assert "tok" not in redact("json://h:8080/hook?token=tok")
    assert "s3cr3t" not in redact("ntfy://admin:s3cr3t@ntfy.sh/topic")


def test_same_state_alerted_once_then_resolved_once(tmp_path: Path) -> None:
    clock, sender = Clock(), FakeSender()
    alerter = Alerter(Queue(tmp_path / "q.db", clock), "pve1")
    firing = Alert("config:/etc/network/interfaces", "firing", "broken", "interfaces:27: IFG101")
    assert alerter.raise_(firing)
    assert not alerter.raise_(firing)
    assert alerter.raise_(firing._replace(state="resolved", title="resolved"))
    assert alerter.queue.flush(sender) == 2
    assert [t for t, _ in sender.sent] == ["[pve1] broken", "[pve1] resolved"]


def test_queue_survives_restart_and_backs_off(tmp_path: Path) -> None:
    clock, sender = Clock(), FakeSender()
    sender.up = False
    Queue(tmp_path / "q.db", clock).put("k", "t", "b")
    queue = Queue(tmp_path / "q.db", clock, base_delay=1.0)
    assert queue.flush(sender) == 0
    assert queue.flush(sender) == 0  # not due yet: nothing attempted
    sender.up = True
    clock.now += 0.5
    assert queue.flush(sender) == 0
    clock.now += 0.6
    assert queue.flush(sender) == 1
    assert queue.pending() == 0


def test_firing_rate_limited_per_key(tmp_path: Path) -> None:
    clock = Clock()
    alerter = Alerter(Queue(tmp_path / "q.db", clock), "h", min_interval=60)
    a = Alert("link:enp1s0", "firing", "down", "")
    assert alerter.raise_(a)
    assert alerter.raise_(a._replace(state="resolved"))
    assert not alerter.raise_(a)  # flapping within a minute
    clock.now += 61
    assert alerter.raise_(a)
