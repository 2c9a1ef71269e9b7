#!/usr/bin/env python3
"""Benchmark: hostile and unlucky input against the real `ifguard` CLI (issue 13).

Run by hand (not part of the test suite):

    .venv/bin/python benchmarks/hostile_inputs.py [--ifguard .venv/bin/ifguard] [--issue 22]

``--issue 22`` prints only issue 22's failures, as the table its closing note asks for:
each failure -> exit code, one-line message (the first stderr line, or what was checked),
time, peak RSS. The watcher rows run the real watcher against a local HTTP receiver and
report its peak RSS (``VmHWM``) and the first alert it sent (the unit has MemoryMax=128M).

Each case runs in a fresh process with a 120 s timeout; the table shows the exit status
(0 clean, 1 errors found, 2 could not run), the wall time and the peak RSS of that process
(``wait4`` rusage), and what was expected. Everything is written under a temporary
directory; a victim file outside the `--root` checks that nothing there is read or written.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

REPO = Path(__file__).resolve().parents[1]
JUNK = "27: eth9: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noop state DOWN\n"
LO = "auto lo\niface lo inet loopback\n"
MIB = 1024 * 1024


class Row(NamedTuple):
    name: str
    code: int | str
    seconds: float
    rss_mb: float
    expected: str
    note: str
    issue: int = 13


ISSUE22, ISSUE13 = object(), object()  # markers in the table: the rows below are issue N's
Measure = Callable[[], tuple[int | str, float, float, str]]


def run(
    argv: list[str], *, cwd: Path | None = None, stdin: int | None = None, timeout: float = 120
) -> tuple[int | str, float, float, str]:
    """(exit status or 'timeout', seconds, peak RSS in MB, first stderr line). Measured by
    /usr/bin/time around the command: the peak RSS of that process alone."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        try:
            proc = subprocess.run(
                ["/usr/bin/time", "-q", "-o", out.name, "-f", "%e %M", *argv],
                cwd=cwd,
                stdin=stdin,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return "timeout", timeout, 0.0, ""
        seconds, kib = out.read().split()[-2:]
    err = proc.stderr.decode(errors="replace").splitlines()
    return proc.returncode, float(seconds), int(kib) / 1024, err[0][:90] if err else ""


def cases(tmp: Path, ifguard: str) -> list[tuple[str, str, Callable[[], Row]]]:
    def lint(*args: str, **kw: object) -> Callable[[], tuple[int | str, float, float, str]]:
        return lambda: run([ifguard, "lint", "-q", *args], **kw)  # type: ignore[arg-type]

    fifo = tmp / "fifo"
    os.mkfifo(fifo)
    src_fifo = tmp / "src-fifo"
    src_fifo.write_text(f"{LO}source {fifo}\n")
    src_zero = tmp / "src-zero"
    src_zero.write_text(f"{LO}source /dev/zero\n")
    big = tmp / "big"
    with big.open("wb") as fh:
        fh.write(LO.encode())
        fh.write(b"#" * (16 * MIB + 1 - len(LO) - 1) + b"\n")
    word1m = tmp / "word1m"
    word1m.write_text("w" * MIB + "\n")
    word300k = tmp / "word300k"
    word300k.write_text("w" * 300_000 + "\n")
    stanzas = tmp / "stanzas1e6"
    stanzas600k = tmp / "stanzas600k"
    with stanzas.open("w") as a, stanzas600k.open("w") as b:
        for i in range(1_000_000):
            line = f"iface eth{i} inet manual\n"
            a.write(line)
            if i < 600_000:
                b.write(line)
    loop = tmp / "loop"
    loop.mkdir()
    os.symlink("b", loop / "a")
    os.symlink("a", loop / "b")
    (loop / "interfaces").write_text(f"{LO}source {loop}/a\n")
    root = tmp / "root"
    (root / "etc/network").mkdir(parents=True)
    (root / "etc/network/interfaces").write_text(
        f"{LO}source ../../../victim\nsource /../../victim\n"
    )
    victim = tmp / "victim"
    victim.write_text(LO + JUNK)
    settings = tmp / "settings"
    (settings / "etc/ifguard").mkdir(parents=True)
    (settings / "etc/network").mkdir(parents=True)
    (settings / "etc/network/interfaces").write_text(LO + "iface eth0 inet manual\n" + JUNK)
    (settings / "etc/ifguard/ifguard.toml").write_text('ignore = "IFG101"\n')
    wrapper_root = install_wrapper(tmp, ifguard)
    project = tmp / "project"
    project.mkdir()
    # issue 22: a kernel file that blocks, totals over sourced files, output per input byte
    kmsg = tmp / "src-kmsg"
    kmsg.write_text(f"{LO}source /proc/kmsg\nsource /sys/kernel/notes\n")
    big15 = tmp / "big15"
    big15.write_bytes(b"#" * (15 * MIB) + b"\n")
    src60 = tmp / "src60"
    src60.write_text(LO + f"source {big15}\n" * 60)
    small = tmp / "small"
    small.write_text("iface vmbr0 inet static\n    address 192.0.2.9/24\n    gateway 10.0.0.1\n")
    src10k = tmp / "src10k"
    src10k.write_text(LO + f"source {small}\n" * 10_000)
    per_byte = tmp / "per-byte-256k"
    per_byte.write_text("x\n" * (128 * 1024))
    per_byte_1m = tmp / "per-byte-1m"
    per_byte_1m.write_text("x\n" * (512 * 1024))
    repeated = tmp / "ifg402-944k"
    with repeated.open("w") as out:
        stanza = "iface vmbr0 inet static\n    address 192.0.2.{}/24\n    gateway 10.0.0.1\n"
        while out.tell() < 944_000:
            out.write(stanza.format(out.tell() % 250 + 1))
    (project / "pyproject.toml").write_text('[tool.ifguard]\nignore = ["ALL"]\n')

    def victim_untouched(
        fn: Callable[[], tuple[int | str, float, float, str]],
    ) -> Callable[[], tuple[int | str, float, float, str]]:
        def inner() -> tuple[int | str, float, float, str]:
            code, secs, rss, err = fn()
            ok = victim.read_text() == LO + JUNK and not (tmp / ".victim.ifguard-bak").exists()
            return code, secs, rss, err + (" victim untouched" if ok else " VICTIM CHANGED")

        return inner

    def state_cmd(
        *args: str, mode: int = 0o700, good: bool = False
    ) -> Callable[[], tuple[int | str, float, float, str]]:
        def go() -> tuple[int | str, float, float, str]:
            tree = Path(tempfile.mkdtemp(dir=tmp))
            (tree / "etc/network").mkdir(parents=True)
            (tree / "etc/network/interfaces").write_text(LO)
            state = tree / "var/lib/ifguard"
            state.mkdir(parents=True)
            state.chmod(mode)
            if good:  # versions 1 and 2 in the history: `restore ٢` once restored 2
                from ifguard.store.history import History

                history = History(state / "history.db")
                for text in (LO, LO + "\n"):
                    files = {"/etc/network/interfaces": text.encode()}
                    history.record_version(files, source="apply", errors=0, warnings=0)
            else:
                (state / "pending.json").write_text('{"id": "t1", "state": "applied"')
            return run([ifguard, args[0], "--root", str(tree), *args[1:]], cwd=Path("/"))

        return go

    def plain(*args: str) -> Callable[[], tuple[int | str, float, float, str]]:
        return lambda: run([ifguard, *args], cwd=Path("/"))

    def zero_pipe() -> tuple[int | str, float, float, str]:
        cat = subprocess.Popen(["cat", "/dev/zero"], stdout=subprocess.PIPE)
        assert cat.stdout is not None
        try:
            return run([ifguard, "lint", "-q", "-"], stdin=cat.stdout.fileno())
        finally:
            cat.kill()
            cat.wait()

    def zero_stdin() -> tuple[int | str, float, float, str]:
        with open("/dev/zero", "rb") as zero:
            return run([ifguard, "lint", "-q", "-"], stdin=zero.fileno())

    table: list[Any] = [
        ("FIFO as the file", "2", lint(str(fifo))),
        ("FIFO via source", "1 (IFG201 error)", lint(str(src_fifo))),
        ("/dev/zero as the file", "2", lint("/dev/zero")),
        ("/dev/zero via source", "1 (IFG201 error)", lint(str(src_zero))),
        ("stdin < /dev/zero", "2", zero_stdin),
        ("cat /dev/zero | lint -", "2 (16 MiB cap)", zero_pipe),
        ("--config /dev/zero", "2", lint("--config", "/dev/zero", str(src_zero))),
        ("16 MiB + 1 byte file", "2", lint(str(big))),
        ("300 kB single word", "1", lint(str(word300k))),
        ("1 MB single word", "1", lint(str(word1m))),
        ("1e6 stanzas (25.9 MB)", "2 (over 16 MiB)", lint(str(stanzas))),
        ("600k stanzas (15.5 MB)", "0", lint(str(stanzas600k))),
        ("symlink loop via source", "1 (IFG201 error)", lint(str(loop / "interfaces"))),
        (
            "traversal under --root, --fix",
            "0, victim untouched",
            victim_untouched(lint("--root", str(root), "--fix")),
        ),
        ('settings ignore = "IFG101"', "2", lint("--gate", "--root", str(settings))),
        ISSUE22,
        ("source /proc/kmsg, /sys file", "1 (IFG201 error), no hang", lint(str(kmsg))),
        ("15 MiB file sourced 60 times", "1 (IFG201: 16 MiB total)", lint(str(src60))),
        ("10,000 sources of a small file", "1 (IFG201: 4096 files)", lint(str(src10k))),
        ("256 KiB, a diagnostic per byte", "2 (line cap: 131,072 lines)", lint(str(per_byte))),
        ("1 MiB, a diagnostic per byte", "2 (line cap: 524,288 lines)", lint(str(per_byte_1m))),
        ("IFG402: 944 kB repeated stanzas", "0 (warnings)", lint(str(repeated))),
        (
            "damaged pending.json, lint --gate",
            "2 (one line, the way out)",
            state_cmd("lint", "--gate"),
        ),
        ("damaged pending.json, rollback", "2 (one line)", state_cmd("rollback")),
        (
            "state dir group-writable, status",
            "2 (one line, the fix)",
            state_cmd("status", mode=0o777),
        ),
        ("watch --metrics-port 70000", "2 (one line)", plain("watch", "--metrics-port", "70000")),
        ("restore 10^22", "2 (no such version)", state_cmd("restore", "9" * 23, good=True)),
        (
            "restore ٢ (Arabic-Indic two)",
            "2 (no such version)",
            state_cmd("restore", "٢", good=True),
        ),
        *issue22_rows(tmp, ifguard),
        ISSUE13,
        (
            "cwd pyproject ignore=ALL, wrapper",
            "1 (refused)",
            lambda: run([str(wrapper_root / "usr/sbin/ifreload"), "-a"], cwd=project),
        ),
    ]
    rows, issue = [], 13
    for entry in table:
        if entry is ISSUE22 or entry is ISSUE13:
            issue = 22 if entry is ISSUE22 else 13
            continue
        n, e, f = entry
        rows.append((n, e, _row(n, e, f, issue)))
    return rows


def _row(name: str, expected: str, fn: Measure, issue: int = 13) -> Callable[[], Row]:
    def go() -> Row:
        code, secs, rss, note = fn()
        return Row(name, code, secs, rss, expected, note, issue)

    return go


def _tree(tmp: Path, text: str = LO) -> tuple[Path, Path]:
    tree = Path(tempfile.mkdtemp(dir=tmp))
    (tree / "etc/network").mkdir(parents=True)
    (tree / "etc/network/interfaces").write_text(text)
    state = tree / "var/lib/ifguard"
    state.mkdir(parents=True, mode=0o700)
    return tree, state


def _old_record(tree: Path, state: Path, pwned: Path, path: str | None = None) -> None:
    """An APPLIED record past its deadline as ifguard wrote them before: with a reload_cmd."""
    (state / "txn/t1/before").mkdir(parents=True)
    (state / "txn/t1/before/0").write_text(LO)
    txn = {
        "id": "t1",
        "created": 1.0,
        "timeout": 120.0,
        "deadline": 2.0,
        "state": "applied",
        "root": str(tree),
        "targets": [
            {
                "path": path or str(tree / "etc/network/interfaces"),
                "system_path": "/etc/network/interfaces",
                "before": str(state / "txn/t1/before/0"),
                "after": None,
            }
        ],
        "reload_cmd": [["touch", str(pwned)]],
        "candidate_hash": "x",
        "probes_enabled": False,
    }
    (state / "pending.json").write_text(json.dumps(txn))
    (state / "pending.json").chmod(0o600)


def issue22_rows(tmp: Path, ifguard: str) -> list[tuple[str, str, Measure]]:
    """The state, CLI and watcher rows of issue 22 not in the table above."""

    def in_tree(*args: str, setup: Callable[[Path, Path], Callable[[], str]]) -> Measure:
        def go() -> tuple[int | str, float, float, str]:
            tree, state = _tree(tmp)
            (tree / "etc/network/interfaces").write_text(LO + "# candidate\n")
            check = setup(tree, state)
            code, secs, rss, err = run(
                [ifguard, args[0], "--root", str(tree), *args[1:]], cwd=Path("/")
            )
            return code, secs, rss, (err + " | " if err else "") + check()

        return go

    def reload_cmd_record(tree: Path, state: Path) -> Callable[[], str]:
        pwned = tree / "pwned"
        _old_record(tree, state, pwned)
        main = tree / "etc/network/interfaces"

        def check() -> str:
            ran = "RECORD'S COMMAND RAN" if pwned.exists() else "record's reload_cmd not run"
            return ran + (", files restored" if main.read_text() == LO else "")

        return check

    def outside_record(tree: Path, state: Path) -> Callable[[], str]:
        outside = tree.parent / f"{tree.name}-outside"
        _old_record(tree, state, tree / "pwned", path=str(outside))
        return lambda: "outside untouched" if not outside.exists() else "OUTSIDE WRITTEN"

    def owner(uid: int, link: bool = False) -> Callable[[Path, Path], Callable[[], str]]:
        def setup(tree: Path, state: Path) -> Callable[[], str]:
            pwned = tree / "pwned"
            _old_record(tree, state, pwned)
            if link:
                real = tree.parent / f"{tree.name}-state"
                state.rename(real)
                state.symlink_to(real)
            else:
                os.chown(state, uid, uid)
            return lambda: "record not read" if not pwned.exists() else "RECORD'S COMMAND RAN"

        return setup

    def damaged(tree: Path, state: Path) -> Callable[[], str]:
        (state / "pending.json").write_text('{"id": "t1", "state": "applied"')
        called = tree / "called"
        fake = tree / "usr/sbin/ifguard-orig-ifreload"
        fake.parent.mkdir(parents=True)
        fake.write_text(f"#!/bin/sh\ntouch {called}\n")
        fake.chmod(0o755)
        return lambda: "nothing reloaded" if not called.exists() else "RELOADED UNGATED"

    def history_link(tree: Path, state: Path) -> Callable[[], str]:
        host_db = tree.parent / f"{tree.name}-host.db"
        host_db.write_bytes(b"")
        (state / "history.db").symlink_to(host_db)
        return lambda: "host db untouched" if host_db.stat().st_size == 0 else "HOST DB WRITTEN"

    def cron_version(tree: Path, state: Path) -> Callable[[], str]:
        from ifguard.store.history import History

        files = {"/etc/network/interfaces": LO.encode(), "/etc/cron.d/evil": b"* * * * * root id\n"}
        History(state / "history.db").record_version(files, source="watch", errors=0, warnings=0)
        return lambda: "nothing written" if not (tree / "etc/cron.d").exists() else "CRON WRITTEN"

    def notify_typo(tree: Path, state: Path) -> Callable[[], str]:
        (tree / "etc/ifguard").mkdir(parents=True)
        (tree / "etc/ifguard/ifguard.toml").write_text('[watch]\nnotfy = ["json://x/"]\n')
        return lambda: ""

    def escapes(tree: Path, state: Path) -> Callable[[], str]:
        (tree / "etc/network/interfaces").write_text(LO + "iface eth0 inet manual\n\x1b[2J\n")
        return lambda: ""

    lines = tmp / "newlines-16m"
    lines.write_bytes(b"\n" * (16 * MIB - 1))
    return [
        (
            "state dir owned by uid 65534, rollback",
            "2 (one line, the fix)",
            in_tree("rollback", setup=owner(65534)),
        ),
        (
            "state dir a symlink, rollback",
            "2 (one line, the fix)",
            in_tree("rollback", setup=owner(0, link=True)),
        ),
        (
            "record reload_cmd=touch, rollback",
            "0, not run",
            in_tree("rollback", setup=reload_cmd_record),
        ),
        (
            "record reload_cmd=touch, guardian",
            "0, not run",
            in_tree("apply", "--guardian", "t1", setup=reload_cmd_record),
        ),
        (
            "record reload_cmd=touch, boot check",
            "0, not run",
            in_tree("rollback", "--if-pending", "--boot", setup=reload_cmd_record),
        ),
        (
            "record path outside --root, boot check",
            "0, outside untouched",
            in_tree("rollback", "--boot", setup=outside_record),
        ),
        (
            "restore: version lists /etc/cron.d/evil",
            "2 (one line)",
            in_tree("restore", "1", "--reload-cmd", "true", "--no-probes", setup=cron_version),
        ),
        (
            "history.db linked out of the tree",
            "2 (one line)",
            in_tree("history", setup=history_link),
        ),
        (
            "damaged pending.json, ifreload wrapper",
            "2, nothing reloaded",
            in_tree("reload", "--", "-a", setup=damaged),
        ),
        ("damaged pending.json, status", "2 (one line)", in_tree("status", setup=damaged)),
        ("damaged pending.json, confirm", "2 (one line)", in_tree("confirm", setup=damaged)),
        (
            "damaged pending.json, boot check",
            "2 (one line)",
            in_tree("rollback", "--if-pending", "--boot", setup=damaged),
        ),
        (
            "[watch] notfy typo, lint --gate",
            "0 (the gate passes)",
            in_tree("lint", "--gate", setup=notify_typo),
        ),
        ("ESC[2J in the file, lint --diff", "1, escaped", in_tree("lint", "--diff", setup=escapes)),
        (
            "16 MiB of empty lines, lint",
            "2 (one line: the line cap)",
            lambda: run([ifguard, "lint", "-q", str(lines)]),
        ),
        (
            "watcher: 16 MiB of empty lines",
            "alert, watcher goes on",
            lambda: watcher(tmp, ifguard, "newlines", 16 * MIB - 1),
        ),
        (
            "watcher: 2 x 40,000 lines (worst shape)",
            "< 128 MB",
            lambda: watcher(tmp, ifguard, "static", 40_000),
        ),
        (
            "watcher: 1 MiB, a diagnostic per byte",
            "< 128 MB, alert",
            lambda: watcher(tmp, ifguard, "per-byte", 512 * 1024),
        ),
    ]


def watcher(tmp: Path, ifguard: str, shape: str, n: int) -> tuple[int | str, float, float, str]:
    """The real watcher on a tree whose interfaces and interfaces.new hold ``n`` lines of
    ``shape``: (exit status after SIGTERM, seconds to the first alert or to 'settled', peak
    RSS (VmHWM) in MB, the first alert's title and body, or 'no alert')."""
    import http.server
    import threading

    got: list[tuple[float, str]] = []

    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            got.append((time.monotonic(), f"{body.get('title')}: {body.get('message')}"))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    if shape == "static":
        text = "".join(
            f"iface vmbr{i} inet static\n    address 10.{i // 65536 % 256}.{i // 256 % 256}."
            f"{i % 256}/24\n"
            for i in range(n // 2)
        )
    elif shape == "per-byte":
        text = "x\n" * n
    else:
        text = "\n" * n
    tree, _ = _tree(tmp, text)
    (tree / "etc/network/interfaces.new").write_text(text)
    start = time.monotonic()
    proc = subprocess.Popen(
        [ifguard, "watch", "--root", str(tree), "--no-console", "--alert-hold", "0",
         "--notify", f"json://127.0.0.1:{server.server_address[1]}/hook"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd="/",
    )  # fmt: skip

    def hwm() -> float:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    # until the first alert (+5 s), or, with none, until the peak has not grown for 20 s
    peak, grew, end, settled = 0.0, start, start + 240, None
    while time.monotonic() < end and proc.poll() is None:
        now_peak = hwm()
        if now_peak > peak:
            peak, grew = now_peak, time.monotonic()
        if got and settled is None:
            settled = time.monotonic()
        if (settled is not None and time.monotonic() > settled + 5) or (
            not got and time.monotonic() > grew + 20
        ):
            break
        time.sleep(0.2)
    proc.terminate()
    try:
        err = proc.communicate(timeout=60)[1]
    except subprocess.TimeoutExpired:
        proc.kill()
        err = proc.communicate()[1]
    server.shutdown()
    secs = (got[0][0] if got else grew) - start
    said = got[0][1].replace("\n", " ")[:140] if got else "no alert"
    lines = err.decode(errors="replace").strip().splitlines()
    if proc.returncode not in (0, -15) and lines:
        said += f" | {lines[-1][:100]}"
    return proc.returncode, secs, peak, said


def install_wrapper(tmp: Path, ifguard: str) -> Path:
    """A root with the ifreload wrapper installed (a fake ifreload behind it) and a broken
    interfaces file."""
    root = tmp / "wrapped"
    (root / "etc/network").mkdir(parents=True)
    (root / "etc/network/interfaces").write_text(LO + "iface eth0 inet manual\n" + JUNK)
    (root / "usr/sbin").mkdir(parents=True)
    fake = root / "usr/sbin/ifreload"
    fake.write_text('#!/bin/sh\ntouch "$(dirname "$0")/../../called"\n')
    fake.chmod(0o755)
    subprocess.run(
        [
            ifguard,
            "install",
            "--root",
            str(root),
            "--divert-ifreload",
            "--gates",
            "--ifguard",
            ifguard,
        ],
        check=True,
        capture_output=True,
    )
    return root


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ifguard", default=str(REPO / ".venv/bin/ifguard"))
    parser.add_argument("--issue", type=int, choices=(13, 22), help="only this issue's rows")
    args = parser.parse_args()
    ifguard = str(Path(args.ifguard).absolute())
    tmp = Path(tempfile.mkdtemp(prefix="ifguard-hostile-"))
    try:
        if args.issue == 22:
            return issue22_table(cases(tmp, ifguard))
        print(f"{'input':36} {'exit':>7} {'time s':>7} {'RSS MB':>7}  expected / first stderr line")
        for _, _, go in cases(tmp, ifguard):
            r = go()
            if args.issue is not None and r.issue != args.issue:
                continue
            print(
                f"{r.name:36} {r.code!s:>7} {r.seconds:7.2f} {r.rss_mb:7.1f}  {r.expected}"
                + (f" | {r.note}" if r.note else "")
            )
            sys.stdout.flush()
    finally:
        shutil.rmtree(tmp)
    return 0


def issue22_table(rows: list[tuple[str, str, Callable[[], Row]]]) -> int:
    """Issue 22's closing table: failure -> exit, time, peak RSS, one-line message."""
    print("| failure (issue 22) | expected | exit | time s | peak RSS MB | one-line message |")
    print("|---|---|---|---|---|---|")
    for _, _, go in rows:
        r = go()
        if r.issue != 22:
            continue
        note = r.note.replace("|", "/")
        print(f"| {r.name} | {r.expected} | {r.code} | {r.seconds:.2f} | {r.rss_mb:.1f} | {note} |")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
