"""Output formats: JSON shape, SARIF 2.1.0 structure, GitHub workflow commands, text."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from jsonschema.protocols import Validator

from ifguard.config.source import load_text
from ifguard.lint.engine import Result, lint_loaded
from ifguard.lint.report import github, sarif, text
from ifguard.lint.report import json as json_report
from ifguard.lint.settings import Settings

SOURCE = (
    "auto vmbr0\niface vmbr0 inet static\n    address 192.0.2.10/24 # main\n"
    "27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500\n"
)
KEYS = {
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "code",
    "name",
    "severity",
    "message",
    "fix",
    "config",  # running | pending for the host's configurations, null for files
}


def _result() -> Result:
    return lint_loaded(load_text(SOURCE, "interfaces"), Settings())


def test_json_shape() -> None:
    r = _result()
    data = json.loads(json_report.render(r.diagnostics, r.loaded.documents))
    assert list(data) == ["diagnostics"]
    diags = data["diagnostics"]
    # the trailing comment makes the address invalid too (IFG401), sorted by line, column
    assert [d["code"] for d in diags] == ["IFG401", "IFG109", "IFG101"]
    for d in diags:
        assert set(d) == KEYS
        assert d["severity"] in ("error", "warning", "info")
    junk = diags[2]
    assert (junk["line"], junk["column"], junk["end_line"]) == (4, 1, 4)
    assert junk["fix"]["safe"] is True
    assert junk["fix"]["edits"] == [
        {
            "path": "interfaces",
            "line": 4,
            "column": 1,
            "end_line": 5,
            "end_column": 1,
            "replacement": "",
        }
    ]
    assert diags[0]["fix"] is None


def test_sarif_structure() -> None:
    r = _result()
    log = json.loads(sarif.render(r.diagnostics, r.loaded.documents))
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        region = res["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["endColumn"] >= 1
    assert {res["level"] for res in run["results"]} == {"error", "warning"}


def test_github_workflow_commands() -> None:
    r = _result()
    out = github.render(r.diagnostics, r.loaded.documents).splitlines()
    assert out[2].startswith("::error file=interfaces,line=4,col=1,")
    assert "title=IFG101 pasted-command-output::IFG101 " in out[2]


def test_text_has_location_source_line_caret_and_no_colour() -> None:
    r = _result()
    out = text.render(r.diagnostics, r.loaded.documents)
    assert "interfaces:4:1: IFG101 error " in out
    assert "    4 | 27: enx60a4b758ba5b" in out and "\x1b[" not in out
    assert out.rstrip().endswith("fixable with `ifguard lint --fix`.")


# The SARIF 2.1.0 JSON schema (final "rtm.5" revision, draft-04), vendored from the MIT-licensed
# npm package @microsoft/jest-sarif 1.0.0-beta.0 (lib/schemas/sarif-2.1.0-rtm.5.json): the
# tests validate offline.
SARIF_SCHEMA = Path(__file__).parents[1] / "fixtures" / "sarif-schema-2.1.0.json"
MESSY = (
    "auto vmbr0\r\niface vmbr0 inet static\r\n\taddress 192.0.2.10/24 # é\r\n"
    "27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500\r\n"
    "root@pve:~# ifreload -a\nEOF\n    ovs_bonds a \\\n  b\n\x00\xff\n"
)


def _validator() -> Validator:
    schema = json.loads(SARIF_SCHEMA.read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@pytest.mark.slow
@pytest.mark.parametrize("source", [SOURCE, MESSY, "", "auto lo\niface lo inet loopback\n"])
def test_sarif_validates_against_the_official_schema(source: str) -> None:
    r = lint_loaded(load_text(source, "/etc/network/interfaces"), Settings())
    log = json.loads(sarif.render(r.diagnostics, r.loaded.documents))
    errors = sorted(_validator().iter_errors(log), key=str)
    assert not errors, errors[0]
    uris = {
        res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for res in log["runs"][0]["results"]
    }
    assert uris <= {"file:///etc/network/interfaces"}
    assert len(log["runs"][0]["results"]) == len(r.diagnostics)


@pytest.mark.slow
def test_sarif_schema_rejects_a_broken_log() -> None:
    assert list(_validator().iter_errors({"version": "2.1.0", "runs": [{"tool": {}}]}))


def test_json_and_sarif_have_no_colour_and_json_keys_are_exact_for_messy_input() -> None:
    r = lint_loaded(load_text(MESSY, "interfaces"), Settings())
    for render in (json_report.render, sarif.render, github.render):
        out = render(r.diagnostics, r.loaded.documents)
        assert "\x1b[" not in out
    data = json.loads(json_report.render(r.diagnostics, r.loaded.documents))
    assert list(data) == ["diagnostics"] and data["diagnostics"]
    for d in data["diagnostics"]:
        assert set(d) == KEYS
    lines = [d["line"] for d in data["diagnostics"]]
    assert lines == sorted(lines)


def test_github_commands_escape_newlines_commas_and_colons() -> None:
    r = lint_loaded(load_text(MESSY, "dir,with:odd%name"), Settings())
    for out in github.render(r.diagnostics, r.loaded.documents).splitlines():
        assert out.startswith("::")
        props = out.split("::")[1]
        assert "file=dir%2Cwith%3Aodd%25name," in props


@pytest.mark.parametrize("render", [json_report.render, sarif.render, github.render])
def test_machine_formats_are_valid_utf8_when_the_file_is_not(render) -> None:  # type: ignore[no-untyped-def]
    data = b"iface a inet manual\n  x\xff\xfey 1\n    post-up echo \xe9t\xe9\n"
    r = lint_loaded(load_text(data, "interfaces"), Settings())
    assert r.diagnostics
    out = render(r.diagnostics, r.loaded.documents)
    out.encode("utf-8")  # strict: no lone surrogates
    assert "\ufffd" in out
    if render is not github.render:
        json.loads(out)
