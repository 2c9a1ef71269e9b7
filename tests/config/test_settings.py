from __future__ import annotations

import pytest

from ifguard.config.settings import Settings, from_mapping, matches
from ifguard.config.source import load_text
from ifguard.lint.engine import lint_loaded
from ifguard.system.errors import UsageError

JUNK = "iface eth0 inet manual\n27: eth0: <UP> mtu 1500\n"


def codes(text: str, settings: Settings | None = None) -> list[str]:
    result = lint_loaded(load_text(text, "etc/network/interfaces"), settings or Settings())
    return [f"{d.code}:{d.severity.value}" for d in result.diagnostics]


def test_selectors() -> None:
    assert matches("IFG101", "pasted-command-output", ["IFG1"])
    assert matches("IFG101", "pasted-command-output", ["pasted-command-output"])
    assert not matches("IFG201", "source-not-found", ["IFG1"])


def test_select_ignore_severity_and_per_file_ignores() -> None:
    assert codes(JUNK) == ["IFG101:error"]
    assert codes(JUNK, from_mapping({"ignore": ["IFG101"]}, "t")) == []
    assert codes(JUNK, from_mapping({"select": ["IFG2"]}, "t")) == []
    assert codes(JUNK, from_mapping({"severity": {"IFG101": "warning"}}, "t")) == ["IFG101:warning"]
    assert codes(JUNK, from_mapping({"per-file-ignores": {"interfaces": ["IFG1"]}}, "t")) == []


def test_bad_settings_are_usage_errors() -> None:
    with pytest.raises(UsageError):
        from_mapping({"sellect": []}, "t")
    with pytest.raises(UsageError):
        from_mapping({"severity": {"IFG101": "fatal"}}, "t")


def test_suppression_comments() -> None:
    assert codes("iface eth0 inet manual\n# ifguard: ignore[IFG101]\n27: x: <UP> mtu 1\n") == []
    assert codes("iface eth0 inet manual\n# ifguard: ignore\n\n27: x: <UP> mtu 1\n") == []
    assert codes("iface eth0 inet manual\n# ifguard: ignore[IFG102]\n27: x: <UP> mtu 1\n") == [
        "IFG101:error"
    ]
    # only the next configuration line is covered
    assert codes("iface e inet manual\n# ifguard: ignore[IFG101]\n  mtu 1500\n27: x: <UP>\n") == [
        "IFG101:error"
    ]
    assert codes("# ifguard: ignore-file[pasted-command-output]\n" + JUNK) == []
