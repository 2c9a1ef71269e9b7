"""``ifguard doctor`` on a --root tree built like a host: healthy, gates off, and a watcher
whose sandbox keeps it from probing. systemd is the FakeRunner; nothing leaves the tree."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from ifguard import install
from ifguard.cli import main
from ifguard.doctor import FAIL, OK, UNKNOWN, WARN, Host, Report, diagnose, render_text
from ifguard.install import files
from ifguard.status.summary import Facts, Probe, build
from ifguard.store.history import History
from ifguard.system.root import Root
from ifguard.system.runner import Completed
from tests.fakes import FakeClock, FakeRunner, FakeSender

EXE = "/usr/bin/ifguard"
HEALTHY_WATCH = {
    "LoadState": "loaded",
    "ActiveState": "active",
    "SubState": "running",
    "MainPID": "4242",
    "PrivateNetwork": "no",
    "RestrictAddressFamilies": "AF_UNIX AF_INET AF_INET6 AF_NETLINK AF_PACKET",
    "CapabilityBoundingSet": "cap_net_admin cap_net_raw",
    "IPAddressDeny": "",
}


def _write(root: Path, system_path: str, data: str | bytes, mode: int = 0o644) -> Path:
    path = root / system_path.lstrip("/")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    path.chmod(mode)
    return path


def _summary(probes: tuple[Probe, ...], now: float) -> str:
    summary = build(Facts(probes=probes, checked_by="watch"), now)
    return json.dumps({"summary": summary.to_dict(), "published": now, "pid": 4242})


def healthy_tree(tmp_path: Path, now: float) -> Path:
    root = tmp_path / "host"
    r = Root(root)
    _write(root, EXE, "#!/bin/sh\n", 0o755)
    _write(root, "/usr/bin/ping", "", 0o755)
    _write(root, "/usr/bin/pveversion", "", 0o755)
    _write(root, files.DROPIN, f"[Service]\nExecReload=\nExecReload={EXE} lint --gate -q\n")
    _write(root, files.APT_HOOK, install.APT_HOOK.format(ifguard=EXE))
    _write(root, files.IFRELOAD_ORIG, "#!/bin/sh\n", 0o755)
    _write(root, files.IFRELOAD, files.render_wrapper(r, EXE), 0o755)
    _write(
        root,
        "/etc/ifguard/ifguard.toml",
        '[watch]\nnotify = ["ntfys://ntfy.example/t0k3n"]\n',
        0o600,
    )
    _write(root, "/run/ifguard/summary.json", _summary((Probe("gateway answers", "pass"),), now))
    prom = _write(root, f"{files.TEXTFILE_DIR}/ifguard.prom", "ifguard_alert_queue_depth 0.0\n")
    os.utime(prom, (now - 30, now - 30))
    state = root / "var/lib/ifguard"
    state.mkdir(mode=0o700, parents=True)
    history = History(state / "history.db", FakeClock(now))
    history.mark_known_good(
        history.record_version(
            {"/etc/network/interfaces": b"auto lo\n"}, source="watch", errors=0, warnings=0
        )
    )
    return root


def systemd(watch: dict[str, str]) -> FakeRunner:
    def answer(argv: list[str]) -> Completed | None:
        if argv[:2] != ["systemctl", "show"]:
            return None
        if argv[2] == files.NETWORKING_UNIT:
            return Completed(0, f"DropInPaths={files.DROPIN}\nNeedDaemonReload=no\n", "")
        return Completed(0, "".join(f"{k}={v}\n" for k, v in watch.items()), "")

    return FakeRunner(answer=answer)


def doctor(root: Path, now: float, watch: dict[str, str] | None = None, **kw: object) -> Report:
    host = Host(
        root=Root(root),
        runner=systemd(watch or HEALTHY_WATCH),
        clock=FakeClock(now),
        state_dir=root / "var/lib/ifguard",
        systemd=True,
        owner=os.getuid(),
        **kw,  # type: ignore[arg-type]
    )
    return diagnose(host)


def status_of(report: Report) -> dict[str, str]:
    return {f"{c.area}: {c.name}": c.status for c in report.checks}


@pytest.fixture
def now() -> float:
    return time.time()


def test_healthy_host_is_all_ok(tmp_path: Path, now: float) -> None:
    report = doctor(healthy_tree(tmp_path, now), now)
    print(render_text(report))
    assert set(status_of(report).values()) == {OK}, render_text(report)
    assert report.exit_code == 0
    text = render_text(report)
    assert "ifreload -a, the GUI's Apply and ifupdown2's postinst reload lint first" in text
    assert text.endswith("doctor: all good\n")


def test_gates_off(tmp_path: Path, now: float) -> None:
    root = healthy_tree(tmp_path, now)
    for p in (files.DROPIN, files.APT_HOOK, files.IFRELOAD):
        (root / p.lstrip("/")).unlink()
    (root / files.IFRELOAD_ORIG.lstrip("/")).rename(root / files.IFRELOAD.lstrip("/"))
    report = doctor(root, now)
    print(render_text(report))
    got = status_of(report)
    assert got["gates: networking drop-in"] == FAIL
    assert got["gates: apt hook"] == FAIL
    assert got["gates: ifreload wrapper (Proxmox GUI Apply)"] == FAIL
    assert report.problems == 3 and report.exit_code == 1
    fixes = {c.fix for c in report.checks if c.status == FAIL}
    assert fixes == {"ifguard install --gates", "ifguard install --gates --divert-ifreload"}
    assert (
        "the GUI's Apply Configuration, ifupdown2's postinst and ifreload -a reload unchecked"
        in render_text(report)
    )


def test_sandboxed_watcher_that_cannot_probe(tmp_path: Path, now: float) -> None:
    root = healthy_tree(tmp_path, now)
    probe = Probe(
        "gateway 192.0.2.1 answers", "error", "could not try: Address family not supported"
    )
    _write(root, "/run/ifguard/summary.json", _summary((probe,), now))
    watch = dict(HEALTHY_WATCH, RestrictAddressFamilies="AF_UNIX AF_NETLINK")
    report = doctor(root, now, watch)
    print(render_text(report))
    got = status_of(report)
    assert got["watcher: service"] == OK
    assert got["watcher: sandbox"] == FAIL
    assert got["watcher: probes"] == FAIL
    text = render_text(report)
    assert "RestrictAddressFamilies= refuses AF_INET" in text
    assert "CANNOT CHECK gateway 192.0.2.1 answers" in text
    assert "fix: systemctl edit ifguard-watch.service: RestrictAddressFamilies=AF_INET" in text
    assert report.exit_code == 1


def test_a_watcher_publishing_cannot_check_is_a_problem_whatever_the_sandbox(
    tmp_path: Path, now: float
) -> None:
    root = healthy_tree(tmp_path, now)
    probe = Probe("gateway answers", "error", "no ping")
    _write(root, "/run/ifguard/summary.json", _summary((probe,), now))
    report = doctor(root, now)
    assert status_of(report)["watcher: probes"] == FAIL
    assert status_of(report)["watcher: sandbox"] == OK


def test_without_af_packet_arp_falls_back_to_ping_a_warning(tmp_path: Path, now: float) -> None:
    watch = dict(HEALTHY_WATCH, RestrictAddressFamilies="AF_UNIX AF_INET AF_INET6 AF_NETLINK")
    report = doctor(healthy_tree(tmp_path, now), now, watch)
    check = next(c for c in report.checks if c.name == "sandbox")
    assert check.status == WARN and "ping instead of ARP" in check.detail
    assert check.fix == "systemctl edit ifguard-watch.service: RestrictAddressFamilies=AF_PACKET"
    assert report.exit_code == 0


def test_stopped_watcher_and_stale_metrics(tmp_path: Path, now: float) -> None:
    root = healthy_tree(tmp_path, now)
    os.utime(root / files.TEXTFILE_DIR.lstrip("/") / "ifguard.prom", (now - 3600, now - 3600))
    watch = dict(HEALTHY_WATCH, ActiveState="failed", SubState="failed", MainPID="0")
    got = status_of(doctor(root, now, watch))
    assert got["watcher: service"] == FAIL
    assert got["metrics: node_exporter textfile"] == FAIL


def test_no_systemd_cannot_check_but_is_not_a_problem(tmp_path: Path, now: float) -> None:
    root = healthy_tree(tmp_path, now)
    host = Host(
        Root(root),
        FakeRunner(),
        FakeClock(now),
        root / "var/lib/ifguard",
        systemd=False,
        owner=os.getuid(),
    )
    report = diagnose(host)
    got = status_of(report)
    assert got["watcher: service"] == UNKNOWN and got["watcher: sandbox"] == UNKNOWN
    assert report.exit_code == 0
    assert host.runner.calls == []  # type: ignore[attr-defined]


def test_send_test_only_when_asked(tmp_path: Path, now: float) -> None:
    root = healthy_tree(tmp_path, now)
    up, down = FakeSender(), FakeSender()
    down.up = False
    assert status_of(doctor(root, now))["alerts: notify"] == OK  # nothing sent
    report = doctor(root, now, sender=lambda url: up)
    assert up.sent and "test notification" in up.sent[0][0]
    assert status_of(report)["alerts: notify[0] ntfys://***"] == OK
    report = doctor(root, now, sender=lambda url: down)
    assert status_of(report)["alerts: notify[0] ntfys://***"] == FAIL
    assert "t0k3n" not in render_text(report)


def test_alerts_settings_problems(tmp_path: Path, now: float) -> None:
    root = healthy_tree(tmp_path, now)
    settings = root / "etc/ifguard/ifguard.toml"
    settings.chmod(0o644)
    check = next(c for c in doctor(root, now).checks if c.area == "alerts")
    assert check.status == FAIL and check.fix == "chmod 600 /etc/ifguard/ifguard.toml"
    settings.write_text("[watch]\nnotify = 3\n")
    check = next(c for c in doctor(root, now).checks if c.area == "alerts")
    assert check.status == FAIL and "must be a list" in check.detail
    settings.write_text("")
    check = next(c for c in doctor(root, now).checks if c.area == "alerts")
    assert check.status == FAIL and "[watch] notify" in check.fix


def test_state_problems(tmp_path: Path, now: float) -> None:
    root = healthy_tree(tmp_path, now)
    state = root / "var/lib/ifguard"
    state.chmod(0o755)
    (state / "pending.json").write_text("{not json")
    (root / "usr/bin/ping").unlink()
    got = status_of(doctor(root, now))
    assert got["state: directory"] == FAIL
    assert got["state: pending change"] == FAIL
    assert got["host: ping"] == FAIL


def test_doctor_changes_nothing(tmp_path: Path, now: float) -> None:
    root = healthy_tree(tmp_path, now)
    before = sorted((p, p.stat().st_mtime_ns) for p in root.rglob("*"))
    doctor(root, now)
    assert sorted((p, p.stat().st_mtime_ns) for p in root.rglob("*")) == before


@pytest.mark.slow
def test_cli_json_and_exit_codes(
    tmp_path: Path, now: float, capsys: pytest.CaptureFixture[str]
) -> None:
    root = healthy_tree(tmp_path, now)
    # a --root tree: services cannot be asked; the tree's state dir is not root's here
    code = main(["doctor", "--root", str(root), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert {c["status"] for c in data["checks"] if c["area"] == "watcher"} <= {UNKNOWN, OK}
    assert code == (1 if data["problems"] else 0)
    assert main(["doctor", "--root", str(tmp_path / "nope")]) == 2
    assert "not a directory" in capsys.readouterr().err
