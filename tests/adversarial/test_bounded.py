"""Issue 22, bounded everything: a file that blocks, totals over many sourced files, a
diagnostic per input byte, a rule quadratic in repeated stanzas. Each probe runs the real
CLI (a subprocess with a timeout, so a regression fails instead of hanging the suite) or the
engine in-process with the limits lowered."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ifguard.config import budget
from ifguard.lint import engine
from ifguard.lint.engine import lint_paths
from ifguard.lint.settings import Settings
from ifguard.system import readfile
from ifguard.system.root import Root

LO = "auto lo\niface lo inet loopback\n"


def lint(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ifguard", "lint", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.parametrize("target", ["/proc/kmsg", "/proc/self/status", "/sys/kernel/notes"])
def test_a_kernel_file_is_never_read_as_a_source(tmp_path: Path, target: str) -> None:
    if not os.path.exists(target):
        pytest.skip(f"{target} not on this machine")
    main = tmp_path / "interfaces"
    main.write_text(f"{LO}source {target}\n")
    proc = lint("-q", str(main), timeout=30)  # /proc/kmsg used to block here forever
    assert proc.returncode == 1, proc
    assert "IFG201" in proc.stdout and "kernel file system" in proc.stdout, proc.stdout
    assert "Traceback" not in proc.stderr


@pytest.mark.slow
@pytest.mark.parametrize("target", ["/proc/kmsg", "/proc/self/environ", "/sys/kernel/notes"])
def test_a_kernel_file_as_the_main_file_is_one_line_exit_2(target: str) -> None:
    if not os.path.exists(target):
        pytest.skip(f"{target} not on this machine")
    proc = lint(target, timeout=30)
    assert proc.returncode == 2, proc
    assert proc.stderr.count("\n") == 1 and "kernel file system" in proc.stderr, proc.stderr


def test_the_filesystem_is_checked_not_the_path(tmp_path: Path) -> None:
    """A symbolic link from an ordinary directory to /proc is still /proc."""
    link = tmp_path / "looks-local"
    link.symlink_to("/proc/self/status")
    with pytest.raises(readfile.PseudoFile, match="on proc"):
        readfile.read_regular(link)
    assert readfile.filesystem(str(tmp_path)) is None  # storage (tmpfs, ext4, overlay ...)
    assert readfile.read_regular(link, pseudo=True)[0]  # the bonding reader's opt-in


@pytest.mark.slow
def test_a_silent_pipe_on_stdin_is_given_up_at_the_deadline() -> None:
    r, w = os.pipe()
    try:
        start = time.monotonic()
        with pytest.raises(readfile.ReadTimeout):
            readfile.read_stdin(fd=r, deadline=time.monotonic() + 0.3)
        assert time.monotonic() - start < 5
    finally:
        os.close(r)
        os.close(w)


def test_one_big_file_sourced_many_times_stops_at_the_total(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(budget, "MAX_TOTAL_BYTES", 8192)
    big = tmp_path / "big"
    big.write_text("iface eth0 inet manual\n" + "#" * 1500 + "\n")
    main = tmp_path / "interfaces"
    main.write_text(LO + f"source {big}\n" * 60)
    result = lint_paths([main], Root(), Settings())
    assert sum(d.path == str(big) for d in result.loaded.documents) == 2  # 2 x 1.5 kB fit
    refused = [d for d in result.diagnostics if d.code == "IFG201"]
    assert len(refused) == 58 and all("total more than" in d.message for d in refused)
    assert result.errors  # what was not read was not checked: no gate passes


def test_many_sourced_files_stop_at_the_file_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(budget, "MAX_FILES", 50)
    small = tmp_path / "small"
    small.write_text("iface eth0 inet manual\n")
    main = tmp_path / "interfaces"
    main.write_text(LO + f"source {small}\n" * 100)
    result = lint_paths([main], Root(), Settings())
    assert len(result.loaded.documents) == 50
    refused = [d for d in result.diagnostics if d.code == "IFG201"]
    assert len(refused) == 51 and "more than 50 files" in refused[0].message


def test_diagnostics_are_capped_per_file_and_severity_the_verdict_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "MAX_PER_FILE", 20)
    monkeypatch.setattr(engine, "MAX_TOTAL", 30)
    main = tmp_path / "interfaces"
    other = tmp_path / "other"
    other.write_text("x\n" * 200)  # one error per line, two bytes each
    warnings = "iface vmbr0 inet static\n    address 192.0.2.9/24\n    gateway 10.0.0.1\n" * 200
    error = "iface eth0 inet static\n address 300.1.1.1/24\n"
    main.write_text(warnings + f"source {other}\n" + error)
    result = lint_paths([main], Root(), Settings())
    counts: dict[tuple[str, str], int] = {}
    for d in result.diagnostics:
        counts[(d.path, d.severity.value)] = counts.get((d.path, d.severity.value), 0) + 1
    assert counts == {
        (str(main), "warning"): 20,
        (str(other), "error"): 20,
        (str(main), "error"): 1,
    }
    assert result.omitted >= 400 - 50
    assert result.errors  # the verdict: errors, whatever was dropped


@pytest.mark.slow
def test_one_diagnostic_per_byte_is_bounded_in_the_cli(tmp_path: Path) -> None:
    main = tmp_path / "interfaces"
    main.write_text("x\n" * 20_000)
    proc = lint("--format", "json", str(main))
    assert proc.returncode == 1
    import json

    assert len(json.loads(proc.stdout)["diagnostics"]) <= engine.MAX_PER_FILE * 3
    assert "more diagnostic(s) not shown" in proc.stderr


@pytest.mark.slow
def test_ifg402_on_repeated_stanzas_reports_each_gateway_once_with_a_short_message() -> None:
    """The rule used to compare every gateway with every address of the name (quadratic):
    the subnets are now deduplicated and the message names at most 8 of them."""
    from tests.conftest import lint_text

    stanza = "iface vmbr0 inet static\n    address 192.0.2.{i}/24\n    gateway 198.51.100.1\n"
    text = "".join(stanza.format(i=i % 250 + 1) for i in range(400))
    text += "iface vmbr0 inet static\n    address 10.{i}.0.1/16\n".replace("{i}", "9")
    found = [d for d in lint_text(text) if d.code == "IFG402"]
    assert len(found) == 400
    assert "192.0.2.0/24, 10.9.0.0/16" in found[0].message and len(found[0].message) < 200


@pytest.mark.slow
@pytest.mark.parametrize("stdin", [False, True], ids=["file", "stdin"])
def test_a_file_of_empty_lines_is_refused_before_parsing(tmp_path: Path, stdin: bool) -> None:
    """Parsing costs ~170 bytes per line: 16 MiB of newlines took 2.8 GB and 266 s. Past
    MAX_TOTAL_LINES the main file is one line, exit 2, naming the file and the cap."""
    main = tmp_path / "interfaces"
    main.write_bytes(b"\n" * (budget.MAX_TOTAL_LINES + 1))
    if stdin:
        with main.open("rb") as fh:
            proc = subprocess.run(
                [sys.executable, "-m", "ifguard", "lint", "-q", "-"],
                stdin=fh,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
        name = "<stdin>"
    else:
        proc = lint("-q", str(main))
        name = str(main)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert f"{name}: cannot read: {budget.MAX_TOTAL_LINES + 1} lines, more than the" in proc.stderr
    assert f"{budget.MAX_TOTAL_LINES} ifguard reads" in proc.stderr


def test_sourced_lines_stop_at_the_total(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The line cap is over the configuration: a sourced file past it is not read (IFG201
    error: not checked, so no gate passes), the main file and what fits are."""
    monkeypatch.setattr(budget, "MAX_TOTAL_LINES", 100)
    part = tmp_path / "part"
    part.write_text("iface eth0 inet manual\n" + "#\n" * 39)  # 40 lines
    main = tmp_path / "interfaces"
    main.write_text(LO + f"source {part}\n" * 5)  # 7 lines
    result = lint_paths([main], Root(), Settings())
    assert sum(d.path == str(part) for d in result.loaded.documents) == 2  # 7 + 2 x 40 fit
    refused = [d for d in result.diagnostics if d.code == "IFG201"]
    assert len(refused) == 3 and all("total more than 100 lines" in d.message for d in refused)
    assert result.errors


