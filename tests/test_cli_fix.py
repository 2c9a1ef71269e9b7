"""`ifguard lint --fix` is safe: it never changes what the file means beyond what it removes,
never touches templates or free text, writes through symlinks, survives concurrent runs, and
on any write failure exits 2 with one line, the original intact and no temporary files."""

from __future__ import annotations

import contextlib
import os
import struct
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import ifguard_as_nobody
from tests.test_cli import ifguard

LO = "auto lo\niface lo inet loopback\n"
JUNK = "27: eth9: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noop state DOWN\n"
FIXABLE = LO + "iface eth0 inet manual\n" + JUNK


def _listing(directory: Path) -> list[str]:
    return sorted(os.listdir(directory))


def _one_line_2(proc: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert fragment in proc.stderr, proc.stderr


# -- meaning ------------------------------------------------------------------------------


@pytest.mark.slow
def test_multi_line_mako_block_is_never_fixed(tmp_path: Path) -> None:
    text = (
        LO
        + "iface eth0 inet manual\n"
        + "<%\n  vlans = {\n    '[a]': 10,\n    '-b': 20,\n  }\n%>\n"
        + "% for name, v in vlans.items():\n"
        + "auto vlan${v}\niface vlan${v}\n    vlan-raw-device eth0\n    [...]\n"
        + "% endfor\n"
    )
    f = tmp_path / "interfaces"
    f.write_text(text)
    ifguard("lint", "--fix", str(f))
    assert f.read_text() == text


@pytest.mark.slow
def test_free_text_alias_is_not_junk(tmp_path: Path) -> None:
    f = tmp_path / "interfaces"
    text = LO + "iface eth0 inet manual\n    alias UP to core-sw1\n    description eth0 UP x\n"
    f.write_text(text)
    proc = ifguard("lint", "--fix", str(f))
    assert proc.returncode == 0 and "IFG101" not in proc.stdout, proc.stdout
    assert f.read_text() == text


@pytest.mark.slow
def test_removing_a_repeated_auto_never_moves_options(tmp_path: Path) -> None:
    f = tmp_path / "interfaces"
    text = "auto eth0\niface eth0 inet static\n    address 10.0.0.1/24\nauto eth0\n    mtu 9000\n"
    f.write_text(text)
    proc = ifguard("lint", "--fix", str(f))
    assert f.read_text() == text  # the fix would make `mtu` an option of eth0: dropped
    assert proc.returncode == 1 and "IFG110" in proc.stdout


@pytest.mark.slow
def test_merge_conflict_gets_no_fix(tmp_path: Path) -> None:
    f = tmp_path / "interfaces"
    text = (
        LO + "<<<<<<< HEAD\niface eth0 inet dhcp\n=======\niface eth0 inet static\n"
        "    address 10.0.0.1/24\n>>>>>>> branch\n"
    )
    f.write_text(text)
    proc = ifguard("lint", "--fix", str(f))
    assert proc.returncode == 1 and "All clear" not in proc.stdout
    assert f.read_text() == text


# -- writing -------------------------------------------------------------------------------


@pytest.mark.slow
def test_fix_writes_through_a_symlink_and_keeps_it(tmp_path: Path) -> None:
    target = tmp_path / "real" / "interfaces"
    target.parent.mkdir()
    target.write_text(FIXABLE)
    link = tmp_path / "interfaces"
    link.symlink_to(target)
    proc = ifguard("lint", "--fix", str(link))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert "eth9" not in target.read_text()
    assert (target.parent / ".interfaces.ifguard-bak").read_text() == FIXABLE


@pytest.mark.slow
def test_concurrent_fixes_keep_the_original_in_the_backup(tmp_path: Path) -> None:
    for trial in range(3):
        f = tmp_path / f"t{trial}" / "interfaces"
        f.parent.mkdir()
        f.write_text(FIXABLE)
        with ThreadPoolExecutor(10) as pool:
            procs = list(pool.map(lambda p: ifguard("lint", "-q", "--fix", p), [str(f)] * 10))
        assert all(p.returncode == 0 for p in procs), [p.stderr for p in procs]
        assert (f.parent / ".interfaces.ifguard-bak").read_text() == FIXABLE, trial
        assert "eth9" not in f.read_text()
        assert _listing(f.parent) == [".interfaces.ifguard-bak", "interfaces"]


@pytest.mark.slow
def test_owner_mode_acl_and_xattrs_are_kept(tmp_path: Path) -> None:
    f = tmp_path / "interfaces"
    f.write_text(FIXABLE)
    os.chmod(f, 0o640)
    os.chown(f, 1234, 5678)
    acl = struct.pack("<I", 2) + b"".join(
        struct.pack("<HHI", tag, perm, uid)
        for tag, perm, uid in [
            (1, 6, 0xFFFFFFFF),
            (2, 4, 1000),
            (4, 4, 0xFFFFFFFF),
            (0x10, 4, 0xFFFFFFFF),
            (0x20, 0, 0xFFFFFFFF),
        ]
    )
    try:
        os.setxattr(f, "system.posix_acl_access", acl)
        os.setxattr(f, "user.origin", b"pve")
    except OSError as exc:
        pytest.skip(f"the filesystem under {tmp_path} has no ACLs/xattrs: {exc}")
    before = os.stat(f)
    proc = ifguard("lint", "--fix", str(f))
    assert proc.returncode == 0, proc.stderr
    after = os.stat(f)
    assert after.st_ino != before.st_ino  # a new inode...
    assert (after.st_uid, after.st_gid, after.st_mode) == (1234, 5678, before.st_mode)
    assert os.getxattr(f, "system.posix_acl_access") == acl  # ...with the ACL and xattrs
    assert os.getxattr(f, "user.origin") == b"pve"
    bak = tmp_path / ".interfaces.ifguard-bak"
    assert (bak.stat().st_uid, bak.stat().st_gid) == (1234, 5678)
    assert os.getxattr(bak, "user.origin") == b"pve"


def _intact(f: Path, text: str) -> None:
    assert f.read_text() == text
    assert not [n for n in os.listdir(f.parent) if n.endswith(".tmp")], os.listdir(f.parent)


@pytest.mark.slow
def test_immutable_file(tmp_path: Path) -> None:
    f = tmp_path / "interfaces"
    f.write_text(FIXABLE)
    if subprocess.run(["chattr", "+i", str(f)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not supported here")
    try:
        before = _listing(tmp_path)
        _one_line_2(ifguard("lint", "--fix", str(f)), "cannot write the fix")
        _intact(f, FIXABLE)
        assert _listing(tmp_path) == before  # no backup of nothing either
    finally:
        subprocess.run(["chattr", "-i", str(f)], check=False)


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)], capture_output=True
        ).returncode
    ):
        pytest.skip("cannot mount a small tmpfs (needs root and mount privileges)")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


