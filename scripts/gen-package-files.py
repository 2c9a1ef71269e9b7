#!/usr/bin/env python3
"""Generate what the Debian package ships besides the Python code, from the code itself:

  OUT/man/ifguard.1, OUT/man/ifguard-<command>.1   argparse definitions (argparse-manpage)
  OUT/completion/ifguard, OUT/completion/_ifguard  bash (ifguard.commands.completion) and
                                                   zsh (shtab) completion
  OUT/systemd/ifguard-{watch,boot,status}.service  the units of `ifguard install`, for
                                                   /usr/bin/ifguard
  OUT/motd/50-ifguard                              the update-motd.d script (console summary)

Run by debian/rules at build time (PYTHONPATH=src); needs python3-argparse-manpage and
python3-shtab (Debian 12 packages).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import shtab  # type: ignore[import-not-found, import-untyped, unused-ignore]
from build_manpages.manpage import Manpage  # type: ignore[import-not-found, import-untyped, unused-ignore]

from ifguard import __version__
from ifguard.cli import build_parser
from ifguard.commands import completion
from ifguard.install import files
from ifguard.lint.rules import rule_keys
from ifguard.system.root import Root

EXECUTABLE = "/usr/bin/ifguard"
MACROS = (".TH", ".SH", ".SS", ".TP", ".B ", ".B\n", ".br", ".PP", ".IP")


def _date() -> str:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))
    return time.strftime("%Y-%m-%d", time.gmtime(epoch))


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def manpage(parser: argparse.ArgumentParser, name: str, summary: str, see_also: str) -> str:
    """One man page: argparse-manpage's body with a proper header, NAME line and SEE ALSO."""
    body = str(Manpage(parser)).splitlines()
    dash = "\\-"
    out = [
        f'.TH {name.upper()} 1 "{_date()}" "ifguard {__version__}" "ifguard manual"',
        ".SH NAME",
        f"{name} {dash} {summary.replace('-', dash)}",
    ]
    skip = True  # argparse-manpage's own .TH and NAME section are replaced above
    for line in body:
        if skip:
            if line.startswith(".SH") and line != ".SH NAME":
                skip = False
            else:
                continue
        # a description line that starts with "." or "'" would be read as a troff request
        if line[:1] in (".", "'") and not line.startswith(MACROS):
            line = "\\&" + line
        out.append(line)
    out += [".SH SEE ALSO", see_also, ""]
    return "\n".join(out)


def generate(out: Path) -> list[Path]:
    parser = build_parser()
    written: list[Path] = []

    def write(path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        written.append(path)

    commands = _subparsers(parser)
    helps = {
        a.dest: a.help or ""
        for act in parser._actions
        if isinstance(act, argparse._SubParsersAction)
        for a in act._choices_actions
    }
    pages = ", ".join(f"\\fBifguard\\-{c}\\fR(1)" for c in commands)
    write(
        out / "man/ifguard.1",
        manpage(
            parser,
            "ifguard",
            "keep /etc/network/interfaces from taking the host offline",
            pages + ", \\fBinterfaces\\fR(5), /usr/share/doc/ifguard/",
        ),
    )
    for command, sub in commands.items():
        write(
            out / f"man/ifguard-{command}.1",
            manpage(sub, f"ifguard-{command}", helps.get(command, command), "\\fBifguard\\fR(1)"),
        )
    # bash: our own generator (bookworm's shtab 1.5.5 expands only the first choice of a list)
    codes = [word for pair in rule_keys() for word in pair]
    write(out / "completion/ifguard", completion.bash_script(parser, codes))
    write(out / "completion/_ifguard", shtab.complete(parser, shell="zsh"))
    for unit in files.UNITS:
        write(out / "systemd" / unit, files.unit_text(unit, EXECUTABLE, man=True))
    motd = out / "motd" / files.MOTD_SCRIPT.rsplit("/", 1)[1]
    write(motd, files.motd_script(Root(Path("/"))))
    motd.chmod(0o755)
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: gen-package-files.py OUTDIR", file=sys.stderr)
        return 2
    written = generate(Path(argv[0]))
    print(f"gen-package-files: {len(written)} files in {argv[0]}")
    return 0 if all(re.search(r"\S", p.read_text()) for p in written) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
