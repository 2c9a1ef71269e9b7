"""Issue 21's reproduced differences, each read by ifupdown2's own parser (where the parser
is where it happens) and each ending in `ifguard lint` exit 1 with the error on its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ifguard.cli import main
from tests.differential.harness import MAIN, Oracle, stage

HEAD = "auto eth0\niface eth0 inet static\n    address 192.0.2.10/24\n"


def _lint(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, list[str]]:
    rc = main(["lint", "--root", str(root), "--format", "json", *extra])
    diags = json.loads(capsys.readouterr().out)["diagnostics"]
    return rc, [f"{d['line']}:{d['code']}" for d in diags if d["severity"] == "error"]


def _config(answer: dict[str, object], name: str) -> dict[str, list[str]]:
    stanzas = answer["stanzas"]
    assert isinstance(stanzas, list)
    return {k: v for s in stanzas if s["name"] == name for k, v in s["config"]}


def test_1_bare_cr_in_a_comment(
    oracle: Oracle, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = stage(tmp_path, {MAIN: (HEAD + "    # note\r    gateway 192.0.2.99\n").encode()})
    assert _config(oracle.ask(root), "eth0")["gateway"] == ["192.0.2.99"]
    assert _lint(root, capsys) == (1, ["4:IFG106"])


def test_2_comment_ending_in_a_backslash(
    oracle: Oracle, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = stage(tmp_path, {MAIN: (HEAD + "    # old \\\n    gateway 192.0.2.1\n").encode()})
    assert "gateway" not in _config(oracle.ask(root), "eth0")
    assert _lint(root, capsys) == (1, ["5:IFG112"])


def test_3_source_directory_is_an_attribute_for_ifupdown2(
    oracle: Oracle, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "auto lo\niface lo inet loopback\nsource-directory /etc/network/interfaces.d\n"
    extra = "/etc/network/interfaces.d/vmbr0"
    root = stage(tmp_path, {MAIN: text.encode(), extra: b"iface vmbr0 inet manual\n"})
    answer = oracle.ask(root)
    assert answer["files"] == [MAIN]
    assert _config(answer, "lo") == {"source-directory": ["/etc/network/interfaces.d"]}
    assert _lint(root, capsys, "--dialect", "ifupdown2") == (1, ["3:IFG206"])
    assert _lint(root, capsys, "--dialect", "ifupdown") == (0, [])  # classic reads it


def test_4_relative_source_is_globbed_from_the_working_directory(
    oracle: Oracle, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "auto lo\niface lo inet loopback\nsource interfaces.d/*\n"
    extra = "/etc/network/interfaces.d/vmbr0"
    root = stage(tmp_path, {MAIN: text.encode(), extra: b"auto vmbr0\niface vmbr0 inet manual\n"})
    assert oracle.ask(root)["files"] == [MAIN]  # cwd `/`: vmbr0 is never read
    assert _lint(root, capsys) == (1, ["3:IFG208"])


@pytest.mark.parametrize("address", ["192.0.2.010/24", "192.0.2.\u0661\u0660/24"])
def test_5_addresses_ifupdown2_rejects(
    address: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ipaddress (ifupdown2's address addon) rejects both; not a parser matter."""
    import ipaddress

    with pytest.raises(ValueError):
        ipaddress.ip_interface(address)
    text = f"auto eth0\niface eth0 inet static\n    address {address}\n"
    root = stage(tmp_path, {MAIN: text.encode()})
    assert _lint(root, capsys) == (1, ["3:IFG401"])


def test_6_interface_name_over_15_bytes(
    oracle: Oracle, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "auto verylongbridgename0\niface verylongbridgename0 inet manual\n"
    root = stage(tmp_path, {MAIN: text.encode()})
    assert any("too long" in m for _, m in oracle.ask(root)["messages"])
    assert _lint(root, capsys) == (1, ["2:IFG207"])


@pytest.mark.parametrize("name", ["\u0435no1", "eno1\u200b", "eno\u202e1"])
def test_7_lookalike_and_invisible_characters_in_names(
    name: str, oracle: Oracle, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = f"auto {name}\niface {name} inet dhcp\n"
    root = stage(tmp_path, {MAIN: text.encode()})
    assert [s["name"] for s in oracle.ask(root)["stanzas"]] == [name]
    rc, errors = _lint(root, capsys)
    assert rc == 1 and errors == ["1:IFG113", "2:IFG113"]
