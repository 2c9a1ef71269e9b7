"""``--root`` confines reads and writes: chroot semantics for lint, --fix and sources.

Every test puts a victim file *outside* the root that a hostile tree tries to reach.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.test_cli import ifguard

JUNK = "27: eth9: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noop state DOWN\n"
VICTIM = "auto lo\niface lo inet loopback\n" + JUNK


def _tree(tmp_path: Path, interfaces: str) -> tuple[Path, Path]:
    root = tmp_path / "root"
    net = root / "etc" / "network"
    net.mkdir(parents=True)
    (net / "interfaces").write_text(interfaces)
    victim = tmp_path / "victim"
    victim.write_text(VICTIM)
    return root, victim


def _listing(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*"))


@pytest.mark.slow
@pytest.mark.parametrize(
    "line",
    [
        "source ../../../victim",
        "source ../../../../../../../../victim",
        "source /../../victim",
        "source-directory ../../..",
        "source /etc/../../../victim*",
    ],
)
def test_source_traversal_stays_inside_the_root(tmp_path: Path, line: str) -> None:
    root, victim = _tree(tmp_path, f"auto lo\niface lo inet loopback\n{line}\n")
    before = _listing(tmp_path)
    proc = ifguard("lint", "--root", str(root), "--fix")
    # the victim (which has junk) was neither read nor rewritten nor backed up
    assert "victim" not in proc.stdout.replace(line, ""), proc.stdout
    assert "eth9" not in proc.stdout
    assert victim.read_text() == VICTIM
    assert _listing(tmp_path) == before
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_absolute_symlinks_are_followed_inside_the_root(tmp_path: Path) -> None:
    root, victim = _tree(tmp_path, "auto lo\niface lo inet loopback\nsource /etc/network/link\n")
    os.symlink(str(victim), root / "etc/network/link")  # the host path of the victim
    inside = root / str(victim).lstrip("/")
    inside.parent.mkdir(parents=True)
    inside.write_text("iface inside inet manual\n" + JUNK)
    proc = ifguard("lint", "--root", str(root), "--fix")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert victim.read_text() == VICTIM  # the host's file is untouched
    assert "eth9" not in inside.read_text()  # the file inside the root was fixed
    assert os.path.islink(root / "etc/network/link")
    assert not (victim.parent / f".{victim.name}.ifguard-bak").exists()


@pytest.mark.slow
def test_main_file_symlink_to_an_absolute_path_is_re_rooted(tmp_path: Path) -> None:
    root, victim = _tree(tmp_path, "")
    main = root / "etc/network/interfaces"
    main.unlink()
    os.symlink(str(victim), main)
    proc = ifguard("lint", "--root", str(root))
    assert proc.returncode == 2, proc.stdout
    assert "no such file" in proc.stderr and "eth9" not in proc.stdout


@pytest.mark.slow
def test_a_symlink_loop_in_a_source_is_a_diagnostic(tmp_path: Path) -> None:
    root, _ = _tree(tmp_path, "auto lo\niface lo inet loopback\nsource /etc/network/a\n")
    os.symlink("b", root / "etc/network/a")
    os.symlink("/etc/network/a", root / "etc/network/b")
    proc = ifguard("lint", "--root", str(root))
    assert proc.returncode == 1, proc.stderr
    assert "IFG201" in proc.stdout and "symbolic link loop" in proc.stdout
    assert "Traceback" not in proc.stderr


@pytest.mark.slow
def test_a_symlink_loop_on_the_host_root_is_a_diagnostic(tmp_path: Path) -> None:
    (tmp_path / "interfaces").write_text(f"auto lo\nsource {tmp_path}/a\n")
    os.symlink("b", tmp_path / "a")
    os.symlink("a", tmp_path / "b")
    proc = ifguard("lint", str(tmp_path / "interfaces"))
    assert proc.returncode == 1 and "symbolic link loop" in proc.stdout, proc.stdout
    assert "Traceback" not in proc.stderr


@pytest.mark.slow
def test_a_symlink_loop_as_the_main_file_is_one_line(tmp_path: Path) -> None:
    os.symlink("b", tmp_path / "a")
    os.symlink("a", tmp_path / "b")
    proc = ifguard("lint", str(tmp_path / "a"))
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert "symbolic link loop" in proc.stderr


@pytest.mark.slow
def test_install_never_writes_through_an_absolute_symlink_out_of_the_root(
    tmp_path: Path,
) -> None:
    """`install --root` once followed R/etc/apt/apt.conf.d -> /etc/apt/apt.conf.d and wrote
    the apt hook into the host's apt configuration."""
    root, _ = _tree(tmp_path, "auto lo\niface lo inet loopback\n")
    victim_dir = tmp_path / "host-apt.conf.d"
    victim_dir.mkdir()
    (root / "etc/apt").mkdir(parents=True)
    os.symlink(str(victim_dir), root / "etc/apt/apt.conf.d")
    proc = ifguard("install", "--root", str(root), "--gates")
    assert os.listdir(victim_dir) == []  # nothing written on the "host"
    assert "Traceback" not in proc.stderr
    if proc.returncode == 0:  # written inside the root, where the link re-roots
        assert (root / str(victim_dir).lstrip("/") / "80ifguard").is_file()
    else:
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    os.unlink(root / "etc/apt/apt.conf.d")
    os.symlink("/etc/apt/apt.conf.d", root / "etc/apt/apt.conf.d")  # a link to itself, re-rooted
    proc = ifguard("install", "--root", str(root), "--gates")
    assert proc.returncode == 2 and "symbolic links" in proc.stderr, proc.stderr
