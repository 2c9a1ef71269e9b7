"""``ifguard explain CODE``: print a rule's documentation."""

from __future__ import annotations

import argparse

NAME = "explain"
HELP = "show what a rule catches, why it matters and how to fix it"
DESCRIPTION = """\
Print the documentation of a rule, by code or name.

examples:
  ifguard explain IFG101
  ifguard explain pasted-command-output
"""


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("rule", metavar="CODE", help="rule code (IFG101) or name")


def run(args: argparse.Namespace) -> int:
    from ifguard.lint.rules import BY_CODE, BY_NAME
    from ifguard.system.errors import UsageError

    key = args.rule.strip()
    r = BY_CODE.get(key.upper()) or BY_NAME.get(key.lower())
    if r is None:
        raise UsageError(f"unknown rule: {args.rule} (see `ifguard rules`)")
    fix = "yes (safe fix with --fix)" if r.fixable else "no"
    print(
        f"{r.code} {r.name}\n\nSeverity: {r.severity.value}    Fixable: {fix}    "
        f"Dialects: {', '.join(sorted(d.value for d in r.dialects))}\n"
    )
    print(r.doc)
    return 0
