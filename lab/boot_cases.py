#!/usr/bin/env python3
"""The lab host's management path (vlan1 -> vmbr0 -> bond0 -> enp1s0, enx60a4b758ba5b in
examples/proxmox-ovs.interfaces) broken one link at a time: what ``ifguard lint`` says about
each, and, with ``--lab``, whether a fresh lab host built from it (a boot: new namespaces, a
new Open vSwitch, ``ifreload -a`` on nothing) is reachable by the admin.

    python3 lab/boot_cases.py            # the table of diagnostics (markdown), no root needed
    python3 lab/boot_cases.py --lab      # and boot each case in the lab (root; ~15 s a case)

docs/boot.md shows the table; tests/e2e/test_boot_lab.py boots the cases.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parents[1]
CLEAN = (REPO / "examples" / "proxmox-ovs.interfaces").read_text()
LAB_NICS = frozenset({"lo", "enp1s0", "enx60a4b758ba5b", "bond0"})


class Case(NamedTuple):
    link: str  # the link of the management path
    change: str  # what the case does to the file, as a reader would say it
    text: str
    nics: frozenset[str] = LAB_NICS  # the host's NICs
    boots: bool = False  # the management path comes up (the model's verdict, checked by --lab)


def _drop(line: str, text: str = CLEAN, *, after: str = "") -> str:
    """``text`` without the first line equal to ``line`` (stripped) after ``after``."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, got in enumerate(lines) if got.strip() == after), -1) if after else -1
    for i in range(start + 1, len(lines)):
        if lines[i].strip() == line:
            return "".join(lines[:i] + lines[i + 1 :])
    raise ValueError(line)


def _sub(old: str, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return change


CASES: tuple[Case, ...] = (
    Case("-", "none (the lab as it is)", CLEAN, boots=True),
    Case("vlan1", "`auto vlan1` removed (the GUI's Autostart box)", _drop("auto vlan1")),
    Case(
        "vlan1",
        "`ovs_bridge vmbr0` removed (still in `ovs_ports`)",
        _drop("ovs_bridge vmbr0", after="iface vlan1 inet static"),
    ),
    Case(
        "vlan1",
        "`ovs_type OVSIntPort` removed",
        _drop("ovs_type OVSIntPort", after="iface vlan1 inet static"),
    ),
    Case(
        "vlan1",
        "`ovs_bridge` misspelt `ovs_brige`",
        _sub(
            "\tovs_bridge vmbr0\n\tovs_options tag=1\n", "\tovs_brige vmbr0\n\tovs_options tag=1\n"
        )(CLEAN),
    ),
    Case("vmbr0", "`auto vmbr0` removed", _drop("auto vmbr0"), boots=True),
    Case("bond0", "`auto bond0` removed", _drop("auto bond0")),
    Case(
        "bond0",
        "`ovs_bridge vmbr0` removed (still in `ovs_ports`)",
        _drop("ovs_bridge vmbr0", after="iface bond0 inet manual"),
    ),
    Case("enp1s0", "`auto enp1s0` removed", _drop("auto enp1s0"), boots=True),
    Case(
        "enp1s0",
        "NIC `enp1s0` missing on the host",
        CLEAN,
        LAB_NICS - {"enp1s0"},
        boots=True,
    ),
    Case(
        "enp1s0, enx60a4b758ba5b",
        "both NICs renamed (`--nics eno1,eno2`)",
        CLEAN,
        frozenset({"lo", "eno1", "eno2"}),
    ),
)


def diagnostics(case: Case) -> list[str]:
    """``CODE severity line`` of each diagnostic of ``ifguard lint FILE --nics ...``."""
    from ifguard.config.source import load_text
    from ifguard.lint.engine import lint_loaded
    from ifguard.lint.settings import Settings

    result = lint_loaded(load_text(case.text, "interfaces"), Settings(), nics=case.nics)
    return [f"{d.code} {d.severity} line {d.line}" for d in result.diagnostics]


def model_boots(case: Case) -> bool:
    from ifguard.config.bootpath import boot_path
    from ifguard.config.model import build
    from ifguard.config.parse import parse

    return boot_path(build([parse(case.text)]), case.nics).comes_up


def lab_boots(case: Case, prefix: str = "ifgb", timeout: float = 12.0) -> bool:
    """Build a fresh lab host from the case (root): is the admin reaching it?"""
    from lab.ifguard_lab import Lab, LabError

    lab = Lab(prefix=prefix)
    try:
        lab.up(case.text, timeout=timeout)
        return True
    except LabError:
        return False
    finally:
        lab.down()


def table(lab: bool = False) -> str:
    head = "| link | change | `ifguard lint` (exit) | boots (model) |"
    rule = "|---|---|---|---|"
    if lab:
        head, rule = head + " boots (lab) |", rule + "---|"
    rows = [head, rule]
    for case in CASES:
        found = diagnostics(case)
        exit_status = 1 if any(" error " in d for d in found) else 0
        said = ", ".join(found) or "clean"
        row = f"| {case.link} | {case.change} | {said} ({exit_status}) | "
        row += "yes |" if model_boots(case) else "**no** |"
        if lab and case.nics != LAB_NICS:
            row += " (the lab has both NICs) |"
        elif lab:
            row += " yes |" if lab_boots(case) else " **no** |"
        rows.append(row)
    return "\n".join(rows) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lab", action="store_true", help="boot each case in the lab (root)")
    args = ap.parse_args()
    sys.stdout.write(table(args.lab))
    return 0


if __name__ == "__main__":
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    sys.exit(main())
