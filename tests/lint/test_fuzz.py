"""Property tests: no input crashes the lint pipeline, and parsing is always lossless.

Example counts: ``IFGUARD_FUZZ_SCALE`` multiplies them (default 0.5: 500 random-bytes, 500
random-lines and 1,000 mutated-corpus examples, ~27 s). The number of examples run is printed
at the end of the module (``pytest -s``) and written to ``$IFGUARD_FUZZ_REPORT`` when set.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ifguard.config.parse import parse
from ifguard.config.source import load_text
from ifguard.lint.engine import lint_loaded
from ifguard.lint.fixer import fix
from ifguard.lint.report import github, sarif, text
from ifguard.lint.report import json as json_report
from ifguard.lint.settings import Settings
from tests.conftest import corpus_dir

SCALE = float(os.environ.get("IFGUARD_FUZZ_SCALE", "0.5"))
_CORPUS = corpus_dir()
_EXAMPLES = Path(__file__).parents[2] / "examples"
SEEDS = ([p.read_bytes() for p in sorted(_CORPUS.glob("*/*"))] if _CORPUS else []) + [
    p.read_bytes() for p in sorted(_EXAMPLES.glob("*.interfaces"))
]
_JUNK_DIR = Path(__file__).parents[1] / "fixtures" / "junk"
JUNK = [
    b"27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500\n",
    b"root@pve:~# ip a\n",
    b"EOF\n",
    b"\x00\xff\r\n",
    b"\\\n",
    b"\t- \n",
    b"\xef\xbb\xbf",
    b"iface\n",
    b"auto\n",
    b"source\n",
    b"%for x in y:\n",
    b"address 1.2.3.4/99 # x\n",
    b"<<<<<<< HEAD\n",
    b"=======\n",
    b"source-directory /\n",
    b"source ../../*\n",
    b"iface vmbr0 inet static\n",
    b"  ovs_type OVSBond\n",
    b"  ovs_bonds a b \\\n",
    b"\xc3\x28\n",
    b"\xed\xa0\x80\n",
    b"\x1b[31mred\x1b[0m\n",
    b"\r",
    b"\\\r\n",
    b"\x00\n",
    b"  address 192.0.2.1/33\n",
    b"  gateway 192.0.2.1\n",
    b"  bridge-ports vmbr0\n",
    b"  vlan-raw-device vmbr0\n",
    b"auto vmbr0.4095\n",
    b"iface vmbr0.10 inet6 static\n",
] + [ln + b"\n" for f in sorted(_JUNK_DIR.glob("*.txt")) for ln in f.read_bytes().splitlines()[:4]]
RUNS: Counter[str] = Counter()


def _check(data: bytes, kind: str) -> None:
    RUNS[kind] += 1
    doc = parse(data)
    assert doc.render() == data
    assert sum(len(line.raw) for line in doc.lines) == len(doc.text)
    result = lint_loaded(load_text(data, "f"), Settings())
    for d in result.diagnostics:
        assert d.line >= 1 and d.column >= 1 and (d.end_line, d.end_column) >= (d.line, d.column)
        assert d.end_line <= data.count(b"\n") + 1
    docs = result.loaded.documents
    json.loads(json_report.render(result.diagnostics, docs))
    json.loads(sarif.render(result.diagnostics, docs)).get("runs")
    github.render(result.diagnostics, docs).encode("utf-8")
    text.render(result.diagnostics, docs)
    for fixed in fix(docs, result.diagnostics):
        again = lint_loaded(load_text(fixed.data, "f"), Settings())  # fixed output lints too
        assert parse(fixed.data).render() == fixed.data
        assert again is not None


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    lines = draw(st.sampled_from(SEEDS)).splitlines(keepends=True) or [b""]
    for _ in range(draw(st.integers(0, 8))):
        op = draw(
            st.sampled_from(
                [
                    "insert",
                    "delete",
                    "dup",
                    "flip",
                    "crlf",
                    "nul",
                    "utf8",
                    "backslash",
                    "strip-eol",
                    "indent",
                    "bytes",
                ]
            )
        )
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        if op == "insert":
            lines.insert(i, draw(st.sampled_from(JUNK)))
        elif op == "bytes":
            lines.insert(i, draw(st.binary(max_size=40)))
        elif not lines:
            continue
        elif op == "delete":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "flip" and lines[i]:
            b = bytearray(lines[i])
            b[draw(st.integers(0, len(b) - 1))] = draw(st.integers(0, 255))
            lines[i] = bytes(b)
        elif op == "crlf":
            lines[i] = lines[i].replace(b"\n", b"\r\n")
        elif op == "nul":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + b"\x00" + lines[i][at:]
        elif op == "utf8":
            at = draw(st.integers(0, len(lines[i])))
            bad = draw(st.sampled_from([b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xb2\x80", b"\x80"]))
            lines[i] = lines[i][:at] + bad + lines[i][at:]
        elif op == "backslash":
            lines[i] = (
                lines[i].rstrip(b"\r\n") + b"\\" + (b"\n" if lines[i].endswith(b"\n") else b"")
            )
        elif op == "strip-eol":
            lines[i] = lines[i].rstrip(b"\r\n")
        elif op == "indent":
            lines[i] = draw(st.sampled_from([b"\t", b"    ", b"\x0c", b"\xc2\xa0"])) + lines[i]
    return b"".join(lines)


_FAST = [HealthCheck.too_slow, HealthCheck.data_too_large]


@pytest.mark.slow
@settings(max_examples=int(1000 * SCALE), deadline=None, suppress_health_check=_FAST)
@given(st.binary(max_size=600))
def test_random_bytes_never_crash(data: bytes) -> None:
    _check(data, "random bytes")


@pytest.mark.slow
@settings(max_examples=int(1000 * SCALE), deadline=None, suppress_health_check=_FAST)
@given(st.lists(st.sampled_from(JUNK) | st.binary(max_size=30), max_size=30).map(b"".join))
def test_random_lines_never_crash(data: bytes) -> None:
    _check(data, "random lines")


@pytest.mark.slow
@settings(max_examples=int(2000 * SCALE), deadline=None, suppress_health_check=_FAST)
@given(mutated())
def test_mutated_corpus_never_crashes(data: bytes) -> None:
    _check(data, "mutated corpus")


def test_seeds_exist() -> None:
    assert len(SEEDS) >= 3 and all(isinstance(s, bytes) for s in SEEDS)
    assert len(JUNK) > 40


@pytest.fixture(scope="module", autouse=True)
def _report_example_counts() -> Iterator[None]:
    yield
    total = sum(RUNS.values())
    summary = ", ".join(f"{k}: {v}" for k, v in sorted(RUNS.items()))
    print(f"\nhypothesis examples run: {total} ({summary})")
    target = os.environ.get("IFGUARD_FUZZ_REPORT")
    if target:
        Path(target).write_text(json.dumps({"total": total, **RUNS}) + "\n")
