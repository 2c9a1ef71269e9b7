"""``ifguard apt-hook``: the apt gate (/etc/apt/apt.conf.d/80ifguard, written by
``ifguard install --gates``).

apt runs it before dpkg (``DPkg::Pre-Install-Pkgs``) with the list of what it is about to do
on stdin (apt's hook protocol, version 2: ``NAME OLD-VERSION OP NEW-VERSION FILE`` a line,
``**REMOVE**`` for a removal or purge). Maintainer scripts (ifupdown2's postinst, Open vSwitch's)
reload the network: while the running configuration has errors the run is refused, with the
file and line, the fix and the bypass, since apt itself says no more than "Problem executing
scripts". Removing or purging ifguard itself is never refused: its own hook must not lock the
admin into it.
"""

from __future__ import annotations

import argparse
import sys
from typing import IO

NAME = "apt-hook"
HELP = "the apt gate (run by apt before dpkg; see `ifguard install --gates`)"
DESCRIPTION = """\
Run by apt before dpkg (DPkg::Pre-Install-Pkgs in /etc/apt/apt.conf.d/80ifguard, written by
`ifguard install --gates`), with the list of package actions on stdin. Package scripts may
reload the network: while the running configuration (what `ifreload -a` reads) has lint errors
the apt run is refused (exit 1), naming the file and line, the fix and the bypass. Removing or
purging ifguard itself is always let through. IFGUARD_FORCE=1 apt ... lets one run through
(logged).
"""
MAX_STDIN = 16 << 20


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--root", metavar="DIR", help=argparse.SUPPRESS)


def removes_ifguard(lines: list[str]) -> bool:
    """Whether apt's package list (protocol version 2 or 3) removes or purges ifguard."""
    for line in lines:
        words = line.split()
        if len(words) >= 2 and words[-1] == "**REMOVE**" and words[0].split(":")[0] == "ifguard":
            return True
    return False


def read_actions(stream: IO[bytes]) -> list[str]:
    """The action lines of apt's hook protocol (after the VERSION line and the configuration
    block, which ends with an empty line); everything is read, so apt never gets EPIPE."""
    data = stream.read(MAX_STDIN)
    while stream.read(1 << 16):
        pass
    lines = data.decode("utf-8", errors="replace").splitlines()
    if lines and lines[0].startswith("VERSION "):
        try:
            lines = lines[lines.index("") + 1 :]
        except ValueError:
            lines = []
    return [line for line in lines if line.strip()]


REFUSED = """\
ifguard: apt refused: the network configuration has errors (file:line above), and package
  scripts (ifupdown2's, Open vSwitch's) reload the network with it. Nothing was installed.
  fix:    ifguard lint --fix   (fixes what is safe; then `ifguard lint` lists what is left
          to edit by hand at the line shown)
  bypass: IFGUARD_FORCE=1 apt ...   (this once, logged; a reload may then cut the host off)
  remove: apt purge ifguard         (never refused by this hook)
"""
COULD_NOT_RUN = """\
ifguard: apt refused: the network configuration could not be checked (reason above), and
  package scripts may reload the network. Nothing was installed.
  bypass: IFGUARD_FORCE=1 apt ...   (this once, logged)
  remove: apt purge ifguard         (never refused by this hook)
"""


def run(args: argparse.Namespace) -> int:
    import subprocess

    # apt always gives a pipe; on a terminal (someone trying it by hand) nothing is waited for
    actions = [] if sys.stdin.isatty() else read_actions(sys.stdin.buffer)
    if removes_ifguard(actions):
        print("ifguard: apt hook: ifguard is being removed: not checked", file=sys.stderr)
        return 0
    argv = [sys.executable, "-m", "ifguard", "lint", "--gate", "-q", "--configuration", "running"]
    if args.root:
        argv += ["--root", args.root]
    status = subprocess.run(argv, check=False, stdin=subprocess.DEVNULL, cwd="/").returncode
    if status == 0:
        return 0
    print(REFUSED if status == 1 else COULD_NOT_RUN, end="", file=sys.stderr)
    return 1
