"""An admin's first upgrade and removal, in a clean Debian 12 root (tests/e2e/debroot.py):
the older package (this build repacked as 0.1.0, with gate files that differ) installed, gates
and the ifreload diversion on, the settings file edited, history written; then `apt-get
install` of this build:

* the admin's edit of /etc/ifguard/ifguard.toml is kept (the new file is .dpkg-dist);
* the gates and the ifreload wrapper are rewritten by the new version, the diversion kept;
* the watcher is restarted (systemctl, recorded by a stand-in: no systemd runs here), the
  boot and status checks are not (they would act on the network);
* the history is untouched;

then, with the network configuration broken, the apt hook refuses other packages (naming the
file and line, the fix and the bypass) but never `apt-get purge ifguard`, which leaves no
gate, wrapper or diversion behind.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e import debroot
from tests.e2e.test_package import _prerequisites, ok

pytestmark = pytest.mark.e2e

OLD = "0.1.0"
PY = "usr/lib/python3/dist-packages/ifguard"
# only what every machine has: the chroot sees this machine's NICs, and lint checks that the
# file's interfaces exist (IFG310)
CLEAN = "auto lo\niface lo inet loopback\n"
IP_LINE = "27: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500\n"
# no systemd runs in the root: a stand-in that says "enabled" and records what it was asked
SYSTEMCTL = """#!/bin/sh
echo "$*" >> /tmp/systemctl.log
case "$*" in
    *--version*) echo "systemd 252 (252.0)" ;;
    *is-enabled*) echo enabled ;;
