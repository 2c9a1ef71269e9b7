"""`ifguard plan`: changes between configurations and the management path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ifguard.config.model import build
from ifguard.config.source import load_text
from ifguard.network import plan
from ifguard.network.state import NetState, management_path, ssh_endpoints, state_from_config
from tests.apply.cli_helpers import CLEAN, make_root

OVS = CLEAN.read_text()
LINUX = """\
auto lo
iface lo inet loopback

iface eno1 inet manual
iface eno2 inet manual

auto bond0
iface bond0 inet manual
    bond-slaves eno1 eno2
    bond-mode 802.3ad

auto vmbr0
iface vmbr0 inet static
    address 10.0.0.5
    netmask 255.255.255.0
    gateway 10.0.0.1
    bridge-ports bond0
    bridge-stp off

auto vmbr0.20
iface vmbr0.20 inet static
    address 10.20.0.5/24
"""
SSH = ("192.0.2.50", "192.0.2.10")


def state(text: str) -> NetState:
    return state_from_config(build(load_text(text).documents))


def compare(old: str, new: str, ssh: tuple[str, str] | None = SSH) -> plan.Plan:
    return plan.compare(state(old), state(new), ssh=ssh)


def test_ovs_management_path_down_to_the_nics() -> None:
    path = management_path(state(OVS), SSH)
    assert path.interfaces == ("vlan1", "vmbr0", "bond0", "enp1s0", "enx60a4b758ba5b")
    assert path.nics == ("enp1s0", "enx60a4b758ba5b")
    assert path.roots == {"vlan1": "SSH server address 192.0.2.10"}


def test_linux_bridge_bond_path_and_netmask() -> None:
    s = state(LINUX)
    assert s.ports["vmbr0"].addresses == ("10.0.0.5/24",)
    path = management_path(s, None)
    assert path.interfaces == ("vmbr0", "bond0", "eno1", "eno2")
    # an SSH session arriving on the VLAN adds it (and its parent chain) to the path
    vlan = management_path(s, ("10.20.0.99", "10.20.0.5"))
    assert vlan.interfaces[:2] == ("vmbr0", "vmbr0.20")


def test_moving_the_uplink_out_of_the_bond_touches_the_path() -> None:
    p = compare(OVS, OVS.replace("ovs_bonds enp1s0 enx60a4b758ba5b", "ovs_bonds enp1s0"))
    assert p.touches_management
    text = plan.render(p, against="current file")
    assert "management path now:   vlan1 -> vmbr0 -> bond0 -> enp1s0 -> enx60a4b758ba5b" in text
    assert " ! bond0: members -enx60a4b758ba5b" in text
    assert " ! enx60a4b758ba5b: moved bond0 -> (none)" in text


def test_an_unrelated_vlan_leaves_the_path_untouched() -> None:
    extra = (
        "\nauto vlan55\niface vlan55 inet static\n\taddress 203.0.113.5/24\n"
        "\tovs_type OVSIntPort\n\tovs_bridge vmbr0\n\tovs_options tag=55\n"
    )
    p = compare(
        OVS,
        OVS.replace("ovs_ports bond0 vlan1 vlan1001", "ovs_ports bond0 vlan1 vlan1001 vlan55")
        + extra,
    )
    assert not p.touches_management
    assert {(c.name, c.what) for c in p.changes} == {("vlan55", "created"), ("vmbr0", "members")}
    assert "the management path is untouched" in plan.render(p, against="current file")


@pytest.mark.parametrize(
    ("old", "new", "name", "what"),
    [
        ("gateway 192.0.2.1", "gateway 192.0.2.254", "vlan1", "gateway"),
        ("address 192.0.2.10/24", "address 192.0.2.11/24", "vlan1", "addresses"),
        ("ovs_options tag=1\n", "ovs_options tag=2\n", "vlan1", "tag"),
        (
            "ovs_bridge vmbr0\n\tovs_options tag=1\n",
            "ovs_bridge vmbr1\n\tovs_options tag=1\n",
            "vlan1",
            "moved",
        ),
    ],
)
def test_changes_on_the_path(old: str, new: str, name: str, what: str) -> None:
    assert old in OVS
    p = compare(OVS, OVS.replace(old, new, 1))
    hit = [c for c in p.changes if c.name == name and c.what == what]
    assert hit and hit[0].on_path and p.touches_management


def test_off_path_change_is_not_flagged() -> None:
    p = compare(OVS, OVS.replace("tag=1001", "tag=1002"))
    assert [(c.name, c.what, c.on_path) for c in p.changes] == [("vlan1001", "tag", False)]


def test_removing_the_bridge_is_on_the_path() -> None:
    start = OVS.index("auto vmbr0")
    p = compare(OVS, OVS[:start])
    removed = [c for c in p.changes if c.what == "removed"]
    assert removed and all(c.on_path for c in removed if c.name == "vmbr0")


def test_ssh_endpoints() -> None:
    assert ssh_endpoints({"SSH_CONNECTION": "192.0.2.50 5555 192.0.2.10 22"}) == SSH
    assert ssh_endpoints({}) is None


@pytest.mark.slow
def test_corpus_plans_against_itself_without_changes(corpus: Path) -> None:
    for path in sorted((corpus / "valid").iterdir()):
        s = state(path.read_bytes().decode("utf-8", "surrogateescape"))
        p = plan.compare(s, s)
        assert p.changes == () and not p.touches_management, path


@pytest.mark.slow
def test_plan_command(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    cand = tmp_path / "cand"
    cand.write_text(OVS.replace("ovs_bonds enp1s0 enx60a4b758ba5b", "ovs_bonds enp1s0"))
    env = {"SSH_CONNECTION": "192.0.2.50 5555 192.0.2.10 22", "PATH": "/usr/bin:/bin"}
    env["PYTHONPATH"] = os.environ.get("PYTHONPATH", "")  # this checkout's ifguard
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ifguard",
            "plan",
            str(cand),
            "--root",
            str(root),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0, proc
    data = json.loads(proc.stdout)
    assert data["touches_management_path"]
    assert data["management_path"]["roots"] == {"vlan1": "SSH server address 192.0.2.10"}
    assert data["next_boot"] == [] and data["next_boot_cuts_management_path"] is False
    cand.write_text(OVS.replace("auto vlan1\n", ""))
    argv = [sys.executable, "-m", "ifguard", "plan", str(cand), "--root", str(root)]
    cut = subprocess.run([*argv, "--format", "json"], capture_output=True, text=True, env=env)
    data = json.loads(cut.stdout)
    assert data["next_boot_cuts_management_path"] and data["touches_management_path"]
    assert data["next_boot"] == [
        "management path down: nothing brings `vlan1` up at boot: no `auto vlan1`"
    ]
    none = subprocess.run(
        [sys.executable, "-m", "ifguard", "plan", "--root", str(root)],
        capture_output=True,
        text=True,
    )
    assert none.returncode == 0 and "nothing to plan" in none.stdout


def test_member_order_alone_does_not_touch_the_path() -> None:
    swapped = OVS.replace("ovs_bonds enp1s0 enx60a4b758ba5b", "ovs_bonds enx60a4b758ba5b enp1s0")
    p = compare(OVS, swapped)
    assert p.changes == () and not p.touches_management
