from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ifguard.config.parse import Document, Kind, Line, parse

INCIDENT = "27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master ovs-system\n"


def kinds(text: str) -> list[tuple[str, str]]:
    return [(line.kind.value, line.keyword) for line in parse(text).lines]


def test_structure_of_a_small_file() -> None:
    text = "# c\nauto eth0\niface eth0 inet static\n  address 192.0.2.1/24\n\n"
    assert kinds(text) == [
        ("comment", ""),
        ("statement", "auto"),
        ("stanza", "iface"),
        ("option", "address"),
        ("blank", ""),
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
    doc = parse(
        "iface b inet manual\n  ovs_options bond_mode=balance-tcp \\\n    lacp=active\nauto x\n"
    )
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


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\n",
        b"auto lo",
        b"\r\n\r\n",
        b"\x00\xff\xfe",
        b"iface a\\\n",
        b"\\",
        b"a\\\r\nb",
        b"\xef\xbb\xbfauto lo\n",
        "iface é inet dhcp\n".encode(),
        b"\x0c\x1c\n\x85 x\n",
    ],
)
def test_round_trip_edge_cases(data: bytes) -> None:
    assert parse(data).render() == data


def test_round_trip_every_corpus_file(corpus: Path) -> None:
    files = sorted(corpus.glob("*/*.interfaces"))
    assert files
    for f in files:
        data = f.read_bytes()
        assert parse(data, str(f)).render() == data, f


@pytest.mark.slow
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


# -- positions: 1-based line/column, exclusive end, in characters -----------------------------
def _pos(doc: Document, line: Line, word: int | None = None) -> tuple[int, int, int, int]:
    s = doc.line_span(line) if word is None else doc.word_span(line, word)
    return (s.line, s.column, s.end_line, s.end_column)


def test_positions_across_crlf_tabs_and_multibyte() -> None:
    text = "# café ☕\r\nauto eth0\r\niface eth0 inet static\r\n\taddress 192.0.2.1/24\r\n"
    doc = parse(text.encode())
    opt = doc.lines[3]
    assert opt.keyword == "address"
    assert _pos(doc, opt) == (4, 2, 4, 22)  # the tab is one column; \r is not content
    assert _pos(doc, opt, 1) == (4, 10, 4, 22)
    assert _pos(doc, doc.lines[0]) == (1, 1, 1, 9)  # 8 characters, 12 bytes
    assert _pos(doc, doc.lines[2], 3) == (3, 17, 3, 23)


def test_positions_after_a_continuation_count_physical_lines() -> None:
    text = (
        "iface b inet manual\r\n  ovs_options bond_mode=balance-tcp \\\r\n"
        "    lacp=active\r\n  mtu 9000\r\n"
    )
    doc = parse(text)
    cont, mtu = doc.lines[1], doc.lines[2]
    assert cont.lineno == 2 and mtu.lineno == 4
    assert _pos(doc, cont) == (2, 3, 3, 16)
    assert _pos(doc, mtu, 1) == (4, 7, 4, 11)


def test_positions_with_invalid_utf8_count_one_column_per_bad_byte() -> None:
    doc = parse(b"auto e\xff\xfeth0 x\n")
    assert doc.render() == b"auto e\xff\xfeth0 x\n"
    assert _pos(doc, doc.lines[0], 2) == (1, 13, 1, 14)


def test_offsets_map_back_to_positions_for_every_character() -> None:
    text = "a\r\n\tb é\\\n c\n\nd"
    doc = parse(text)
    row, col = 1, 1
    for offset, ch in enumerate(text):
        assert doc.position(offset) == (row, col), offset
        row, col = (row + 1, 1) if ch == "\n" else (row, col + 1)
    assert doc.position(len(text)) == (row, col)


@pytest.mark.parametrize(
    "data",
    [
        b"\x00auto lo\x00\n",
        b"iface a inet manual\n\\\n\\\n",
        b"\r\r\n\r",
        b"  \\\r\n\\",
        b"\xc3\n\xa9\n",
        b"\xed\xa0\x80\n",
    ],
)
def test_round_trip_more_edge_cases(data: bytes) -> None:
    doc = parse(data)
    assert doc.render() == data
    assert sum(len(line.raw) for line in doc.lines) == len(doc.text)


def test_diagnostic_positions_exclude_crlf_and_indentation() -> None:
    from tests.conftest import lint_text

    line = "27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500"
    text = f"auto vmbr0\r\niface vmbr0 inet manual\r\n\t  {line}\r\n"
    crlf, d = lint_text(text)
    assert crlf.code == "IFG106" and (crlf.line, crlf.column) == (1, 11)
    assert (d.code, d.line, d.column, d.end_line, d.end_column) == (
        "IFG101",
        3,
        4,
        3,
        4 + len(line),
    )