esac
exit 0
"""


def repack_older(new: Path, work: Path) -> Path:
    """This build as version 0.1.0, whose gates, wrapper and shipped settings file differ."""
    tree = work / "old"
    subprocess.run(["dpkg-deb", "-R", str(new), str(tree)], check=True)
    control = tree / "DEBIAN/control"
    control.write_text(re.sub(r"^Version: .*$", f"Version: {OLD}", control.read_text(), flags=re.M))
    init = tree / PY / "__init__.py"
    init.write_text(re.sub(r'__version__ = ".*"', f'__version__ = "{OLD}"', init.read_text()))
    templates = tree / PY / "install/__init__.py"
    text = templates.read_text()
    text = text.replace(
        '"// ifguard: package scripts', f'"// ifguard {OLD}\\n// ifguard: package scripts'
    )
    text = text.replace(
        "#!/bin/sh\n# ifguard: refuse", f"#!/bin/sh\n# ifguard {OLD}\n# ifguard: refuse"
    )
    assert text.count(f"ifguard {OLD}") == 2
    templates.write_text(text)
    toml = tree / "etc/ifguard/ifguard.toml"
    toml.write_text(toml.read_text().split("\n", 1)[1])  # the older file lacked a line
    sums = []
    for path in sorted(p for p in tree.rglob("*") if p.is_file() and "DEBIAN" not in p.parts):
        if path.relative_to(tree).parts[0] != "etc":
            digest = hashlib.md5(path.read_bytes()).hexdigest()
            sums.append(f"{digest}  {path.relative_to(tree)}\n")
    (tree / "DEBIAN/md5sums").write_text("".join(sums))
    out = work / f"ifguard_{OLD}_all.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zxz", "-b", str(tree), str(out)],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, str]]:
    _prerequisites()
    new = debroot.built_deb()
    parent = debroot.in_memory_dir(tmp_path_factory.mktemp("upgrade"))
    base = debroot.unpack(debroot.root_tarball(), parent / "root")
    old = repack_older(new, parent)
    shutil.copy(new, base / "tmp" / new.name)
    shutil.copy(old, base / "tmp" / old.name)
    yield base, old.name, new.name
    shutil.rmtree(parent, ignore_errors=True)


def test_upgrade_keeps_edits_and_history_refreshes_gates_and_purge_is_never_blocked(
    root: tuple[Path, str, str],
) -> None:
    base, old, new = root
    ok(base, "apt-get update -qq")
    depends = ok(base, f"dpkg-deb -f /tmp/{new} Depends")
    names = [re.split(r"[\s(]", d.strip())[0] for d in depends.split(",") if d.strip()]
    ok(base, f"apt-get install -y -q --no-install-recommends ifupdown2 {' '.join(names)}")
    (base / "etc/network/interfaces").write_text(CLEAN)

    # the older version, gates and diversion on, settings edited, history written
    ok(base, f"apt-get install -y -q --no-install-recommends /tmp/{old}")
    assert ok(base, "ifguard --version") == f"ifguard {OLD}\n"
    ok(base, "ifguard install --gates --divert-ifreload")
    hook, wrapper = base / "etc/apt/apt.conf.d/80ifguard", base / "usr/sbin/ifreload"
    assert f"ifguard {OLD}" in hook.read_text() and f"ifguard {OLD}" in wrapper.read_text()
    settings = base / "etc/ifguard/ifguard.toml"
    with settings.open("a") as fh:
        fh.write("\n[console]\nwall = false  # the admin's\n")
    history = base / "var/lib/ifguard/history.db"
    history.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 16)
    before = history.read_bytes()
    systemctl = base / "usr/bin/systemctl"
    systemctl.rename(base / "usr/bin/systemctl.real")
    systemctl.write_text(SYSTEMCTL)
    systemctl.chmod(0o755)
    (base / "run/systemd/system").mkdir(parents=True, exist_ok=True)

    # the upgrade, unattended as unattended-upgrades runs it (keep the admin's conffiles)
    upgrade = ok(
        base,
        "apt-get install -y -q -o Dpkg::Options::=--force-confdef "
        f"-o Dpkg::Options::=--force-confold /tmp/{new}",
    )
    version = ok(base, "dpkg-query -W -f '${Version}' ifguard")
    assert version != OLD and ok(base, "ifguard --version") == f"ifguard {version}\n", upgrade
    assert "wall = false  # the admin's" in settings.read_text()
    assert (base / "etc/ifguard/ifguard.toml.dpkg-dist").is_file()
    assert ok(base, "stat -c %a /etc/ifguard/ifguard.toml").strip() == "600"
    assert f"ifguard {OLD}" not in hook.read_text() and "apt-hook" in hook.read_text()
    assert f"ifguard {OLD}" not in wrapper.read_text()
    assert "ifguard-orig-ifreload" in ok(base, "dpkg-divert --list /usr/sbin/ifreload")
    asked = (base / "tmp/systemctl.log").read_text()
    assert re.search(r"^(--\S+ )*restart ifguard-watch\.service$", asked, re.M), asked
    assert not re.search(r"start .*ifguard-(boot|status)", asked), asked
    assert history.read_bytes() == before

    # broken: other packages are refused, saying what to do; the purge of ifguard is not
    with (base / "etc/network/interfaces").open("a") as fh:
        fh.write(IP_LINE)
    line = (CLEAN + IP_LINE).splitlines().index(IP_LINE.strip()) + 1
    refused = debroot.run(base, "apt-get install -y -q --reinstall ifupdown2")
    said = refused.stdout + refused.stderr
    assert refused.returncode != 0, said
    assert f"/etc/network/interfaces:{line}:1: IFG101" in said, said
    for teaching in ("ifguard lint --fix", "IFGUARD_FORCE=1 apt", "apt purge ifguard"):
        assert teaching in said, said
    purged = debroot.run(base, "apt-get purge -y -q ifguard")
    assert purged.returncode == 0, purged.stdout[-3000:] + purged.stderr[-3000:]
    assert "ifguard is being removed" in purged.stdout + purged.stderr
    assert (
        not hook.exists()
        and not (base / "etc/systemd/system/networking.service.d/ifguard.conf").exists()
    )
    assert ok(base, "dpkg-divert --list /usr/sbin/ifreload").strip() == ""
    assert (base / "usr/sbin/ifreload").is_symlink()  # ifupdown2's own again
    assert not (base / "var/lib/ifguard").exists()
