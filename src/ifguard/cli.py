"""The ``ifguard`` command line. Subcommands live in ``ifguard.commands.*``; each module is
light to import (heavy libraries are imported inside ``run``) so ``ifguard lint`` starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from ifguard import __version__
from ifguard.system.errors import UsageError

# One entry per subcommand module, in the order `ifguard --help` lists them.
COMMANDS: tuple[str, ...] = (
    "ifguard.commands.lint",
    "ifguard.commands.explain",
    "ifguard.commands.rules",
    "ifguard.commands.watch",
    "ifguard.commands.apply",
    "ifguard.commands.try",
    "ifguard.commands.confirm",
    "ifguard.commands.rollback",
    "ifguard.commands.status",
    "ifguard.commands.drift",
    "ifguard.commands.probe",
    "ifguard.commands.plan",
    "ifguard.commands.history",
    "ifguard.commands.diff",
    "ifguard.commands.restore",
    "ifguard.commands.reload",
    "ifguard.commands.doctor",
    "ifguard.commands.install",
    "ifguard.commands.uninstall",
    "ifguard.commands.apthook",
)

DESCRIPTION = """\
Keep /etc/network/interfaces from taking the host offline.

  ifguard lint                      check /etc/network/interfaces (+ interfaces.new)
  ifguard lint FILE --fix           remove pasted junk and other safe problems
  ifguard explain IFG101            what a rule catches and how to fix it
  ifguard rules                     every rule with its code
"""


class Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def _load(name: str) -> ModuleType:
    return importlib.import_module(name)


def build_parser(only: str | None = None) -> Parser:
    parser = Parser(
        prog="ifguard",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ifguard {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module_name in COMMANDS:
        if only and not module_name.endswith("." + only.replace("-", "_")):
            continue
        module = _load(module_name)
        cmd = sub.add_parser(
            module.NAME,
            help=module.HELP,
            description=module.DESCRIPTION,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.configure(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _tolerant_streams()
    args_list = list(sys.argv[1:] if argv is None else argv)
    # Import only the requested command's module: start-up time matters for hooks.
    first = next((a for a in args_list if not a.startswith("-")), None)
    known = {m.rsplit(".", 1)[1].replace("_", "-") for m in COMMANDS}
    try:
        parser = build_parser(first if first in known else None)
        args = parser.parse_args(args_list)
        if not getattr(args, "_run", None):
            parser.print_help()
            return 2
        code: int = args._run(args)
        return code
    except UsageError as exc:
        _error(str(exc))
        return 2
    except (OSError, RuntimeError, MemoryError, RecursionError) as exc:
        # Last line of defence: commands map what they expect to UsageError; anything else a
        # hostile file or filesystem causes is still one line and "could not run", never a
        # traceback and never exit 1 ("errors found").
        if isinstance(exc, BrokenPipeError):
            return 0
        what = f"{exc.filename}: " if isinstance(exc, OSError) and exc.filename else ""
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        _error(f"{what}{reason or type(exc).__name__}")
        return 2
    except KeyboardInterrupt:
        print("ifguard: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _error(message: str) -> None:
    from ifguard.system.sanitize import printable

    print(f"ifguard: error: {printable(message)}", file=sys.stderr)


def _tolerant_streams() -> None:
    """Whatever encoding stdout/stderr have (``PYTHONIOENCODING=ascii``, a C locale), a
    character they cannot encode is written as an escape instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def run() -> NoReturn:
    sys.exit(main())
