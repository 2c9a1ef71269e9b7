"""The audit record parser (system/audit.py) and the attribution text, on records captured from
the lab's Debian 12 guest (tests/fixtures/audit/*.log: ausearch --raw of the ifguard key and
of the logins, see docs/attribution.md)."""

from __future__ import annotations

import struct
from pathlib import Path

from ifguard.system.attribution import attribute, who_line
from ifguard.system.audit import (
    Assembler,
    Event,
    Login,
    Write,
    decode,
    login_of,
    parse,
    remember,
    write_of,
)
from ifguard.system.auditnl import split_messages
from ifguard.system.procview import parse_stat, utmp_hosts
from tests.fakes import audit_records

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "audit"


def events(name: str) -> list[Event]:
    asm = Assembler()
    out: list[Event] = []
    for rec in audit_records((FIXTURES / name).read_text()):
        out.extend(asm.add(rec))
    out.extend(asm.flush())
    return out


def writes(name: str) -> list[Write]:
    return [w for e in events(name) if (w := write_of(e)) is not None]


def test_decode_quoted_hex_and_plain_values() -> None:
    assert decode('"bash"') == "bash"
    assert decode("2D6261736800") == "-bash"
    assert decode("6970002D6F006C696E6B") == "ip -o link"
    assert decode("pts0") == "pts0"
    assert decode("1252", string=False) == "1252"  # a number is never hex
    assert decode("(none)") == "(none)"


def test_a_line_that_is_not_a_record_is_none() -> None:
    assert parse("") is None
    assert parse("hello world") is None
    assert parse("type=SYSCALL msg=audit(x:1): a=b") is None


def test_the_console_append_is_the_shells_child_opening_for_append() -> None:
    (w,) = writes("console-append.log")
    assert w.comm == "bash" and w.exe == "/usr/bin/bash"
    assert w.syscall == "openat" and w.verb == "appended to"
    assert w.auid == 0 and w.uid == 0 and w.ses is not None and w.tty == "ttyS0"
    assert "/etc/network/interfaces" in w.paths
    assert w.success and w.pid != w.ppid
    assert w.cwd == "/root"


def test_the_ssh_sudo_append_keeps_the_login_uid_and_its_session_address() -> None:
    evs = events("ssh-sudo-append.log")
    logins: dict[int, Login] = {}
    for e in evs:
        if (lg := login_of(e)) is not None:
            remember(logins, lg)
    (w,) = [w for e in evs if (w := write_of(e)) is not None]
    assert w.auid == 1000 and w.uid == 0 and w.tty is not None and w.tty.startswith("pts")
    assert w.ses in logins and logins[w.ses].addr == "203.0.113.50"
    a = attribute(
        w,
        program="ip -o link",
        program_exe="/usr/bin/ip",
        chain=("bash", "sudo", "bash", "sshd"),
        names={1000: "ops", 0: "root"},
        logins=logins,
        tty_hosts={},
    )
    text = a.text()
    assert text.startswith("/etc/network/interfaces appended to by `ip -o link` (pid ")
    assert "run by bash) <- bash <- sudo <- bash <- sshd" in text
    assert "login ops (uid 1000) as root" in text
    assert f"session {w.ses}, {w.tty}, from 203.0.113.50" in text
    assert a.short() == "ip by ops from 203.0.113.50"
    assert a.as_json()["program"] == "ip -o link"


def test_renames_and_overwrites_of_the_usual_writers() -> None:
    got = {(w.comm, w.verb) for w in writes("writers.log")}
    assert ("sed", "renamed over") in got
    assert ("cp", "overwritten") in got
    assert ("python3", "renamed over") in got
    assert ("mv", "renamed over") in got


def test_a_rename_names_the_file_it_replaced_and_where_it_came_from() -> None:
    renames = [w for w in writes("writers.log") if w.syscall.startswith("rename")]
    assert renames and all(w.target == "/etc/network/interfaces" for w in renames), renames
    sed = next(w for w in renames if w.comm == "sed")
    assert sed.source is not None and sed.source.startswith("/etc/network/sed")
    a = attribute(sed, program=None, program_exe=None, chain=(), names={}, logins={}, tty_hosts={})
    assert a.text().startswith(f"/etc/network/interfaces (from {sed.source}) renamed over by sed")


def test_a_relative_name_is_made_absolute_with_the_cwd() -> None:
    from ifguard.system.audit import absolute

    assert absolute("interfaces", "/etc/network") == "/etc/network/interfaces"
    assert absolute("../network/interfaces", "/etc/ifguard") == "/etc/network/interfaces"
    assert absolute("/etc/network/interfaces", "/root") == "/etc/network/interfaces"


def test_records_of_other_keys_are_not_writes() -> None:
    assert all(write_of(e, key="something-else") is None for e in events("writers.log"))


def test_the_address_falls_back_to_utmp_for_the_terminal() -> None:
    (w,) = writes("ssh-sudo-append.log")
    a = attribute(
        w,
        program=None,
        program_exe=None,
        chain=(),
        names={},
        logins={},
        tty_hosts={"pts/" + (w.tty or "")[3:]: "198.51.100.7"},
    )
    assert "from 198.51.100.7" in a.text()
    assert f"{w.comm} (pid {w.pid}, {w.exe})" in a.text()  # the program was not seen


