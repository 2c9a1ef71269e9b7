"""``ifguard rules``: the table of all rules."""

from __future__ import annotations

import argparse
import json

NAME = "rules"
HELP = "list every rule with its code, name and default severity"
DESCRIPTION = """\
List all rules. Codes are stable: 1xx junk/encoding, 2xx syntax/schema, 3xx references,
4xx addressing, 5xx Open vSwitch. (The running network is compared with the files by
`ifguard drift` and `ifguard probe`, not by rules.)

examples:
  ifguard rules
  ifguard rules --format json
"""


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    from ifguard.lint.rules import RULES

    if args.format == "json":
        rows = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity.value,
                "fixable": r.fixable,
                "summary": r.summary,
            }
            for r in RULES
        ]
        print(json.dumps({"rules": rows}, indent=2))
        return 0
    width = max(len(r.name) for r in RULES)
    for r in RULES:
        fix = "fix" if r.fixable else "   "
        print(f"{r.code}  {r.name:<{width}}  {r.severity.value:<7}  {fix}  {r.summary}")
    return 0