@pytest.mark.slow
def test_full_filesystem(small_fs: Path) -> None:
    f = small_fs / "interfaces"
    text = FIXABLE + "#" * 20_000 + "\n"
    f.write_text(text)
    with contextlib.suppress(OSError), (small_fs / "filler").open("wb") as fh:
        fh.write(b"\0" * 200_000)  # fill the rest (ENOSPC ends it)
    _one_line_2(ifguard("lint", "--fix", str(f)), "No space left on device")
    _intact(f, text)


@pytest.mark.slow
def test_a_directory_where_the_backup_goes(tmp_path: Path) -> None:
    f = tmp_path / "interfaces"
    f.write_text(FIXABLE)
    (tmp_path / ".interfaces.ifguard-bak").mkdir()
    _one_line_2(ifguard("lint", "--fix", str(f)), "cannot write the fix")
    _intact(f, FIXABLE)


@pytest.mark.slow
def test_a_245_character_name(tmp_path: Path) -> None:
    f = tmp_path / ("i" * 245)
    f.write_text(FIXABLE)
    _one_line_2(ifguard("lint", "--fix", str(f)), "name too long")
    _intact(f, FIXABLE)


@pytest.mark.slow
def test_no_write_permission_on_the_directory(public_tmp: Path) -> None:
    """As an unprivileged user who may write the file but not its directory."""
    if os.geteuid() != 0 or not Path("/usr/bin/python3").exists():
        pytest.skip("needs root (to drop to nobody) and the system python3")
    d = public_tmp / "net"
    d.mkdir(mode=0o755)
    f = d / "interfaces"
    f.write_text(FIXABLE)
    f.chmod(0o666)
    proc = ifguard_as_nobody("lint", "--fix", str(f))
    _one_line_2(proc, "Permission denied")
    _intact(f, FIXABLE)
    assert _listing(d) == ["interfaces"]
