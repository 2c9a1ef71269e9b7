"""Siblings of issue 21's class found with the harness: ifupdown2's parser reads these
differently from how they look, and lint names each on its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ifguard.cli import main
from tests.differential.harness import MAIN, Oracle, stage

HEAD = "auto eth0\niface eth0 inet static\n"


def _errors(root: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    main(["lint", "--root", str(root), "--format", "json"])
    diags = json.loads(capsys.readouterr().out)["diagnostics"]
    return [f"{d['line']}:{d['code']}" for d in diags if d["severity"] == "error"]


def _eth0(oracle: Oracle, root: Path) -> dict[str, list[str]]:
    return {k: v for s in oracle.ask(root)["stanzas"] for k, v in s["config"]}


def test_a_netmask_before_the_address_is_dropped(
    oracle: Oracle, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = HEAD + "    netmask 255.255.255.0\n    address 192.0.2.10\n    gateway 192.0.2.1\n"
    root = stage(tmp_path, {MAIN: text.encode()})
    assert "netmask" not in _eth0(oracle, root)
    assert _errors(root, capsys) == ["3:IFG409", "4:IFG409"]


def test_an_option_name_in_another_case_is_another_option(
    oracle: Oracle, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = HEAD + "    Gateway 192.0.2.1\n    address 192.0.2.10/24\n"
    root = stage(tmp_path, {MAIN: text.encode()})
    assert "gateway" not in _eth0(oracle, root)
    assert _errors(root, capsys) == ["3:IFG210"]


def test_a_leading_no_break_space_makes_an_option_without_a_name(
    oracle: Oracle, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = HEAD + "\u00a0   address 192.0.2.10/24\n"
    root = stage(tmp_path, {MAIN: text.encode()})
    assert _eth0(oracle, root) == {"": ["address 192.0.2.10/24"]}
    assert _errors(root, capsys) == ["3:IFG113"]


def test_a_backslash_inside_a_value_becomes_a_space(
    oracle: Oracle, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = HEAD + "    address 192.0.2.10/24\n    post-up logger a\\tb\n"
    root = stage(tmp_path, {MAIN: text.encode()})
    assert _eth0(oracle, root)["post-up"] == ["logger a tb"]
    main(["lint", "--root", str(root), "--format", "json"])
    diags = json.loads(capsys.readouterr().out)["diagnostics"]
    assert [(d["line"], d["code"], d["severity"]) for d in diags] == [(4, "IFG112", "error")]


def test_a_quoted_source_path_names_nothing(
    oracle: Oracle, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = 'auto lo\niface lo inet loopback\nsource "/etc/network/interfaces.d/*"\n'
    extra = "/etc/network/interfaces.d/vmbr0"
    root = stage(tmp_path, {MAIN: text.encode(), extra: b"auto vmbr0\niface vmbr0 inet manual\n"})
    assert oracle.ask(root)["files"] == [MAIN]
    assert _errors(root, capsys) == ["3:IFG201"]
