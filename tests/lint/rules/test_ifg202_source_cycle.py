"""IFG202 source-cycle (code: src/ifguard/lint/rules/ifg202_source_cycle.py; docs: `ifguard explain
IFG202`). Sources are followed only when the host's files are linted, so these tests write a
Debian-like root and lint it as `ifguard lint --root ROOT` does."""

from __future__ import annotations

from pathlib import Path

from tests.lint.rules.helpers import lint_host, only, position

CODE = "IFG202"
MAIN = "etc/network/interfaces"
LO = "auto lo\niface lo inet loopback\n"


def test_fires_on_the_line_that_closes_the_cycle(tmp_path: Path) -> None:
    files = {
        MAIN: LO + "source /etc/network/interfaces.d/*\n",
        "etc/network/interfaces.d/a": (
            "auto eth0\niface eth0 inet dhcp\nsource /etc/network/interfaces\n"
        ),
    }
    (diag,) = only(CODE, lint_host(tmp_path, files))
    assert position(diag) == (3, 1, 3, 31)
    assert diag.path.endswith("interfaces.d/a")


def test_fires_on_an_include_chain_deeper_than_32_files(tmp_path: Path) -> None:
    files = {MAIN: LO + "source /etc/network/chain/0\n"}
    for i in range(40):
        files[f"etc/network/chain/{i}"] = f"source /etc/network/chain/{i + 1}\n"
    files["etc/network/chain/40"] = "auto eth0\niface eth0 inet dhcp\n"
    found = only(CODE, lint_host(tmp_path, files))
    assert len(found) == 1 and position(found[0])[:2] == (1, 1)
    assert "/etc/network/chain/" in found[0].path


def test_near_miss_stays_clean(tmp_path: Path) -> None:
    """A file included twice along different branches (a diamond) is not a cycle."""
    files = {
        MAIN: LO + "source /etc/network/a\nsource /etc/network/b\n",
        "etc/network/a": "source /etc/network/common\n",
        "etc/network/b": "source /etc/network/common\n",
        "etc/network/common": "auto eth0\niface eth0 inet dhcp\n",
    }
    assert CODE not in [d.code for d in lint_host(tmp_path, files)]
