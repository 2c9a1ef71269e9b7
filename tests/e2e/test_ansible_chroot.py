"""contrib/ansible's role applied with ansible-playbook (Debian's ansible, connection
community.general.chroot) to a copy of the clean Debian 12 root: it installs the .deb from the
controller, runs the lint check, turns the gates on and puts the notification URLs into the
root-only settings file; on the incident's file the lint task fails the play."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, unavailable
from tests.e2e import debroot

pytestmark = pytest.mark.e2e

PLAY = """\
- name: ifguard into a chroot
  hosts: all
  gather_facts: false
  pre_tasks:
    - name: Python for Ansible's modules (a Proxmox host has it)
      ansible.builtin.raw: >-
        test -x /usr/bin/python3 || (apt-get update -qq &&
        apt-get install -y -qq --no-install-recommends python3 python3-apt >/dev/null)
      changed_when: false
  roles:
    - role: ifguard
      vars:
        ifguard_deb_file: {deb}
        ifguard_notify_urls: ["json://127.0.0.1:9/hook"]
"""


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    if os.geteuid() != 0:
        unavailable("the Ansible test needs root (chroot, mount namespace)")
    for tool in ("ansible-playbook", "mmdebstrap", "unshare"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} not installed (bash scripts/dev-setup.sh installs it)")
    if not Path("/usr/lib/python3/dist-packages/ansible_collections/community/general").is_dir():
        unavailable("community.general not installed (Debian package `ansible`)")
    parent = debroot.in_memory_dir(tmp_path_factory.mktemp("ansible"))
    yield debroot.unpack(debroot.root_tarball(), parent / "root")
    shutil.rmtree(parent, ignore_errors=True)


def playbook(root: Path, play: Path) -> subprocess.CompletedProcess[str]:
    inventory = play.with_name("inventory")
    inventory.write_text(
        f"{root} ansible_connection=community.general.chroot "
        "ansible_python_interpreter=/usr/bin/python3\n"
    )
    r = shlex.quote(str(root))
    script = (
        f"mount -t proc proc {r}/proc && mount --rbind /dev {r}/dev && "
        f"mount --bind {shlex.quote(str(debroot.archives()))} {r}/var/cache/apt/archives && "
        f"exec ansible-playbook -i {shlex.quote(str(inventory))} {shlex.quote(str(play))}"
    )
    env = {
        **os.environ,
        "ANSIBLE_ROLES_PATH": str(REPO / "contrib/ansible/roles"),
        "ANSIBLE_NOCOLOR": "1",
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
    }
    return subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )


def test_role_installs_the_deb_and_lints(
    root: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    deb = debroot.built_deb()
    play = tmp_path_factory.mktemp("play") / "site.yml"
    play.write_text(PLAY.format(deb=deb))
    (root / "etc/network").mkdir(exist_ok=True)
    # The Proxmox host's NICs, not this machine's: the role's `ifguard lint` checks the
    # host's own file against /sys/class/net (a missing uplink of the management path is
    # an error), so the chroot gets the NICs the example file names instead of our sysfs.
    for nic in ("lo", "enp1s0", "enx60a4b758ba5b"):
        (root / "sys/class/net" / nic).mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "examples/proxmox-ovs.interfaces", root / "etc/network/interfaces")

    done = playbook(root, play)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "TASK [ifguard : Lint the network configuration]" in done.stdout
    assert (root / "usr/bin/ifguard").is_file()
    assert (root / "var/lib/dpkg/info/ifguard.list").is_file()
    settings = root / "etc/ifguard/ifguard.toml"
    assert oct(settings.stat().st_mode & 0o777) == "0o600"
    assert 'notify = ["json://127.0.0.1:9/hook"]' in settings.read_text()
    assert (root / "etc/apt/apt.conf.d/80ifguard").is_file()  # the gates: --gates
    assert not (root / "etc/systemd/system/ifguard-watch.service").exists()  # the package's

    again = playbook(root, play)  # idempotent: nothing changes the second time
    assert again.returncode == 0 and "changed=0" in again.stdout, again.stdout[-3000:]

    shutil.copy(REPO / "examples/incident.interfaces", root / "etc/network/interfaces")
    broken = playbook(root, play)
    assert broken.returncode != 0, broken.stdout[-3000:]
    failed = broken.stdout.split("TASK [ifguard : Lint the network configuration]")[1]
    assert "fatal:" in failed.split("TASK [")[0] and "IFG101" in failed, broken.stdout[-3000:]
