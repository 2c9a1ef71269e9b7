"""Publishing: files written atomically and only on change, `agetty --reload` only when the
console text changes, one rate-limited `wall` on a transition to broken, and the watcher's
hook never raising."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ifguard.status.publish import ISSUE, SUMMARY, TEXT, Console, read_published
from ifguard.status.summary import Facts, Probe, render_text, summary_from_dict
from ifguard.system.root import Root
from tests.fakes import FakeClock, FakeRunner

OK_FACTS = Facts(probes=(Probe("gateway 192.0.2.1 reachable", "pass", "answers ARP"),))
BROKEN_FACTS = Facts(
    probes=(Probe("gateway 192.0.2.1 reachable", "fail", "no ARP or ICMP reply"),),
    known_good=3,
    version=4,
)
WORSE_FACTS = Facts(
    probes=(
        Probe("gateway 192.0.2.1 reachable", "fail", "no ARP or ICMP reply"),
        Probe("carrier enp1s0", "fail", "up, no carrier"),
    ),
    known_good=3,
    version=4,
)


def console(tmp_path: Path, **kw: object) -> tuple[Console, FakeRunner, FakeClock]:
    runner, clock = FakeRunner(), FakeClock(1_790_000_000.0)
    return Console(Root(tmp_path), runner, clock=clock, **kw), runner, clock  # type: ignore[arg-type]


def kinds(runner: FakeRunner) -> list[str]:
    return [call[0] for call in runner.calls]


@pytest.mark.slow
def test_files_and_reloads_follow_transitions_only(tmp_path: Path) -> None:
    c, runner, clock = console(tmp_path)
    c.publish(OK_FACTS)
    assert kinds(runner) == ["agetty"] and runner.calls[0] == ["agetty", "--reload"]
    summary_file = tmp_path / SUMMARY.lstrip("/")
    inode = summary_file.stat().st_ino
    for _ in range(3):  # the same state again: nothing rewritten, nobody bothered
        clock.t += 30
        c.publish(OK_FACTS)
    assert kinds(runner) == ["agetty"] and summary_file.stat().st_ino == inode
    clock.t += 30
    broken = c.publish(BROKEN_FACTS)
    assert kinds(runner) == ["agetty", "agetty", "wall"]
    assert runner.calls[-1] == ["wall", str(tmp_path / TEXT.lstrip("/"))]
    clock.t += 30
    c.publish(BROKEN_FACTS)
    c.publish(WORSE_FACTS)  # still broken, new reason: the console is redrawn, no second wall
    assert kinds(runner) == ["agetty", "agetty", "wall", "agetty"]
    clock.t += 30
    c.publish(OK_FACTS)
    assert kinds(runner)[-1] == "agetty"
    text = (tmp_path / TEXT.lstrip("/")).read_text()
    assert text.count("\n") == 1 and "network OK" in text
    assert (tmp_path / ISSUE.lstrip("/")).read_text() == text
    published = read_published(Root(tmp_path))
    assert published is not None and published["pid"] == os.getpid()
    assert summary_from_dict(published["summary"]).level == "ok"
    assert broken.since == 1_790_000_000.0 + 120


@pytest.mark.slow
def test_wall_is_rate_limited_and_can_be_turned_off(tmp_path: Path) -> None:
    c, runner, clock = console(tmp_path / "a", wall_every=3600)
    for facts in (BROKEN_FACTS, OK_FACTS, BROKEN_FACTS):  # a flap within the hour
        clock.t += 60
        c.publish(facts)
    assert kinds(runner).count("wall") == 1
    clock.t += 3600
    c.publish(OK_FACTS)
    c.publish(BROKEN_FACTS)
    assert kinds(runner).count("wall") == 2
    quiet, runner2, _ = console(tmp_path / "b", wall=False)
    quiet.publish(BROKEN_FACTS)
    assert "wall" not in kinds(runner2) and "agetty" in kinds(runner2)


def test_since_survives_a_restart_of_the_publisher(tmp_path: Path) -> None:
    first, _, clock = console(tmp_path)
    s1 = first.publish(BROKEN_FACTS)
    second, runner, later = console(tmp_path)
    later.t = clock.t + 500
    s2 = second.publish(BROKEN_FACTS)
    assert s2.since == s1.since and runner.calls == []  # same state: no reload, no wall


def test_issue_file_escapes_backslashes_for_agetty(tmp_path: Path) -> None:
    c, _, _ = console(tmp_path)
    s = c.publish(Facts(probes=(Probe("target x", "fail", r"C:\e"),)))
    issue = (tmp_path / ISSUE.lstrip("/")).read_text()
    assert r"C:\\e" in issue and r"C:\e" in render_text(s)


def test_the_watcher_hook_waits_for_the_runtime_and_never_raises(tmp_path: Path) -> None:
    c, runner, _ = console(tmp_path)
    assert c.update(None, None, None, None) is None
    (tmp_path / "run").write_text("not a directory")  # /run/ifguard cannot be created
    from ifguard.lint.engine import lint_host
    from ifguard.lint.settings import Settings

    (tmp_path / "etc/network").mkdir(parents=True)
    (tmp_path / "etc/network/interfaces").write_text("auto lo\niface lo inet loopback\n")
    result = lint_host(Root(tmp_path), Settings())
    assert c.update(result, None, None, None) is None  # runtime not checked yet
    c.expect_runtime = False
    assert c.update(result, None, None, None) is None  # the write fails: logged, not raised
    assert runner.calls == []


def test_damaged_summary_file_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / SUMMARY.lstrip("/")
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    c, _, _ = console(tmp_path)
    c.publish(OK_FACTS)
    assert json.loads(path.read_text())["summary"]["level"] == "ok"


def test_withdraw_leaves_nothing_stale_on_the_console(tmp_path: Path) -> None:
    c, runner, clock = console(tmp_path)
    first = c.publish(BROKEN_FACTS)
    c.withdraw()
    assert (
        not (tmp_path / ISSUE.lstrip("/")).exists() and not (tmp_path / TEXT.lstrip("/")).exists()
    )
    assert kinds(runner) == ["agetty", "wall", "agetty"]  # the gettys redraw without it
    c.withdraw()  # nothing shown any more: nobody is bothered
    assert kinds(runner) == ["agetty", "wall", "agetty"]
    clock.t += 600
    again = c.publish(BROKEN_FACTS)  # a restarted watcher: same state, same since, no wall
    assert again.since == first.since and kinds(runner) == ["agetty", "wall", "agetty", "agetty"]
