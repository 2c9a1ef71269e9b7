"""Output formats: JSON shape, SARIF 2.1.0 structure, GitHub workflow commands, text."""

from __future__ import annotations

import json

from ifguard.lint import lint_loaded
from ifguard.report import github, sarif, text
from ifguard.report import json as json_report
from ifguard.settings import Settings
from ifguard.source import load_text

SOURCE = ("auto vmbr0\niface vmbr0 inet static\n    address 192.0.2.10/24 # main\n"
          "27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500\n")
KEYS = {"path", "line", "column", "end_line", "end_column", "code", "name", "severity",
        "message", "fix"}


def _result():  # type: ignore[no-untyped-def]
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
    assert junk["fix"]["edits"] == [{"path": "interfaces", "line": 4, "column": 1,
                                     "end_line": 5, "end_column": 1, "replacement": ""}]
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
