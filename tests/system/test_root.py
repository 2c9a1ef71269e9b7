"""Root: chroot semantics for every path resolved under ``--root``."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from ifguard.system.root import Root


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Root, Path]:
    root = tmp_path / "root"
    (root / "etc" / "network").mkdir(parents=True)
    (root / "etc" / "pve").mkdir()
    victim = tmp_path / "victim"
    victim.write_text("outside\n")
    return Root(root), victim


def test_dotdot_stops_at_the_root(tree: tuple[Root, Path]) -> None:
    root, _ = tree
    assert root.path("/../../victim") == root.prefix / "victim"
    assert root.path("/etc/network/../../../../victim") == root.prefix / "victim"
    assert root.resolve("/etc/../..") == "/"


def test_absolute_symlinks_are_re_rooted(tree: tuple[Root, Path]) -> None:
    root, victim = tree
    (root.prefix / "etc/pve/interfaces").write_text("auto lo\n")
    os.symlink("/etc/pve/interfaces", root.prefix / "etc/network/interfaces")
    os.symlink(str(victim), root.prefix / "etc/network/escape")
    assert root.path("/etc/network/interfaces") == root.prefix / "etc/pve/interfaces"
    # a link to the victim's host path names a (missing) path inside the root
    assert root.path("/etc/network/escape") == root.prefix / str(victim).lstrip("/")


def test_relative_symlinks_cannot_climb_out(tree: tuple[Root, Path]) -> None:
    root, _ = tree
    os.symlink("../../../../../victim", root.prefix / "etc/network/up")
    assert root.path("/etc/network/up") == root.prefix / "victim"
    os.symlink("..", root.prefix / "etc/network/parent")
    assert root.path("/etc/network/parent/network/parent/../../x") == root.prefix / "x"


def test_a_loop_is_an_oserror_eloop(tree: tuple[Root, Path]) -> None:
    root, _ = tree
    os.symlink("b", root.prefix / "etc/network/a")
    os.symlink("/etc/network/a", root.prefix / "etc/network/b")
    with pytest.raises(OSError) as info:
        root.path("/etc/network/a")
    assert info.value.errno == errno.ELOOP


def test_missing_components_are_kept(tree: tuple[Root, Path]) -> None:
    root, _ = tree
    assert root.path("/var/lib/ifguard/x.db") == root.prefix / "var/lib/ifguard/x.db"
    assert root.path("/nope/../etc") == root.prefix / "etc"


def test_glob_matches_inside_the_root_only(tree: tuple[Root, Path]) -> None:
    root, victim = tree
    d = root.prefix / "etc/network/interfaces.d"
    d.mkdir()
    (d / "b").write_text("")
    (d / "a").write_text("")
    (d / ".hidden").write_text("")
    os.symlink(str(victim), d / "c")
    got = root.glob("/etc/network/interfaces.d/*")
    assert got[:2] == [d / "a", d / "b"]
    assert len(got) == 2  # c points at a path that does not exist inside the root
    assert root.glob("/etc/*/../../../../*") == sorted(
        root.prefix / n for n in os.listdir(root.prefix)
    )


def test_host_root_leaves_paths_to_the_kernel() -> None:
    root = Root()
    assert root.is_host and root.follow_symlinks
    assert root.path("etc/network/interfaces") == Path("/etc/network/interfaces")
    assert root.real(Path("/x/y")) == Path("/x/y")


def test_paths_named_on_the_command_line(tree: tuple[Root, Path]) -> None:
    root, victim = tree
    os.symlink(str(victim), root.prefix / "etc/network/interfaces")
    assert root.real(root.prefix / "etc/network/interfaces") == root.prefix / str(victim).lstrip(
        "/"
    )
    assert root.real(victim) == victim  # outside the root: as given


def test_entry_does_not_follow_the_last_link(tree: tuple[Root, Path]) -> None:
    root, victim = tree
    os.symlink(str(victim), root.prefix / "etc/network/link")
    os.symlink("/etc/network", root.prefix / "etc/net")
    assert root.entry("/etc/net/link") == root.prefix / "etc/network/link"
    assert root.entry("/etc/net/../../..") == root.prefix
