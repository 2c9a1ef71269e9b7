from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ifguard.parse import Kind, parse

INCIDENT = "27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master ovs-system\n"


def kinds(text: str) -> list[tuple[str, str]]:
    return [(line.kind.value, line.keyword) for line in parse(text).lines]


def test_structure_of_a_small_file() -> None:
    text = "# c\nauto eth0\niface eth0 inet static\n  address 192.0.2.1/24\n\n"
    assert kinds(text) == [
        ("comment", ""), ("statement", "auto"), ("stanza", "iface"),
        ("option", "address"), ("blank", ""),
    ]


def test_unindented_option_after_iface_belongs_to_the_stanza() -> None:
    doc = parse("iface eth0 inet static\naddress 192.0.2.1/24\n")
    assert doc.lines[1].kind is Kind.OPTION and doc.lines[1].stanza == 0


def test_junk_after_a_stanza_is_an_option_of_it_and_before_any_stanza_unknown() -> None:
    doc = parse(INCIDENT + "iface vmbr0 inet manual\n" + INCIDENT)
    assert [ln.kind for ln in doc.lines] == [Kind.UNKNOWN, Kind.STANZA, Kind.OPTION]
    assert doc.lines[2].keyword == "27:"


def test_statement_ends_the_stanza() -> None:
    doc = parse("iface a inet manual\nauto b\n  address 192.0.2.1/24\n")
    assert doc.lines[2].kind is Kind.UNKNOWN


def test_continuation_lines_form_one_logical_line() -> None:
    doc = parse("iface b inet manual\n  ovs_options bond_mode=balance-tcp \\\n"
                "    lacp=active\nauto x\n")
    opt = doc.lines[1]
    assert opt.keyword == "ovs_options" and opt.physical_lines == 2
    assert opt.value == "bond_mode=balance-tcp lacp=active"
    assert doc.lines[2].lineno == 4


def test_template_lines_are_never_options() -> None:
    doc = parse("%for v in range(1, 3):\niface br${v}\n%endfor\n")
    assert doc.lines[0].kind is Kind.TEMPLATE and doc.lines[2].kind is Kind.TEMPLATE


def test_spans_are_one_based_with_exclusive_end() -> None:
    doc = parse("auto lo\niface lo inet loopback\n")
    span = doc.word_span(doc.lines[1], 1)
    assert (span.line, span.column, span.end_line, span.end_column) == (2, 7, 2, 9)


def test_spans_count_characters_not_bytes() -> None:
    doc = parse("# é\nauto lo\r\n")
    span = doc.line_span(doc.lines[1])
    assert (span.line, span.column, span.end_column) == (2, 1, 8)


@pytest.mark.parametrize("data", [
    b"", b"\n", b"auto lo", b"\r\n\r\n", b"\x00\xff\xfe", b"iface a\\\n", b"\\", b"a\\\r\nb",
    b"\xef\xbb\xbfauto lo\n", "iface é inet dhcp\n".encode(), b"\x0c\x1c\n\x85 x\n",
])
def test_round_trip_edge_cases(data: bytes) -> None:
    assert parse(data).render() == data


def test_round_trip_every_corpus_file(corpus: Path) -> None:
    files = sorted(corpus.glob("*/*.interfaces"))
    assert files
    for f in files:
        data = f.read_bytes()
        assert parse(data, str(f)).render() == data, f


@settings(max_examples=1500, deadline=None)
@given(st.binary(max_size=400))
def test_round_trip_random_bytes(data: bytes) -> None:
    doc = parse(data)
    assert doc.render() == data
    # every character belongs to exactly one line, in order
    pos = 0
    for line in doc.lines:
        assert line.start == pos
        pos = line.end
    assert pos == len(doc.text)
