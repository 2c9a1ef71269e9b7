"""``ifguard lint``: check interfaces files without touching the system."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ifguard.lint.engine import HostResult
    from ifguard.system.root import Root

NAME = "lint"
HELP = "check interfaces files for junk, bad values, broken references"
DESCRIPTION = """\
Check the host's configuration or the given files. Nothing in the files is executed.

The host has up to two configurations, each checked on its own: the running one
(/etc/network/interfaces and what it sources) and, on Proxmox, the pending one
(/etc/network/interfaces.new and what it sources: the GUI's Apply and the next boot move
it over interfaces). Diagnostics of the pending one say `pending interfaces.new:`.

Names are checked against the host's NICs (/sys/class/net) only for the host's own
configuration (no PATH, or --root); for files given by path only with --host-nics or
--nics, so a file gets the same verdict on any machine. Such findings are warnings, and
errors where the missing NICs cut the management path (docs/boot.md): never for the NICs
of a --root tree linting a file given by path, which are only a hint.

examples:
  ifguard lint                                  the host's own configuration
  ifguard lint --configuration running          only what a reload reads now
  ifguard lint /etc/network/interfaces.new      a candidate before applying it
  ifguard lint --root /mnt/rescue               a mounted system (DIR is treated as /)
  ifguard lint FILE --nics eno1,eno2            in CI: the target host's NICs
  ifguard lint FILE --fix                       apply safe fixes (a backup is kept)
  ifguard lint FILE --diff                      show the safe fixes, write nothing
  ifguard lint FILE --format json               machine-readable output
  ifguard lint --select IFG1 --ignore IFG106    only some rules

exit status: 0 no errors (warnings allowed), 1 errors found, 2 could not run.
suppress one line with a comment above it:  # ifguard: ignore[IFG101]

