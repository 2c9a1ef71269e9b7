"""Property tests: no input crashes the lint pipeline, and parsing is always lossless."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ifguard.fixer import fix
from ifguard.lint import lint_loaded
from ifguard.parse import parse
from ifguard.settings import Settings
from ifguard.source import load_text
from tests.conftest import corpus_dir

_CORPUS = corpus_dir()
SEEDS = [p.read_bytes() for p in sorted(_CORPUS.glob("*/*"))] if _CORPUS else [
    b"auto lo\niface lo inet loopback\n"]
JUNK = [b"27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500\n",
        b"root@pve:~# ip a\n", b"EOF\n", b"\x00\xff\r\n", b"\\\n", b"\t- \n", b"\xef\xbb\xbf",
        b"iface\n", b"auto\n", b"source\n", b"%for x in y:\n", b"address 1.2.3.4/99 # x\n"]


def _check(data: bytes) -> None:
    assert parse(data).render() == data
    result = lint_loaded(load_text(data, "f"), Settings())
    for d in result.diagnostics:
        assert d.line >= 1 and d.column >= 1 and (d.end_line, d.end_column) >= (d.line, d.column)
    for fixed in fix(result.loaded.documents, result.diagnostics):
        lint_loaded(load_text(fixed.data, "f"), Settings())  # fixed output lints too


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    lines = draw(st.sampled_from(SEEDS)).splitlines(keepends=True) or [b""]
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["insert", "delete", "dup", "flip", "crlf"]))
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        if op == "insert":
            lines.insert(i, draw(st.sampled_from(JUNK) | st.binary(max_size=40)))
        elif op == "delete" and lines:
            del lines[i]
        elif op == "dup" and lines:
            lines.insert(i, lines[i])
        elif op == "flip" and lines and lines[i]:
            b = bytearray(lines[i])
            b[draw(st.integers(0, len(b) - 1))] = draw(st.integers(0, 255))
            lines[i] = bytes(b)
        elif op == "crlf" and lines:
            lines[i] = lines[i].replace(b"\n", b"\r\n")
    return b"".join(lines)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_random_bytes_never_crash(data: bytes) -> None:
    _check(data)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_corpus_never_crashes(data: bytes) -> None:
    _check(data)


def test_seeds_exist() -> None:
    assert SEEDS and all(isinstance(s, bytes) for s in SEEDS)
    assert Path(__file__).exists()
