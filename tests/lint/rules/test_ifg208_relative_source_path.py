"""IFG208 relative-source-path (code: src/ifguard/lint/rules/ifg208_relative_source_path.py; docs:
`ifguard explain IFG208`)."""

from __future__ import annotations

from pathlib import Path

from ifguard.lint.engine import lint_paths
from ifguard.lint.settings import Settings
from ifguard.system.root import Root

CODE = "IFG208"
TEXT = "auto lo\niface lo inet loopback\nsource interfaces.d/*\n"


def test_fires_on_a_relative_source_under_ifupdown2(tmp_path: Path) -> None:
    """Nothing beside the file either: still cwd-dependent, a warning."""
    main = tmp_path / "interfaces"
    main.write_text(TEXT)
    (diag,) = [
        d for d in lint_paths([main], Root(tmp_path), Settings()).diagnostics if d.code == CODE
    ]
    assert (diag.code, diag.severity, diag.line, diag.column) == (CODE, "warning", 3, 8)
    assert "from its working directory (`/` at boot), not from this file's" in diag.message


def test_the_bridge_sourced_relatively_is_not_read_at_boot(tmp_path: Path) -> None:
    """The issue's case: vmbr0 lives in /etc/network/interfaces.d, ifupdown2 never reads it."""
    net = tmp_path / "etc" / "network"
    (net / "interfaces.d").mkdir(parents=True)
    (net / "interfaces").write_text(TEXT)
    (net / "interfaces.d" / "vmbr0").write_text("auto vmbr0\niface vmbr0 inet manual\n")
    result = lint_paths(None, Root(tmp_path), Settings())
    assert [Path(d.path).name for d in result.loaded.documents] == ["interfaces"]
    assert [(d.code, d.line) for d in result.diagnostics if d.severity == "error"] == [(CODE, 3)]
    assert "the 1 file(s) it names next to this file are not read at boot" in next(
        d.message for d in result.diagnostics if d.code == CODE
    )


def test_near_miss_stays_clean(tmp_path: Path) -> None:
    """An absolute path; and classic ifupdown, which reads it from the file's directory."""
    net = tmp_path / "etc" / "network"
    (net / "interfaces.d").mkdir(parents=True)
    (net / "interfaces.d" / "vmbr0").write_text("auto vmbr0\niface vmbr0 inet manual\n")
    (net / "interfaces").write_text(TEXT.replace("source ", "source /etc/network/"))
    assert not lint_paths(None, Root(tmp_path), Settings()).diagnostics
    (net / "interfaces").write_text(TEXT)
    classic = lint_paths(None, Root(tmp_path), Settings(), dialect="ifupdown")
    assert CODE not in [d.code for d in classic.diagnostics]
