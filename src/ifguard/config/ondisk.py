"""The configuration as it is on disk under a root: its files (the main file and what it
sources, each read once, bounded) and its model. Shared by apply, status, watch and the
commands that compare with the current configuration."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from ifguard.config.model import Config, build
from ifguard.config.source import DEFAULT_INTERFACES, Loaded, load
from ifguard.system.root import Root


def current_files(root: Root, main: str = DEFAULT_INTERFACES) -> dict[str, bytes]:
    """The configuration as the host reads it: the main file and what it sources, as system
    path -> the bytes read (bounded, through ``config.source``; not read a second time)."""
    path = root.path(main)
    if not path.exists():
        return {}
    return of_loaded(load([path], root), root).files


def config_on_disk(root: Root) -> Config:
    """The model of ``/etc/network/interfaces`` under ``root`` (empty when there is none)."""
    path = root.path(DEFAULT_INTERFACES)
    if not path.exists():
        return build(())
    return build(load([path], root).documents)


class OnDisk(NamedTuple):
    """The current configuration, read once: its files (system path -> bytes) and model."""

    files: dict[str, bytes]
    config: Config


def of_loaded(loaded: Loaded, root: Root) -> OnDisk:
    """The files and model of what ``config.source.load`` read (no second read)."""
    docs = loaded.documents
    return OnDisk({root.system_path(Path(d.path)): d.data for d in docs}, build(docs))


def on_disk(root: Root) -> OnDisk:
    """``current_files`` and ``config_on_disk`` from one reading of the files."""
    path = root.path(DEFAULT_INTERFACES)
    if not path.exists():
        return OnDisk({}, build(()))
    return of_loaded(load([path], root), root)