limits: only regular files are read (a FIFO, a device or a directory: exit 2 for a named
file, an IFG201 error for a sourced one), none on /proc, /sys or another kernel file
system, at most 16 MiB each and 16 MiB / 4096 files over all a configuration sources;
at most 500 diagnostics per file and severity are shown; stdin ('-') must be a
regular file or a pipe (same limit). Under --root every path, `source` line and symbolic
link is resolved as if DIR were / (`..` stops at DIR; absolute links stay inside it).
"""


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files to check ('-' for stdin); default: /etc/network/interfaces "
        "and interfaces.new under --root",
    )
    p.add_argument(
        "--root",
        metavar="DIR",
        help="treat DIR as / when resolving the default files and `source` lines "
        "(default: /); the files are then that host's own",
    )
    p.add_argument(
        "--configuration",
        choices=("all", "running", "pending"),
        default="all",
        help="which of the host's configurations to check (default: all; the reload gates "
        "check `running`: what ifreload reads)",
    )
    nics = p.add_mutually_exclusive_group()
    nics.add_argument(
        "--host-nics",
        action="store_true",
        help="check names against this host's NICs (/sys/class/net under --root) even for "
        "files given by path",
    )
    nics.add_argument(
        "--nics",
        metavar="NAMES",
        help="comma-separated NIC names of the target host to check names against (for CI)",
    )
    p.add_argument(
        "--format",
        choices=("text", "json", "sarif", "github"),
        default="text",
        help="output format (default: text)",
    )
    p.add_argument(
        "--select",
        metavar="CODES",
        help="comma-separated codes, prefixes (IFG1) or names to check (default: all)",
    )
    p.add_argument("--ignore", metavar="CODES", help="comma-separated codes or names to skip")
    p.add_argument(
        "--config",
        metavar="FILE",
        type=Path,
        help="settings file (default: [tool.ifguard] in ./pyproject.toml, "
        "else /etc/ifguard/ifguard.toml)",
    )
    p.add_argument(
        "--gate",
        action="store_true",
        help="run as a reload/apt gate: only the system settings (/etc/ifguard/ifguard.toml "
        "under --root) count, never ./pyproject.toml or --config; the current directory is "
        "left for /. Any exit status but 0 means: refuse. IFGUARD_FORCE=1 lets one run "
        "through unchecked (logged to stderr and syslog)",
    )
    p.add_argument(
        "--dialect",
        choices=("ifupdown", "ifupdown2", "ifupdown-ng"),
        help="override dialect detection",
    )
    p.add_argument("--no-follow", action="store_true", help="do not read sourced files")
    fixes = p.add_mutually_exclusive_group()
    fixes.add_argument(
        "--fix",
        action="store_true",
        help="apply safe fixes in place (atomic write, backup .NAME.ifguard-bak)",
    )
    fixes.add_argument(
        "--diff", action="store_true", help="print the safe fixes as a unified diff; write nothing"
    )
    p.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="only the diagnostic lines, no source excerpt or summary",
    )
    p.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour text output (default: when writing to a terminal)",
    )


def _codes(value: str | None) -> tuple[str, ...]:
    return tuple(c.strip() for c in (value or "").split(",") if c.strip())


def run(args: argparse.Namespace) -> int:
    import gc

    # A short-lived process that allocates ~3 objects per line and frees nothing until exit:
    # the cyclic collector would only rescan them (20% of the run on a 50k-line file).
    gc.disable()

    from ifguard.config.source import CONFIGURATIONS, load_text
    from ifguard.lint import engine as lint
    from ifguard.lint.settings import load_settings, selectors
    from ifguard.system.errors import UsageError
    from ifguard.system.root import Root

    if not Path(args.root or "/").is_dir():
        raise UsageError(f"--root {args.root}: not a directory")
    root = Root(Path(args.root or "/").absolute())
    if args.gate:
        from ifguard.commands.lintgate import gate_settings

        settings = gate_settings(args, root)
        if settings is None:
            return 0
    else:
        settings = load_settings(args.config, root, Path.cwd())
    if args.select:
        settings = settings._replace(
            select=selectors(list(_codes(args.select)), "--select", "command line")
        )
    if args.ignore:
        extra = selectors(list(_codes(args.ignore)), "--ignore", "command line")
        settings = settings._replace(ignore=settings.ignore + extra)
    if args.paths and args.configuration != "all":
        raise UsageError("--configuration chooses among the host's own files: give no PATH")
    nics = _nics(args, root)
    # --root DIR FILE: DIR's NICs are a hint for a file given by path, not its host's
    of_host = args.nics is not None or args.host_nics or not args.paths
    if args.paths == ["-"]:
        if args.fix:
            raise UsageError("--fix cannot rewrite stdin; use --diff")
        loaded = load_text(_stdin(), "<stdin>")
        one = lint.lint_loaded(
            loaded, settings, dialect=args.dialect, nics=nics, nics_of_host=of_host
        )
        result = lint.HostResult((one,))
    else:
        paths = [Path(p) for p in args.paths] or None
        configs = CONFIGURATIONS if args.configuration == "all" else (args.configuration,)

        def again() -> lint.HostResult:
            return lint.lint_host(
                root,
                settings,
                paths=paths,
                configs=configs,
                nics=nics,
                nics_of_host=of_host,
                dialect=args.dialect,
                follow=not args.no_follow,
            )

        result = again()
        if not result.results:
            print(f"ifguard: no {args.configuration} configuration on this host", file=sys.stderr)
            return 0
    diagnostics = result.diagnostics
    docs = result.loaded.documents
    if args.diff:
        from ifguard.lint import fixer

        sys.stdout.write("".join(f.diff() for f in fixer.fix(docs, diagnostics)))
        return 1 if result.errors else 0
    if args.fix:
        from ifguard.lint.fixloop import fix_until_stable

        result = fix_until_stable(result, again, lambda line: print(line, file=sys.stderr))
        diagnostics, docs = result.diagnostics, result.loaded.documents
    _print(args, diagnostics, docs)
    if result.omitted:
        from ifguard.lint.engine import MAX_PER_FILE, MAX_TOTAL

        print(
            f"ifguard: {result.omitted} more diagnostic(s) not shown (at most {MAX_PER_FILE} "
            f"per file and {MAX_TOTAL} in all, per severity)",
            file=sys.stderr,
        )
    if args.format == "text" and not args.quiet:
        note = _management_note(result)
        if note:
            print(note)
    return 1 if result.errors else 0


def _management_note(result: HostResult) -> str | None:
    from ifguard.network.state import management_change

    running, pending = result.of("running"), result.of("pending")
    if running is None or pending is None:
        return None
    change = management_change(running.config, pending.config)
    if change is None:
        return None
    return (
        f"note: pending interfaces.new changes the management path: {change} "
        "(Apply in the GUI or the next boot puts it in place; `ifguard apply` does it with "
        "a rollback)"
    )


def _nics(args: argparse.Namespace, root: Root) -> frozenset[str] | None:
    """The NIC names to check against: the host's for its own files (no PATH, or --root) or
    with --host-nics; the --nics list; else none (a file's verdict is machine-independent)."""
    from ifguard.lint.engine import inventory

    if args.nics is not None:
        return frozenset(n.strip() for n in args.nics.split(",") if n.strip())
    own = not args.paths or (args.root is not None and args.paths != ["-"])
    if args.host_nics or own:
        return inventory(root)
    return None


def _stdin() -> bytes:
    from ifguard.system.errors import UsageError
    from ifguard.system.readfile import describe, read_stdin

    try:
        return read_stdin()
    except OSError as exc:
        raise UsageError(f"stdin: {describe(exc)}") from None


def _print(args: argparse.Namespace, diagnostics: object, docs: object) -> None:
    assert isinstance(diagnostics, tuple) and isinstance(docs, list)
    if args.format == "json":
        from ifguard.lint.report import json

        out = json.render(diagnostics, docs)
    elif args.format == "sarif":
        from ifguard.lint.report import sarif

        out = sarif.render(diagnostics, docs)
    elif args.format == "github":
        from ifguard.lint.report import github

        out = github.render(diagnostics, docs)
    else:
        from ifguard.lint.report import text

        color = args.color == "always" or (
            args.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        )
        out = text.render(diagnostics, docs, color=color, quiet=args.quiet)
        if color:
            from rich.console import Console

            Console(highlight=False, soft_wrap=True).print(out, end="")
            return
    sys.stdout.write(out)
