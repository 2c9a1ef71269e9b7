"""The Debian 12 guest image of the VM lab, built from Debian's packages without loop devices
or mounts (the machines are containers), cached by content.

Two layers, each under ``CACHE/<key>/``:

* **base** (``base-KEY/root``): ``mmdebstrap --variant=minbase`` of bookworm with the kernel,
  systemd, ifupdown2, Open vSwitch and ifguard's runtime dependencies, an initramfs with only
  the modules needed to find the root disk. Key: the package list, the initramfs hook and
  ``HARNESS_VERSION``. Minutes (downloads) on a fresh machine, once.
* **image** (``image-KEY/``: ``disk.img``, ``vmlinuz``, ``initrd.img``): a copy of the base with
  the project's ``.deb`` installed by apt (dependencies resolved, nothing left to download)
  and the guest's test setup (lab/vm/guest-setup.sh), turned into an ext4 file system with
  ``mke2fs -d``. Key: the base key, the .deb's SHA-256 and the guest setup files.

A finished layer has a ``done`` file; half-built ones are never used. One build at a time
(``CACHE/.lock``). Older layers are removed when a new one is made.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shlex
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
HARNESS_VERSION = "1"
CACHE = Path(os.environ.get("IFGUARD_VM_CACHE", "/var/cache/ifguard-test/vm"))
PACKAGES = (
    "linux-image-amd64",
    "initramfs-tools",
    "systemd-sysv",
    "udev",
    "dbus",
    "kmod",
    "ifupdown2",
    "openvswitch-switch",
    "iproute2",
    "iputils-ping",
    "procps",
    "less",
    # Linux audit: who wrote the guarded files (issue 25, docs/attribution.md); an SSH login
    # that runs sudo -i (the incident's own path)
    "auditd",
    "openssh-server",
    "sudo",
    # ifguard's Depends (debian/control), so that installing the .deb needs no download
    "python3",
    "apprise",
    "python3-prometheus-client",
    "python3-pyroute2",
    "python3-rich",
)
# initramfs-tools: MODULES=list and this hook keep the initrd small (faster boot under TCG)
INITRAMFS_HOOK = """#!/bin/sh
# ifguard VM lab: the modules that find the root disk (virtio) and mount it (ext4)
case "$1" in prereqs) exit 0 ;; esac
. /usr/share/initramfs-tools/hook-functions
for m in virtio_pci virtio_blk ext4 crc32c_generic crc32c; do force_load "$m"; done
"""
# the image layer is rebuilt when any of these change (this file: how it is built)
SETUP_FILES = (
    "guest-setup.sh",
    "interfaces",
    "driver.py",
    "image.py",
    "cluster-interfaces",
    "cluster-node.sh",
    "corosync.conf",
)
DISK_SIZE = "3G"
# the cluster lab's image (lab/vm/cluster.py): the same with Debian's corosync 3 (knet), in
# layers of its own (cluster-base-KEY, cluster-image-KEY): the single-host image and its
# cache stay as they are, and neither prunes the other's
CLUSTER_EXTRA = ("corosync",)


class ImageError(RuntimeError):
    """The image could not be built (one line: what failed)."""


@dataclass(frozen=True)
class Image:
    disk: Path
    kernel: Path
    initrd: Path
    key: str


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(len(p).to_bytes(8, "big") + p)
    return h.hexdigest()[:16]


def _kind(extra: tuple[str, ...]) -> str:
    return "cluster-" if extra else ""


def base_key(extra: tuple[str, ...] = ()) -> str:
    packages = ",".join(PACKAGES + extra)
    return _digest(HARNESS_VERSION.encode(), packages.encode(), INITRAMFS_HOOK.encode())


def image_key(deb: Path, extra: tuple[str, ...] = ()) -> str:
    return _digest(
        base_key(extra).encode(),
        hashlib.sha256(deb.read_bytes()).hexdigest().encode(),
        *((HERE / f).read_bytes() for f in SETUP_FILES),
    )


def _run(argv: list[str], what: str, timeout: float = 1800) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=timeout)
    if done.returncode != 0:
        tail = (done.stderr.strip() or done.stdout.strip()).splitlines()[-15:]
        raise ImageError(f"{what} failed (exit {done.returncode}): " + " | ".join(tail))
    return done.stdout


@contextlib.contextmanager
def _locked(cache: Path) -> Iterator[None]:
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _prune(cache: Path, prefix: str, keep: str) -> None:
    for old in cache.glob(f"{prefix}-*"):
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)


def _mirrors() -> list[str]:
    """Debian's repositories as this machine's apt has them (deb.debian.org otherwise)."""
    sources = Path("/etc/apt/sources.list.d/debian.sources")
    if sources.is_file() and "debian" in sources.read_text():
        return [str(sources)]
    return []


def build_base(cache: Path = CACHE, log: Path | None = None, extra: tuple[str, ...] = ()) -> Path:
    """The base root directory (built when missing). Call with the cache lock held."""
    key = base_key(extra)
    layer = cache / f"{_kind(extra)}base-{key}"
    if (layer / "done").exists():
        return layer / "root"
    shutil.rmtree(layer, ignore_errors=True)
    layer.mkdir(parents=True)
    hook = layer / "initramfs-hook"
    hook.write_text(INITRAMFS_HOOK)
    essential = (
        'mkdir -p "$1/etc/initramfs-tools/conf.d" "$1/etc/initramfs-tools/hooks" && '
        'echo MODULES=list > "$1/etc/initramfs-tools/conf.d/ifguard-vm.conf" && '
        f'install -m 0755 {shlex.quote(str(hook))} "$1/etc/initramfs-tools/hooks/ifguard-vm"'
    )
    # ifupdown2's package stays in the image: `apt-get install --reinstall ifupdown2` (a
    # package upgrade's network reload) must work in a guest that has no mirror to reach
    keep = (
        'mkdir -p "$1/var/lib/ifguard-vm" && '
        'cp "$1"/var/cache/apt/archives/ifupdown2_*.deb "$1/var/lib/ifguard-vm/"'
    )
    started = time.monotonic()
    _run(
        [
            "mmdebstrap",
            "--mode=root",
            "--variant=minbase",
            "--include=" + ",".join(PACKAGES + extra),
            "--essential-hook=" + essential,
            "--customize-hook=" + keep,
            "--skip=cleanup/apt/lists",
            "bookworm",
            str(layer / "root"),
            *_mirrors(),
        ],
        "mmdebstrap (base image)",
    )
    (layer / "done").write_text(f"{time.monotonic() - started:.0f} s\n")
    if log:
        log.write_text(f"base {key} built in {time.monotonic() - started:.0f} s\n")
    _prune(cache, f"{_kind(extra)}base", layer.name)
    return layer / "root"


def _in_root(root: Path, script: str) -> str:
    """``sh -c SCRIPT`` chrooted into ``root`` with /proc, /sys, /dev in a private mount
    namespace (nothing stays mounted)."""
    r = shlex.quote(str(root))
    setup = (
        f"mount -t proc proc {r}/proc && mount --rbind /dev {r}/dev && "
        f"mount -t sysfs sysfs {r}/sys && "
        f"exec chroot {r} /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "
        f"LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive sh -c {shlex.quote(script)}"
    )
    return _run(["unshare", "--mount", "--propagation", "private", "sh", "-c", setup], script)


def build(deb: Path, cache: Path = CACHE, extra: tuple[str, ...] = ()) -> tuple[Image, float]:
    """The guest image for ``deb`` (built when missing) and the seconds it took (0: cached);
    ``extra``: packages beyond PACKAGES (CLUSTER_EXTRA: the cluster lab's image)."""
    for tool in ("mmdebstrap", "mke2fs", "unshare", "chroot"):
        if shutil.which(tool) is None:
            raise ImageError(f"{tool} not installed (bash scripts/dev-setup.sh installs it)")
    key = image_key(deb, extra)
    layer = cache / f"{_kind(extra)}image-{key}"
    image = Image(layer / "disk.img", layer / "vmlinuz", layer / "initrd.img", key)
    if (layer / "done").exists():
        return image, 0.0
    with _locked(cache):
        if (layer / "done").exists():
            return image, 0.0
        started = time.monotonic()
        base = build_base(cache, extra=extra)
        shutil.rmtree(layer, ignore_errors=True)
        layer.mkdir(parents=True)
        work = Path(tempfile.mkdtemp(prefix="root-", dir=layer))
        try:
            root = work / "root"
            _run(["cp", "-a", "--reflink=auto", str(base), str(root)], "copy of the base root")
            setup = root / "tmp/ifguard-vm"
            setup.mkdir()
            for name in SETUP_FILES:
                shutil.copy(HERE / name, setup / name)
            _in_root(root, "sh /tmp/ifguard-vm/guest-setup.sh /tmp/ifguard-vm base")
            # kept in the guest for the tests that purge and reinstall it (no mirror there)
            shutil.copy(deb, root / "var/lib/ifguard-vm/ifguard.deb")
            _in_root(
                root,
                "apt-get install -y -q --no-install-recommends /var/lib/ifguard-vm/ifguard.deb",
            )
            _in_root(root, "sh /tmp/ifguard-vm/guest-setup.sh /tmp/ifguard-vm package")
            shutil.rmtree(setup)
            kernels = sorted((root / "boot").glob("vmlinuz-*"))
            initrds = sorted((root / "boot").glob("initrd.img-*"))
            if not kernels or not initrds:
                raise ImageError("no kernel or initrd in the guest's /boot")
            shutil.copy(kernels[-1], image.kernel)
            shutil.copy(initrds[-1], image.initrd)
            _run(
                [
                    "mke2fs",
                    "-q",
                    "-t",
                    "ext4",
                    "-L",
                    "root",
                    "-d",
                    str(root),
                    str(image.disk),
                    DISK_SIZE,
                ],
                "mke2fs -d (guest disk)",
            )
        finally:
            shutil.rmtree(work, ignore_errors=True)
        took = time.monotonic() - started
        (layer / "done").write_text(f"{took:.0f} s\n")
        _prune(cache, f"{_kind(extra)}image", layer.name)
        return image, took