def test_the_line_cap_is_far_above_real_configurations(corpus: Path) -> None:
    """The largest real configuration is a few hundred lines: the cap is 100 times that, and
    even every file of the corpus read as one configuration stays under it."""
    files = list(corpus.rglob("*.interfaces"))
    assert files
    counts = [p.read_bytes().count(b"\n") for p in files]
    assert max(counts) * 100 < budget.MAX_TOTAL_LINES, max(counts)
    assert sum(counts) < budget.MAX_TOTAL_LINES, sum(counts)


def test_the_watcher_alerts_a_configuration_it_cannot_read_and_goes_on() -> None:
    """A main file past a limit is exit 2 for lint, and for the watcher an error alerted
    with the one line saying why (it does not exit: it still watches for the fix)."""
    from ifguard.lint.engine import HostResult
    from ifguard.system.errors import UsageError
    from ifguard.watch.config import ConfigMonitor

    why = "/etc/network/interfaces: cannot read: 16777215 lines, more than the 40000 ifguard reads"
    results: list[HostResult | UsageError] = [UsageError(why), UsageError(why), HostResult(())]

    def lint() -> HostResult:
        nxt = results.pop(0)
        if isinstance(nxt, UsageError):
            raise nxt
        return nxt

    monitor = ConfigMonitor(lint, Root())
    verdict, alerts = monitor.check()
    assert verdict.errors == 1 and [a.state for a in alerts] == ["firing"]
    assert why in alerts[0].body and "error(s)" in alerts[0].title
    assert monitor.check()[1] == []  # still unreadable: nothing repeated
    verdict, alerts = monitor.check()
    assert verdict.errors == 0 and [a.state for a in alerts] == ["resolved"]
