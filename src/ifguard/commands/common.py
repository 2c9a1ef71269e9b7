"""Command-line glue shared by the subcommands: the location options (``--root``,
``--state-dir``) and turning them into the typed values the layers below take."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from ifguard.system.errors import UsageError
from ifguard.system.paths import STATE_DIR
from ifguard.system.root import Root


def add_root_arg(p: argparse.ArgumentParser, help: str) -> None:
    p.add_argument("--root", metavar="DIR", default="/", help=help)


def add_location_args(p: argparse.ArgumentParser) -> None:
    add_root_arg(p, "treat DIR as / for the configuration files (default: /)")
    p.add_argument(
        "--state-dir",
        metavar="DIR",
        help=f"transaction state and history (default: {STATE_DIR} under --root)",
    )


def root_from(value: str) -> Root:
    """``--root DIR``: an existing directory, resolved."""
    path = Path(value)
    if not path.is_dir():
        raise UsageError(f"--root {value}: not a directory")
    return Root(path.resolve())


def root_of(args: argparse.Namespace) -> Root:
    return root_from(args.root)


def state_dir_of(args: argparse.Namespace) -> Path:
    """``--state-dir DIR``, else the default state directory under ``--root``."""
    if getattr(args, "state_dir", None):
        return Path(args.state_dir).resolve()
    return root_of(args).path(STATE_DIR)


def _ascii_number(text: str, what: str) -> str:
    """``text`` when it is written in ASCII (``٢`` is not 2 here), else an argparse error."""
    stripped = text.strip()
    if not stripped.isascii() or not stripped:
        raise argparse.ArgumentTypeError(f"not {what}: {text!r} (ASCII digits only)")
    return stripped


def integer(low: int, high: int, what: str = "a number") -> Callable[[str], int]:
    """An argparse type: an integer in ``low..high``, ASCII digits only."""

    def parse(text: str) -> int:
        digits = _ascii_number(text, what)
        if not digits.isdigit() or len(digits) > 20:
            raise argparse.ArgumentTypeError(f"not {what}: {text!r}")
        value = int(digits)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"out of range ({low}..{high}): {digits}")
        return value

    return parse


def seconds(low: float = 0.0, high: float = 86400.0) -> Callable[[str], float]:
    """An argparse type: a finite number of seconds in ``low..high``, in ASCII."""

    def parse(text: str) -> float:
        number = _ascii_number(text, "a number of seconds")
        try:
            value = float(number)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
        if not low <= value <= high:  # (NaN compares false: refused too)
            raise argparse.ArgumentTypeError(f"out of range ({low:g}..{high:g}): {number}")
        return value

    return parse


PORT = integer(0, 65535, "a port number")
