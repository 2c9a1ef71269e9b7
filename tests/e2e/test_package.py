"""The Debian package as an admin meets it: built from this checkout (scripts/build-deb.sh),
checked by lintian, installed with apt into a clean Debian 12 root that has only Debian's
repositories, used (version, lint, man, completion, units), then purged without a trace.

Set IFGUARD_DEB=path/to/ifguard_*_all.deb to test an already built package. The clean root
is cached in /var/cache/ifguard-test (scripts/deb-root.sh makes it when missing).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, unavailable
from tests.e2e import debroot

pytestmark = pytest.mark.e2e

INCIDENT = REPO / "examples/incident.interfaces"


def _prerequisites() -> None:
    if os.geteuid() != 0:
        unavailable("the package test needs root (chroot, mount namespace, apt)")
    for tool in ("mmdebstrap", "dpkg-buildpackage", "lintian", "unshare"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} not installed (bash scripts/dev-setup.sh installs it)")


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _prerequisites()
    return debroot.built_deb()


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory, deb: Path) -> Iterator[Path]:
    # in memory when /dev/shm is there: dpkg's fsyncs and the clean-up take a minute on disk
    shm = Path("/dev/shm")
    parent = (
        Path(tempfile.mkdtemp(prefix="ifguard-pkg-", dir=shm))
        if shm.is_dir() and os.access(shm, os.W_OK)
        else tmp_path_factory.mktemp("root")
    )
    base = debroot.unpack(debroot.root_tarball(), parent / "root")
    shutil.copy(deb, base / "tmp" / deb.name)
    shutil.copy(INCIDENT, base / "tmp/incident.interfaces")
    yield base
    shutil.rmtree(parent, ignore_errors=True)


def ok(root: Path, script: str, shell: str = "/bin/sh") -> str:
    done = debroot.run(root, script, shell=shell)
    assert done.returncode == 0, f"{script}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def test_lintian_has_no_errors_and_no_unexplained_warnings(deb: Path) -> None:
    done = subprocess.run(["lintian", str(deb)], capture_output=True, text=True, check=False)
    tags = [line for line in done.stdout.splitlines() if re.match(r"^[EW]: ", line)]
    assert tags == [], done.stdout + done.stderr  # overrides carry their reason in a comment


def test_install_use_and_purge_in_a_clean_debian_root(root: Path, deb: Path) -> None:
    sources = ok(root, "cat /etc/apt/sources.list.d/* /etc/apt/sources.list 2>/dev/null; true")
    urls = set(re.findall(r"https?://[^\s]+", sources))
    assert urls and all(re.match(r"https?://[^/]*debian\.org/", u) for u in urls), urls
    ok(root, "apt-get update -qq")
    # apt resolves every dependency from Debian's repositories...
    plan = ok(root, f"apt-get install -s -q --no-install-recommends /tmp/{deb.name}")
    assert re.search(r"^Inst ifguard ", plan, re.M) and "python3-rich" in plan, plan
    # ...installed first, so that the tree before ifguard and after its purge compare exactly
    depends = ok(root, f"dpkg-deb -f /tmp/{deb.name} Depends")
    names = [re.split(r"[\s(]", d.strip())[0] for d in depends.split(",") if d.strip()]
    ok(root, f"apt-get install -y -q --no-install-recommends {' '.join(names)}")
    before = debroot.files(root)
    ok(root, f"apt-get install -y -q --no-install-recommends /tmp/{deb.name}")
    version = ok(root, "ifguard --version")
    assert re.fullmatch(r"ifguard \d+\.\d+\.\d+\S*\n", version), version
    assert ok(root, "dpkg-query -W -f '${Version}' ifguard") in version

    # the incident file: exit 1, naming the pasted `ip` line
    number = next(
        i for i, line in enumerate(INCIDENT.read_text().splitlines(), 1) if line.startswith("27: ")
    )
    lint = debroot.run(root, "ifguard lint /tmp/incident.interfaces")
    assert lint.returncode == 1, lint
    assert f"/tmp/incident.interfaces:{number}:1: IFG101 error" in lint.stdout, lint.stdout

    man = ok(root, "MANPAGER=cat MANWIDTH=80 man ifguard")
    assert "ifguard lint" in man and "SEE ALSO" in man
    assert re.search(r"exit\s+status", ok(root, "MANPAGER=cat MANWIDTH=80 man ifguard-lint"))

    completion = ok(
        root,
        ". /usr/share/bash-completion/bash_completion; __load_completion ifguard; "
        'fn=$(complete -p ifguard | sed -n "s/.* -F \\([^ ]*\\) .*/\\1/p"); '
        "COMP_WORDS=(ifguard li); COMP_CWORD=1; COMP_LINE='ifguard li'; COMP_POINT=10; "
        '"$fn" ifguard li ifguard; printf "%s\\n" "${COMPREPLY[@]}"',
        shell="/bin/bash",
    )
    assert completion.split() == ["lint"], completion
    # every subcommand for `ifguard <TAB>` (bookworm's shtab offered only the first: lint)
    first = ok(
        root,
        ". /usr/share/bash-completion/bash_completion; __load_completion ifguard; "
        "COMP_WORDS=(ifguard ''); COMP_CWORD=1; COMP_LINE='ifguard '; COMP_POINT=8; "
        '_ifguard ifguard "" ifguard; printf "%s\\n" "${COMPREPLY[@]}"',
        shell="/bin/bash",
    )
    assert {"lint", "explain", "watch", "status", "restore"} <= set(first.split()), first
    assert (root / "usr/share/zsh/vendor-completions/_ifguard").is_file()

    verify = debroot.run(
        root,
        "systemd-analyze verify /lib/systemd/system/ifguard-watch.service "
        "/lib/systemd/system/ifguard-boot.service /lib/systemd/system/ifguard-status.service",
    )
    assert verify.returncode == 0 and "ifguard" not in verify.stderr, verify.stderr
    # enabled by the package (not started: no network change from dpkg)
    assert (root / "etc/systemd/system/multi-user.target.wants/ifguard-watch.service").is_symlink()
    assert (root / "etc/systemd/system/networking.service.wants/ifguard-boot.service").is_symlink()
    assert ok(root, "stat -c %a /etc/ifguard/ifguard.toml").strip() == "600"
    assert ok(root, "stat -c %a /var/lib/ifguard").strip() == "700"
    ok(
        root,
        "ifguard lint --config /etc/ifguard/ifguard.toml /usr/share/doc/ifguard/examples/"
        "proxmox-ovs.interfaces",
    )
    assert (root / "usr/share/doc/ifguard/examples/contrib/ansible/site.yml").is_file()
    # the admin's documentation, not the developers'
    doc = root / "usr/share/doc/ifguard/docs"
    shipped = {p.name.removesuffix(".gz") for p in doc.iterdir()}  # dh_compress gzips big ones
    assert {"proxmox.md", "install.md", "watch.md"} <= shipped, shipped
    assert not {"architecture.md", "lab.md", "vmlab.md"} & shipped, shipped

    # remove keeps the admin's history, purge takes it; nothing of the package stays behind
    ok(root, "echo history > /var/lib/ifguard/history.db")
    package_files = set(ok(root, "dpkg -L ifguard").splitlines())
    ok(root, "apt-get remove -y -q ifguard")
    assert (root / "var/lib/ifguard/history.db").is_file()
    ok(root, "apt-get purge -y -q ifguard")
    assert not (root / "var/lib/ifguard").exists() and not (root / "etc/ifguard").exists()
    after = debroot.files(root)
    assert sorted(after - before) == [] and sorted(before - after) == []
    assert sorted(package_files & after - before) == []
