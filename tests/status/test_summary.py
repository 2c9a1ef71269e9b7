"""The summary builder: levels, the lines a person at the console reads, the 80x25 budget,
hostile text, and what agetty really shows of the issue file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from ifguard.lint.engine import lint_host
from ifguard.lint.settings import Settings
from ifguard.status import collect
from ifguard.status.summary import (
    BROKEN,
    DEGRADED,
    MAX_LINES,
    OK,
    WIDTH,
    BondState,
    ConfigVerdict,
    Facts,
    Finding,
    Probe,
    build,
    render_issue,
    render_text,
    summary_from_dict,
)
from ifguard.system.root import Root
from tests.conftest import REPO
from tests.status.agetty import agetty_shows

CLEAN = (REPO / "examples" / "proxmox-ovs.interfaces").read_text()
JUNK = (
    "27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast "
    "master ovs-system state UP group default qlen 1000\n"
)
T0 = 1_790_000_000.0
HEALTHY = (
    Probe("bond bond0 members", "pass", "up: enp1s0 enx60a4b758ba5b; LACP negotiated"),
    Probe("gateway 192.0.2.1 reachable", "pass", "answers ARP"),
)
BOTH_UP = (BondState("bond0", ("enp1s0", "enx60a4b758ba5b"), ()),)


def host(tmp_path: Path, text: str, pending: str | None = None) -> Root:
    (tmp_path / "etc/network").mkdir(parents=True)
    (tmp_path / "etc/network/interfaces").write_text(text)
    if pending is not None:
        (tmp_path / "etc/network/interfaces.new").write_text(pending)
    return Root(tmp_path)


def config_of(root: Root) -> tuple[ConfigVerdict, ...]:
    return collect.config_verdicts(lint_host(root, Settings()), root)


def check_budget(text: str) -> None:
    lines = text.splitlines()
    assert len(lines) <= MAX_LINES, text
    assert all(len(line) <= WIDTH for line in lines), text
    assert all(" " <= c <= "~" for line in lines for c in line), text


def test_healthy_is_one_line(tmp_path: Path) -> None:
    facts = Facts(config=config_of(host(tmp_path, CLEAN)), probes=HEALTHY, bonds=BOTH_UP)
    s = build(facts, T0)
    assert s.level == OK and not s.problems and not s.fix
    text = render_text(s)
    assert text.count("\n") == 1 and text.startswith("ifguard: network OK since ")
    assert "links and gateway up" in text


def test_junk_line_names_the_line_and_the_restore_command(tmp_path: Path) -> None:
    config = config_of(host(tmp_path, CLEAN + JUNK))
    facts = Facts(config=config, probes=HEALTHY, bonds=BOTH_UP, version=7, known_good=3)
    s = build(facts, T0)
    assert s.level == BROKEN  # the next reload or boot loads this file
    text = render_text(s)
    check_budget(text)
    last = len(CLEAN.splitlines()) + 1
    assert f"/etc/network/interfaces:{last}: IFG101 line looks like output of" in text
    assert "> 27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP>" in text
    assert "    ifguard restore 3\n" in text
    # IFG101's fix is safe; --fix rewrites the file in place, so the advice reloads that file
    # (`ifguard apply` alone takes interfaces.new: after --fix it had nothing to apply)
    assert "ifguard lint --fix && ifguard apply /etc/network/interfaces" in text


def test_pending_interfaces_new_is_degraded_and_says_so(tmp_path: Path) -> None:
    config = config_of(host(tmp_path, CLEAN, pending=CLEAN + JUNK))
    assert [c.which for c in config] == ["running", "pending"]
    s = build(Facts(config=config, probes=HEALTHY, bonds=BOTH_UP), T0)
    assert s.level == DEGRADED
    assert "interfaces.new" in s.problems[0] and "not loaded yet" in s.problems[0]


def test_member_down_says_which_and_that_redundancy_is_lost() -> None:
    probes = (Probe("bond bond0 members", "warn", "up: enx60a4b758ba5b; down: enp1s0"),)
    bonds = (BondState("bond0", ("enx60a4b758ba5b",), ("enp1s0",)),)
    s = build(Facts(probes=probes, bonds=bonds, known_good=3, version=3), T0)
    assert s.level == DEGRADED
    assert s.problems == (
        "bond bond0: member enp1s0 down, redundancy lost (only enx60a4b758ba5b up)",
    )  # the probe's own warning is not repeated
    assert not any("restore" in line for line in s.fix)  # the files are not the problem


def test_all_members_down_is_broken_and_points_at_the_cables() -> None:
    probes = (
        Probe("bond bond0 members", "fail", "no member up"),
        Probe("gateway 192.0.2.1 reachable", "fail", "no ARP or ICMP reply"),
    )
    bonds = (BondState("bond0", (), ("enp1s0", "enx60a4b758ba5b")),)
    s = build(Facts(probes=probes, bonds=bonds, known_good=3, version=3), T0)
    assert s.level == BROKEN
    assert "FAIL gateway 192.0.2.1 reachable: no ARP or ICMP reply" in s.problems
    assert "look at cables" in s.fix[0]


def test_a_probe_that_cannot_run_is_cannot_check_never_broken() -> None:
    """A probe error (a sandbox refusing its socket, no ping) is no evidence the network is
    broken: degraded, said as CANNOT CHECK, and no restore is suggested."""
    probes = (
        *HEALTHY[:-1],
        Probe("gateway 192.0.2.1 reachable", "error", "could not send ARP or ICMP"),
    )
    s = build(Facts(probes=probes, known_good=3, version=4), T0)
    assert s.level == DEGRADED and not s.broken
    assert "CANNOT CHECK gateway 192.0.2.1 reachable: could not send ARP or ICMP" in s.problems
    assert not any("restore" in line for line in s.fix)


def test_what_ifguard_did_is_listed() -> None:
    probes = (Probe("gateway 192.0.2.1 reachable", "fail", "no ARP or ICMP reply"),)
    facts = Facts(
        probes=probes, version=9, known_good=4, heal_attempts=2, heal_max=3, rollbacks=(T0,)
    )
    text = render_text(build(facts, T0))
    assert "ifguard did: self-heal: 2 of 3 restore attempt(s)" in text
    assert "ifguard did: rolled back 1 change(s), last at " in text
    assert "ifguard restore 4" in text


def test_since_is_kept_while_the_level_is_and_reset_when_it_changes() -> None:
    broken = Facts(probes=(Probe("carrier eth0", "fail", "no carrier"),))
    first = build(broken, T0)
    again = build(broken, T0 + 60, (first.level, first.since))
    assert again.since == T0 and render_text(again) == render_text(first)
    fixed = build(Facts(probes=HEALTHY), T0 + 120, (again.level, again.since))
    assert fixed.level == OK and fixed.since == T0 + 120


def test_many_problems_and_hostile_text_fit_the_console() -> None:
    evil = "\x1b[2J\x1b]0;owned\x07 back\\slash \u00e9\u4e2d \udcff" * 5
    facts = Facts(
        config=(
            ConfigVerdict(
                "running", 40, 0, Finding("/etc/network/interfaces", 3, "IFG101", evil, evil)
            ),
        ),
        probes=tuple(Probe(f"target 10.0.0.{i}", "fail", evil) for i in range(30)),
        drift=tuple(f"eth{i}: {evil}" for i in range(10)),
        known_good=2,
        version=5,
    )
    text = render_text(build(facts, T0))
    check_budget(text)
    assert "\x1b" not in text and "ifguard restore 2" in text
    assert "... and more: ifguard status" in text
    full = render_text(build(facts, T0), full=True)
    assert full.count("target 10.0.0.") == 30  # `ifguard status` shows everything


def test_round_trip_through_json() -> None:
    facts = Facts(
        config=(ConfigVerdict("running", 1, 0, Finding("/x", 1, "IFG101", "m", "t", True)),),
        probes=HEALTHY,
        bonds=BOTH_UP,
        drift=("a: b",),
        known_good=1,
        known_good_since=T0,
        rollbacks=(T0,),
    )
    s = build(facts, T0)
    import json

    assert summary_from_dict(json.loads(json.dumps(s.to_dict()))) == s


@pytest.mark.parametrize("level", [OK, BROKEN])
def test_agetty_shows_exactly_the_text(tmp_path: Path, level: str) -> None:
    """The real agetty (--show-issue, in a pseudo-terminal) expands the issue file: backslash
    escapes must come out as typed, nothing else may be interpreted."""
    probes = HEALTHY if level == OK else (Probe("target x", "fail", r"C:\new \e \\ \n \l \4 end"),)
    s = build(Facts(probes=probes), T0)
    issue = tmp_path / "ifguard.issue"
    issue.write_text(render_issue(s))
    shown = agetty_shows(issue)
    expected = render_text(s)
    assert shown.strip("\n") == expected.strip("\n")


GATEWAY_FAILS = (Probe("gateway 192.0.2.1 reachable", "fail", "no ARP or ICMP reply"),)
CUT = "`vlan1` has `ovs_type OVSIntPort` but no `ovs_bridge`: ifupdown2 adds a port only with both"


def test_files_that_do_not_boot_the_management_path_are_not_the_cables() -> None:
    """Issue 8 after the reboot: the version was recorded known-good, the int-port is gone."""
    s = build(Facts(probes=GATEWAY_FAILS, known_good=3, version=3, boot=(CUT,)), T0)
    assert s.level == BROKEN
    assert "next boot: management path down: `vlan1` has `ovs_type OVSIntPort`" in s.problems[0]
    assert s.fix[0] == "the files do not bring the management path up at boot: fix them"
    assert not any("cables" in line or "restore 3" in line for line in s.fix)
    calm = build(Facts(probes=(), boot=(CUT,)), T0)  # works now; the next boot would not
    assert calm.level == BROKEN and "fix them" in calm.fix[0]


def test_files_written_since_boot_are_told_from_the_cables() -> None:
    changed = build(
        Facts(probes=GATEWAY_FAILS, known_good=3, version=3, changed_since_boot=True), T0
    )
    assert changed.fix[0] == "the files differ from what this host booted (written since):"
    plain = build(Facts(probes=GATEWAY_FAILS, known_good=3, version=3), T0)
    assert "look at cables" in plain.fix[0]


def test_boot_facts_survive_the_json_round_trip() -> None:
    from ifguard.status.summary import summary_from_dict

    s = build(Facts(probes=GATEWAY_FAILS, boot=(CUT,), changed_since_boot=True), T0)
    back = summary_from_dict(s.to_dict())
    assert back == s and back.facts.boot == (CUT,) and back.facts.changed_since_boot


def test_collect_reads_the_boot_of_the_running_configuration(tmp_path: Path) -> None:
    from ifguard.config.source import load_text
    from ifguard.lint.engine import HostResult, lint_loaded
    from ifguard.lint.settings import Settings
    from ifguard.status.collect import boot_lines, changed_since_boot
    from ifguard.system.root import Root

    text = "auto lo\niface lo inet loopback\niface eno1 inet static\n    address 192.0.2.2/24\n"
    text += "    gateway 192.0.2.1\n"
    result = HostResult((lint_loaded(load_text(text, "interfaces"), Settings()),))
    assert boot_lines(result, Root(tmp_path)) == (
        "nothing brings `eno1` up at boot: no `auto eno1`",
    )
    assert boot_lines(None, Root(tmp_path)) == ()
    assert not changed_since_boot(result, Root(tmp_path))  # another root: never judged


def test_every_advised_command_parses_as_printed(tmp_path: Path) -> None:
    """The fix lines, followed literally: each `ifguard ...` command in them is a valid
    command line as printed (no option or subcommand that does not exist)."""
    import re
    import shlex

    from ifguard.cli import build_parser

    config = config_of(host(tmp_path, CLEAN + JUNK))
    summaries = [
        build(Facts(config=config, probes=HEALTHY, bonds=BOTH_UP, version=7, known_good=3), T0),
        build(Facts(probes=GATEWAY_FAILS, known_good=3, version=3, boot=(CUT,)), T0),
        build(RESTORED, T0),
    ]
    commands = [
        c.strip(" ()")
        for s in summaries
        for line in s.fix
        for c in re.split(r"&&|;|, then|\|", line)
        if c.strip(" ()").startswith("ifguard ")
    ]
    assert len(commands) >= 5, commands
    for command in commands:
        argv = shlex.split(command)[1:]
        args = build_parser(argv[0]).parse_args(argv)
        assert args.command == argv[0], command


RESTORED = Facts(
    probes=HEALTHY,
    bonds=BOTH_UP,
    version=5,
    known_good=5,
    boot_cut=7,
    boot_file="/etc/network/interfaces (moved in from interfaces.new at boot)",
    boot_restored=5,
    boot_restored_at=T0,
)


def test_a_restore_at_boot_is_told_on_the_ok_console() -> None:
    """The network is OK again because the boot check undid a change: the console says
    which file, which version it restored and the command to see the change."""
    s = build(RESTORED, T0)
    assert s.level == "ok"
    text = render_text(s)
    flat = " ".join(text.split())
    assert text.startswith("ifguard: network OK since ")
    assert (
        "ifguard did: at boot (" in flat
        and "/etc/network/interfaces (moved in from interfaces.new at boot) (version 7) left "
        "the host cut off: RESTORED the known-good version 5"
        in flat
    ), text
    assert "ifguard diff 5 7" in flat and "ifguard apply FILE" in flat, text
    check_budget(text)
    assert summary_from_dict(s.to_dict()) == s


def test_without_a_restore_at_boot_ok_stays_one_line() -> None:
    text = render_text(build(replace(RESTORED, boot_restored=None, boot_cut=None), T0))
    assert text.count("\n") == 1


def test_collect_tells_the_restore_at_boot_while_its_version_is_on_disk(tmp_path: Path) -> None:
    from ifguard.store.history import History

    h = History(tmp_path / "history.db")
    good = h.record_version({"/etc/network/interfaces": b"a"}, source="watch", errors=0, warnings=0)
    cut = h.record_version({"/etc/network/interfaces": b"b"}, source="boot", errors=0, warnings=0)
    detail = {"file": "/etc/network/interfaces", "from_pending": False, "booted": cut}
    h.record_event("boot-restored", {**detail, "restored": good, "kept": True}, version_id=cut)
    now = __import__("time").time()
    shown = collect.facts(None, Root(tmp_path), history=h, version=good, now=now)
    assert (shown.boot_restored, shown.boot_cut) == (good, cut)
    assert shown.boot_file == "/etc/network/interfaces"
    # the admin has moved on (another version on disk), or it is old news: not shown
    assert collect.facts(None, Root(tmp_path), history=h, version=cut, now=now).boot_cut is None
    later = collect.facts(None, Root(tmp_path), history=h, version=good, now=now + 2 * 86400)
    assert later.boot_restored is None
