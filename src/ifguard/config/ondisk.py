"""The configuration as it is on disk under a root: its files (the main file and what it
sources, each read once, bounded) and its model. Shared by apply, status, watch and the
commands that compare with the current configuration."""

from __future__ import annotations

from pathlib import Path

from ifguard.config.model import Config, build
from ifguard.config.source import DEFAULT_INTERFACES, load
from ifguard.system.root import Root


def current_files(root: Root, main: str = DEFAULT_INTERFACES) -> dict[str, bytes]:
    """The configuration as the host reads it: the main file and what it sources, as system
    path -> the bytes read (bounded, through ``config.source``; not read a second time)."""
    path = root.path(main)
    if not path.exists():
        return {}
    loaded = load([path], root)
    return {root.system_path(Path(d.path)): d.data for d in loaded.documents}


def config_on_disk(root: Root) -> Config:
    """The model of ``/etc/network/interfaces`` under ``root`` (empty when there is none)."""
    path = root.path(DEFAULT_INTERFACES)
    if not path.exists():
        return build(())
    return build(load([path], root).documents)
