"""A throw-away copy of a clean Debian 12 root (scripts/deb-root.sh, made by mmdebstrap from
Debian's repositories only) to install the built .deb into, and commands run inside it.

Every command runs in its own private mount namespace (``unshare -m``) with /proc, /dev and
/sys mounted into the copy and the shared .deb cache bound on its /var/cache/apt/archives, so
nothing stays mounted when it ends. No systemd runs inside: maintainer scripts enable units
but start none (as in an image build).
"""

from __future__ import annotations

import atexit
import functools
import os
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.conftest import REPO

CACHE = Path(os.environ.get("IFGUARD_DEB_ROOT_CACHE", "/var/cache/ifguard-test"))
ARCHIVES = CACHE / "archives"
# Changed by apt/dpkg/man-db bookkeeping on any install, not files of a package.
VOLATILE = (
    "proc",
    "sys",
    "dev",
    "run",
    "tmp",
    "var/cache/apt",
    "var/lib/apt",
    "var/lib/dpkg",
    "var/log",
    "var/cache/debconf",
    "var/cache/man",
    "var/cache/ldconfig",
    "etc/ld.so.cache",
)


def root_tarball() -> Path:
    """The cached clean root (made by scripts/deb-root.sh when missing: a few minutes)."""
    done = subprocess.run(
        ["bash", str(REPO / "scripts/deb-root.sh")],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"scripts/deb-root.sh failed: {done.stderr.strip()[-2000:]}")
    return Path(done.stdout.strip().splitlines()[-1])


def unpack(tarball: Path, target: Path) -> Path:
    target.mkdir()
    subprocess.run(["tar", "--numeric-owner", "-xpf", str(tarball), "-C", str(target)], check=True)
    resolv = Path("/etc/resolv.conf")
    if resolv.is_file():
        (target / "etc/resolv.conf").unlink(missing_ok=True)
        shutil.copyfile(resolv, target / "etc/resolv.conf")
    return target


def archives() -> Path:
    """The shared .deb cache bound on a root's /var/cache/apt/archives, made when missing
    (a fresh machine has none yet: every test that binds it calls this, in any order)."""
    (ARCHIVES / "partial").mkdir(parents=True, exist_ok=True)
    return ARCHIVES


def run(
    root: Path, script: str, *, shell: str = "/bin/sh", timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """``SHELL -c SCRIPT`` chrooted into ``root``, in a private mount namespace."""
    r = shlex.quote(str(root))
    setup = (
        f"mount -t proc proc {r}/proc && mount --rbind /dev {r}/dev && "
        f"mount -t sysfs sysfs {r}/sys && "
        f"mount --bind {shlex.quote(str(archives()))} {r}/var/cache/apt/archives && "
        f"exec chroot {r} /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "
        f"LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive {shell} -c {shlex.quote(script)}"
    )
    return subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", setup],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def files(root: Path) -> set[str]:
    """Every path under the root (as the root sees it) outside the volatile places."""
    out: set[str] = set()
    skip = {str(root / v) for v in VOLATILE}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if os.path.join(dirpath, d) not in skip]
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            if full not in skip:
                out.add("/" + os.path.relpath(full, root))
    return out


@functools.cache
def built_deb() -> Path:
    """$IFGUARD_DEB, or the package built from this checkout by scripts/build-deb.sh (once per
    test run: the package and the Ansible tests share it)."""
    given = os.environ.get("IFGUARD_DEB")
    if given:
        return Path(given).resolve()
    out = Path(tempfile.mkdtemp(prefix="ifguard-deb-"))
    atexit.register(shutil.rmtree, out, True)
    done = subprocess.run(
        ["bash", str(REPO / "scripts/build-deb.sh")],
        env={**os.environ, "IFGUARD_DEB_OUT": str(out)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (found,) = out.glob("ifguard_*_all.deb")
    return found


def in_memory_dir(fallback: Path) -> Path:
    """A fresh directory in /dev/shm when there is one (dpkg's fsyncs and the clean-up take a
    minute on disk), else ``fallback``."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return Path(tempfile.mkdtemp(prefix="ifguard-pkg-", dir=shm))
    return fallback
