"""Command-line glue shared by the subcommands: the location options (``--root``,
``--state-dir``) and turning them into the typed values the layers below take."""

from __future__ import annotations

import argparse
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
