from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ifguard.config.source import load_text
from ifguard.lint.engine import lint_loaded
from ifguard.lint.settings import Settings, from_mapping, load_system_settings, matches
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


def test_codes_are_checked_against_the_rule_registry() -> None:
    """No rule list is passed in: every code, prefix and name is one of the registry's."""
    from ifguard.lint.rules import RULES

    for bad in ({"ignore": ["IFG999"]}, {"select": ["IFG9"]}, {"ignore": ["no-such-rule"]}):
        with pytest.raises(UsageError, match="unknown rule code"):
            from_mapping(bad, "t")
    with pytest.raises(UsageError, match="unknown rule code or name 'IFG999'"):
        from_mapping({"severity": {"IFG999": "info"}}, "t")
    first = RULES[0]
    s = from_mapping({"ignore": [first.code], "severity": {first.name: "info"}}, "t")
    assert s.ignore == (first.code,) and not s.enabled(first.code, first.name)


@pytest.mark.slow
def test_a_mistake_in_watch_or_console_is_never_a_lint_error(tmp_path: Path) -> None:
    """[watch] and [console] belong to the watcher and the console: lint (and so every gate)
    neither reads nor judges them, while their owners still refuse the mistake."""
    from ifguard.config.settingsfile import read_system_file
    from ifguard.status.settings import console_settings
    from ifguard.system.root import Root
    from ifguard.watch.settings import watch_settings

    bad = {"watch": {"notify": "not-a-list"}, "console": {"wall": "perhaps"}}
    assert from_mapping({**bad, "ignore": ["IFG101"]}, "t").ignore == ("IFG101",)
    conf = tmp_path / "etc/ifguard/ifguard.toml"
    conf.parent.mkdir(parents=True)
    conf.write_text('ignore = ["IFG101"]\n[watch]\nnotfy = 1\n[console]\nwall = "x"\n')
    file = read_system_file(Root(tmp_path))
    assert load_system_settings(Root(tmp_path)).ignore == ("IFG101",)
    with pytest.raises(UsageError, match=r"unknown setting\(s\) in \[watch\]: notfy"):
        watch_settings(file)
    with pytest.raises(UsageError, match="`wall` must be true or false"):
        console_settings(file)
    (tmp_path / "etc/network").mkdir(parents=True)
    (tmp_path / "etc/network/interfaces").write_text(JUNK)
    gate = subprocess.run(
        [sys.executable, "-m", "ifguard", "lint", "--gate", "--root", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert gate.returncode == 0, gate.stderr  # the junk's IFG101 is ignored; [watch] unread