def test_a_proxmox_api_worker_is_said_as_such() -> None:
    (w,) = writes("console-append.log")
    a = attribute(
        w,
        program=None,
        program_exe=None,
        chain=("pvedaemon worke", "pvedaemon"),
        names={},
        logins={},
        tty_hosts={},
    )
    assert "via the Proxmox API" in a.text()


def test_who_line_without_records() -> None:
    assert who_line([], True) == "unknown writer"
    assert "audit unavailable" in who_line([], False)


def test_netlink_datagrams_split_into_records() -> None:
    text = b'audit(1764683123.456:812): arch=c000003e syscall=257 key="ifguard"'
    msg = struct.pack("=IHHII", 16 + len(text), 1300, 0, 0, 0) + text
    pad = b"\0" * ((4 - len(msg) % 4) % 4)
    eoe = b"audit(1764683123.456:812): "
    msg2 = struct.pack("=IHHII", 16 + len(eoe), 1320, 0, 0, 0) + eoe
    parsed = [parse(t, k) for k, t in split_messages(msg + pad + msg2)]
    assert [r.type for r in parsed if r] == ["SYSCALL", "EOE"]
    asm = Assembler()
    done = [e for r in parsed if r for e in asm.add(r)]
    assert len(done) == 1 and write_of(done[0]) is not None


def test_proc_stat_names_and_utmp_hosts() -> None:
    # fields after the name: state ppid pgrp session tty tpgid flags, 12 counters, start
    stat = b"812 (ip (x) y) R 800 812 700 34816 812 4194304 " + b"0 " * 12 + b"4242 0 0"
    p = parse_stat(812, stat)
    assert p is not None and p.comm == "ip (x) y" and p.ppid == 800 and p.start == 4242
    assert parse_stat(1, b"1 (z) Z 0 " + b"0 " * 20) is None
    rec = struct.pack("<hi32s4s32s256s", 7, 900, b"pts/0", b"ts/0", b"ops", b"203.0.113.50")
    rec += b"\0" * (384 - len(rec))
    assert utmp_hosts(rec) == {"pts/0": "203.0.113.50"}


def test_a_maintainer_scripts_chain_names_dpkg_and_apt() -> None:
    from ifguard.system.procview import chain
    from tests.fakes import FakeProcs

    procs = FakeProcs(
        {
            900: ("dpkg", 880, 1, "/usr/bin/dpkg", ""),
            880: ("apt-get", 700, 1, "/usr/bin/apt-get", ""),
            700: ("bash", 600, 1, "/usr/bin/bash", ""),
        }
    )
    assert chain(procs, 900) == ("dpkg", "apt-get")
    procs = FakeProcs(
        {900: ("dpkg", 700, 1, "", ""), 700: ("bash", 600, 1, "", ""), 600: ("sshd", 1, 1, "", "")}
    )
    assert chain(procs, 900) == ("dpkg", "bash", "sshd")


def test_the_guests_records_read_alike_from_the_socket_and_from_audit_log() -> None:
    """The captures (*.jsonl: the netlink messages; *.log: auditd's ENRICHED lines of the
    same events) give the same writes."""
    for name in ("console-append", "ssh-sudo-append", "writers"):
        assert writes(f"{name}.jsonl") == writes(f"{name}.log"), name


def test_the_guests_ssh_sudo_session_as_the_kernel_recorded_it() -> None:
    evs = events("ssh-sudo-append.jsonl")
    logins: dict[int, Login] = {}
    for e in evs:
        if (lg := login_of(e)) is not None:
            remember(logins, lg)
    (w,) = [w for e in evs if (w := write_of(e)) is not None]
    assert (w.comm, w.exe, w.verb) == ("bash", "/usr/bin/bash", "appended to")
    assert (w.auid, w.uid, w.ses, w.tty) == (1000, 0, 2, "pts1")
    assert w.proctitle == "-bash" and w.cwd == "/root"
    assert logins[2].addr == "203.0.113.50"  # sudo's own session record has addr=?


def test_the_guests_usual_writers_as_the_kernel_recorded_them() -> None:
    got = {w.comm: w for w in writes("writers.jsonl")}
    sed, mv, post, cp = got["sed"], got["mv"], got["netfix.postinst"], got["cp"]
    assert (sed.syscall, sed.target) == ("rename", "/etc/network/interfaces")
    assert sed.source is not None and sed.source.startswith("/etc/network/sed")
    assert (mv.syscall, mv.target, mv.source) == (
        "renameat",
        "/etc/network/interfaces",
        "/etc/network/interfaces.new",
    )
    assert got["python3"].source == "/etc/network/.interfaces.swp"
    assert post.verb == "appended to" and post.exe == "/usr/bin/dash" and post.auid is None
    assert cp.target.startswith("/etc/network/interfaces")
    assert all(w.auid is None and w.ses is None for w in got.values())  # a service


def test_attribute_changes_of_the_settings_are_named() -> None:
    calls = [(w.syscall, w.verb) for w in writes("settings-sed.jsonl")]
    assert ("fchown", "written") in calls and ("fsetxattr", "written") in calls, calls
    (rename,) = [w for w in writes("settings-sed.jsonl") if w.syscall == "rename"]
    assert rename.target == "/etc/ifguard/ifguard.toml"
