"""`ifguard lint` of a Proxmox-like host: the running and the pending (interfaces.new)
configurations each linted on its own, host NICs only for the host's own files, and the one
entry point (lint_host with the host's settings) used by apply's gate and the watcher."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ifguard.cli import main
from tests.apply.cli_helpers import apply_argv, reloads

RUNNING = """\
auto lo
iface lo inet loopback

auto enp1s0
iface enp1s0 inet manual

auto vmbr0
iface vmbr0 inet static
    address 192.0.2.10/24
    gateway 192.0.2.1
    bridge-ports enp1s0
    bridge-stp off
    bridge-fd 0

source /etc/network/interfaces.d/*
"""
JUNK = (
    "27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast"
    " master ovs-system state UP group default qlen 1000\n"
)
# interfaces.new as Proxmox's GUI writes it: the whole file again, with one change
PENDING_CHANGES = {
    "address": RUNNING.replace("192.0.2.10/24", "192.0.2.11/24"),
    "method": RUNNING.replace("iface enp1s0 inet manual", "iface enp1s0 inet dhcp"),
    "vlan": RUNNING + "\nauto vmbr0.20\niface vmbr0.20 inet static\n    address 198.51.100.2/24\n",
}


@pytest.fixture(autouse=True)
def _gc_back_on() -> Iterator[None]:
    yield
    gc.enable()  # `ifguard lint` switches the collector off for its short life


def host(tmp: Path, running: str, pending: str | None = None, **extra: str) -> Path:
    net = tmp / "etc" / "network"
    (net / "interfaces.d").mkdir(parents=True)
    (net / "interfaces").write_text(running)
    if pending is not None:
        (net / "interfaces.new").write_text(pending)
    for name, text in extra.items():
        (net / "interfaces.d" / name).write_text(text)
    return tmp


def lint(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict[str, object]]]:
    rc = main(["lint", "--format", "json", *argv])
    return rc, json.loads(capsys.readouterr().out)["diagnostics"]


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("change", sorted(PENDING_CHANGES))
def test_pending_file_differing_by_one_change_is_clean_and_fix_changes_nothing(
    change: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = host(tmp_path, RUNNING, PENDING_CHANGES[change])
    rc, diags = lint(capsys, "--root", str(root))
    assert rc == 0 and diags == []
    before = snapshot(root)
    assert main(["lint", "--root", str(root), "--fix"]) == 0
    capsys.readouterr()
    assert snapshot(root) == before


@pytest.mark.slow
def test_junk_in_interfaces_new_is_one_error_of_the_pending_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = host(tmp_path, RUNNING, PENDING_CHANGES["address"] + JUNK)
    rc, diags = lint(capsys, "--root", str(root))
    errors = [d for d in diags if d["severity"] == "error"]
    assert rc == 1 and len(errors) == 1 and len(diags) == 1
    (error,) = errors
    assert error["code"] == "IFG101" and error["config"] == "pending"
    assert str(error["path"]).endswith("etc/network/interfaces.new")
    assert error["line"] == PENDING_CHANGES["address"].count("\n") + 1
    # the text report says which configuration it is
    proc = subprocess.run(
        [sys.executable, "-m", "ifguard", "lint", "-q", "--root", str(root)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1 and not proc.stderr
    (line,) = proc.stdout.splitlines()
    assert "interfaces.new:" in line and "IFG101 error pending interfaces.new: " in line
    # the reload gates check what ifreload reads: the running configuration only
    assert main(["lint", "-q", "--root", str(root), "--configuration", "running"]) == 0
    assert main(["lint", "-q", "--root", str(root), "--configuration", "pending"]) == 1
    capsys.readouterr()


@pytest.mark.slow
def test_sarif_carries_the_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.lint.test_report import _validator

    root = host(tmp_path, RUNNING + JUNK, RUNNING + JUNK)
    assert main(["lint", "--format", "sarif", "--root", str(root)]) == 1
    log = json.loads(capsys.readouterr().out)
    assert not list(_validator().iter_errors(log))  # a property bag is valid SARIF
    results = log["runs"][0]["results"]
    assert sorted(r["properties"]["config"] for r in results) == ["pending", "running"]


def test_auto_lines_of_interfaces_new_are_not_repeats_of_interfaces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The seed bug: every `auto` of interfaces.new was "already marked auto" and --fix
    deleted them, so the next boot brought nothing up."""
    root = host(tmp_path, RUNNING, RUNNING)
    rc, diags = lint(capsys, "--root", str(root))
    assert rc == 0 and diags == []
    pending = root / "etc/network/interfaces.new"
    assert main(["lint", "--root", str(root), "--fix"]) == 0
    capsys.readouterr()
    assert pending.read_text() == RUNNING


def test_a_fix_never_crosses_into_a_file_the_other_configuration_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """interfaces.new repeats `auto eth9` of the shared interfaces.d/extra: the repeat is
    the pending configuration's alone, so the shared file is not rewritten for it."""
    extra = "auto eth9\niface eth9 inet manual\n"
    pending = "auto eth9\n" + RUNNING
    root = host(tmp_path, RUNNING, pending, extra=extra)
    rc, diags = lint(capsys, "--root", str(root))
    assert rc == 0
    (dup,) = [d for d in diags if d["code"] == "IFG305"]
    assert dup["config"] == "pending" and str(dup["path"]).endswith("interfaces.d/extra")
    fix = dup["fix"]
    assert isinstance(fix, dict) and fix["safe"] is False
    before = snapshot(root)
    main(["lint", "--root", str(root), "--fix"])
    capsys.readouterr()
    assert snapshot(root) == before


def test_a_shared_file_problem_is_reported_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = host(tmp_path, RUNNING, PENDING_CHANGES["vlan"], extra="iface x inet manual\n" + JUNK)
    rc, diags = lint(capsys, "--root", str(root))
    assert rc == 1
    assert [(d["code"], d["config"]) for d in diags] == [("IFG101", "running")]


@pytest.mark.parametrize(
    "stanzas",
    [
        "iface enp1s0 inet6 static\n    address 2001:db8::2/64\niface enp1s0 inet6 auto\n",
        "iface enp1s0 inet manual\niface enp1s0 inet static\n    address 198.51.100.3/24\n",
        "iface enp1s0 inet static\n    address 198.51.100.3/24\n"
        "iface enp1s0 inet static\n    address 198.51.100.4/24\n",
    ],
    ids=["static+auto-inet6", "manual+static", "static+static"],
)
def test_legal_repeated_stanzas_are_not_errors_nor_warnings(
    stanzas: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "interfaces"
    path.write_text("auto lo\niface lo inet loopback\n\nauto enp1s0\n" + stanzas)
    rc, diags = lint(capsys, str(path))
    assert rc == 0 and diags == []


def test_static_and_dhcp_on_one_interface_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "interfaces"
    path.write_text("iface eth0 inet static\n    address 192.0.2.2/24\niface eth0 inet dhcp\n")
    rc, diags = lint(capsys, str(path))
    assert rc == 0
    assert [(d["code"], d["severity"], d["line"]) for d in diags] == [("IFG302", "warning", 3)]


def test_a_file_given_by_path_gets_the_same_verdict_on_any_machine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No NIC inventory for a file given by path (CI, an Ansible controller), unless asked."""
    path = tmp_path / "interfaces"
    path.write_text(RUNNING.replace("enp1s0", "enp77s0f3"))
    rc, plain = lint(capsys, str(path))
    assert rc == 0 and plain == []
    rc, asked = lint(capsys, "--nics", "eno1,eno2", str(path))
    assert rc == 1  # the management bridge's only port is missing: an error (docs/boot.md)
    assert {d["code"] for d in asked} == {"IFG310"}
    assert all(d["severity"] == "error" for d in asked)
    assert "`eno1`, `eno2` appeared" in str(asked[0]["message"])
    rc, known = lint(capsys, "--nics", "enp77s0f3", str(path))
    assert rc == 0 and known == []


def test_host_nics_come_from_sys_class_net_under_the_root(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The classic outage: after an update enp1s0 is gone and enp2s0 appeared. enp1s0 is the
    management bridge's only port, so the path is cut at the next boot: errors."""
    root = host(tmp_path, RUNNING)
    for nic in ("lo", "enp2s0", "vmbr0", "tap100i0"):
        (root / "sys/class/net" / nic).mkdir(parents=True)
    rc, diags = lint(capsys, "--root", str(root))
    assert rc == 1
    assert [(d["code"], d["line"], d["severity"]) for d in diags] == [
        ("IFG310", 5, "error"),
        ("IFG310", 11, "error"),
    ]
    # the same file given by path: the tree's NICs are only a hint, never a cut path
    rc, hinted = lint(capsys, "--root", str(root), str(root / "etc/network/interfaces"))
    assert rc == 0
    assert [(d["code"], d["severity"]) for d in hinted] == [("IFG310", "warning")] * 2
    message = str(diags[0]["message"])
    assert "`enp1s0`" in message and "`enp2s0` appeared" in message
    # a file given by path is not the host's unless asked
    path = str(root / "etc/network/interfaces")
    assert main(["lint", "-q", path]) == 0
    assert capsys.readouterr().out == ""
    assert main(["lint", "-q", "--host-nics", "--root", str(root), path]) == 1  # asked: errors
    assert capsys.readouterr().out.count("IFG310 error") == 2


@pytest.mark.slow
def test_settings_of_the_host_are_honoured_by_the_apply_gate(tmp_path: Path) -> None:
    root = host(tmp_path / "root", RUNNING)
    candidate = tmp_path / "candidate"
    candidate.write_text(RUNNING + JUNK)
    refused = subprocess.run(apply_argv(root, candidate), capture_output=True, text=True)
    assert refused.returncode == 1 and "IFG101" in refused.stdout
    assert "ifguard: refused:" in refused.stderr and reloads(root) == 0
    (root / "etc/ifguard").mkdir()
    (root / "etc/ifguard/ifguard.toml").write_text('ignore = ["IFG101"]\n')
    proc = subprocess.run(
        apply_argv(root, candidate, "--auto-confirm", "--settle", "0"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "IFG101" not in proc.stdout and "refused" not in proc.stderr, proc
    assert reloads(root) == 1


@pytest.mark.slow
def test_settings_of_the_host_are_honoured_by_the_watcher(tmp_path: Path) -> None:
    from ifguard.system.root import Root
    from ifguard.watch.daemon import Watcher

    root = host(tmp_path / "root", RUNNING + JUNK, RUNNING + JUNK)
    watcher = Watcher(Root(root), tmp_path / "state", [], None)
    verdict, alerts = watcher.monitor.check()
    assert verdict.errors == 2 and [a.state for a in alerts] == ["firing"]
    (root / "etc/ifguard").mkdir()
    (root / "etc/ifguard/ifguard.toml").write_text('ignore = ["pasted-command-output"]\n')
    quiet = Watcher(Root(root), tmp_path / "state2", [], None)
    verdict, alerts = quiet.monitor.check()
    # a first check states the truth ("resolved"); the alerter sends it only to a receiver
    # that was last told "firing" (this watcher's state is new): nothing goes out
    assert verdict.errors == 0 and [a.state for a in alerts] == ["resolved"]
    assert [quiet.alerter.raise_(a) for a in alerts] == [False]
    # the running watcher re-reads them: the firing alert resolves
    verdict, alerts = watcher.monitor.check()
    assert verdict.errors == 0 and [a.state for a in alerts] == ["resolved"]


def test_watcher_alert_names_a_broken_pending_file(tmp_path: Path) -> None:
    from ifguard.system.root import Root
    from ifguard.watch.daemon import Watcher

    root = host(tmp_path / "root", RUNNING, RUNNING + JUNK)
    _, alerts = Watcher(Root(root), tmp_path / "state", [], None).monitor.check()
    (alert,) = alerts
    assert alert.title.startswith("pending interfaces.new has 1 error")
    assert "pending interfaces.new: " in alert.body


def test_a_note_says_when_the_pending_file_moves_the_management_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = host(tmp_path / "a", RUNNING, PENDING_CHANGES["address"])
    assert main(["lint", "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == (
        "note: pending interfaces.new changes the management path: vmbr0 192.0.2.10/24 via "
        "192.0.2.1 over enp1s0 -> vmbr0 192.0.2.11/24 via 192.0.2.1 over enp1s0 (Apply in the "
        "GUI or the next boot puts it in place; `ifguard apply` does it with a rollback)"
    )
    # a new VLAN off the management path: nothing to say
    root = host(tmp_path / "b", RUNNING, PENDING_CHANGES["vlan"])
    assert main(["lint", "--root", str(root)]) == 0
    assert "note:" not in capsys.readouterr().out


@pytest.mark.parametrize("kind", ["loop", "file", "absolute-link"])
def test_an_odd_sys_class_net_under_the_root_means_no_inventory(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = host(tmp_path, RUNNING)
    (root / "sys/class").mkdir(parents=True)
    net = root / "sys/class/net"
    if kind == "loop":
        net.symlink_to("net")
    elif kind == "file":
        net.write_text("not a directory")
    else:  # re-rooted inside the root, where it does not exist: never the machine's own
        net.symlink_to("/sys/class/net")
    rc, diags = lint(capsys, "--root", str(root))
    assert rc == 0 and diags == []


@pytest.mark.slow
def test_the_reload_gates_check_the_running_configuration_with_the_host_settings(
    tmp_path: Path,
) -> None:
    """The drop-in, apt hook and ifreload wrapper run `lint --gate --configuration running`:
    a broken pending interfaces.new does not block a reload of the running one; a broken
    running one does, unless the host's ifguard.toml ignores that rule."""

    def gate(root: Path) -> subprocess.CompletedProcess[str]:
        argv = ["lint", "--gate", "--quiet", "--configuration", "running", "--root", str(root)]
        return subprocess.run(
            [sys.executable, "-m", "ifguard", *argv], capture_output=True, text=True, cwd="/"
        )

    pending_broken = host(tmp_path / "a", RUNNING, RUNNING + JUNK)
    assert gate(pending_broken).returncode == 0
    running_broken = host(tmp_path / "b", RUNNING + JUNK, RUNNING)
    refused = gate(running_broken)
    assert refused.returncode == 1 and "IFG101" in refused.stdout + refused.stderr
    (running_broken / "etc/ifguard").mkdir()
    (running_broken / "etc/ifguard/ifguard.toml").write_text('ignore = ["IFG101"]\n')
    assert gate(running_broken).returncode == 0
