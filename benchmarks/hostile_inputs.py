#!/usr/bin/env python3
"""Benchmark: hostile and unlucky input against the real `ifguard` CLI (issue 13).

Run by hand (not part of the test suite):

    .venv/bin/python benchmarks/hostile_inputs.py [--ifguard .venv/bin/ifguard]

Each case runs in a fresh process with a 120 s timeout; the table shows the exit status
(0 clean, 1 errors found, 2 could not run), the wall time and the peak RSS of that process
(``wait4`` rusage), and what was expected. Everything is written under a temporary
directory; a victim file outside the `--root` checks that nothing there is read or written.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

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

    table: list[tuple[str, str, Callable[[], tuple[int | str, float, float, str]]]] = [
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
        ("source /proc/kmsg, /sys file", "1 (IFG201 error), no hang", lint(str(kmsg))),
        ("15 MiB file sourced 60 times", "1 (IFG201: 16 MiB total)", lint(str(src60))),
        ("10,000 sources of a small file", "1 (IFG201: 4096 files)", lint(str(src10k))),
        ("256 KiB, a diagnostic per byte", "1 (500 shown per file)", lint(str(per_byte))),
        ("1 MiB, a diagnostic per byte", "1 (500 shown per file)", lint(str(per_byte_1m))),
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
        (
            "cwd pyproject ignore=ALL, wrapper",
            "1 (refused)",
            lambda: run([str(wrapper_root / "usr/sbin/ifreload"), "-a"], cwd=project),
        ),
    ]
    return [(n, e, _row(n, e, f)) for n, e, f in table]


def _row(
    name: str, expected: str, fn: Callable[[], tuple[int | str, float, float, str]]
) -> Callable[[], Row]:
    def go() -> Row:
        code, secs, rss, note = fn()
        return Row(name, code, secs, rss, expected, note)

    return go


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
    args = parser.parse_args()
    ifguard = str(Path(args.ifguard).absolute())
    tmp = Path(tempfile.mkdtemp(prefix="ifguard-hostile-"))
    try:
        print(f"{'input':36} {'exit':>7} {'time s':>7} {'RSS MB':>7}  expected / first stderr line")
        for _, _, go in cases(tmp, ifguard):
            r = go()
            print(
                f"{r.name:36} {r.code!s:>7} {r.seconds:7.2f} {r.rss_mb:7.1f}  {r.expected}"
                + (f" | {r.note}" if r.note else "")
            )
            sys.stdout.flush()
    finally:
        shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
