"""The next boot against what runs now (``network.nextboot``) and how plan shows it."""

from __future__ import annotations

from pathlib import Path

from ifguard.config.model import Config, build
from ifguard.config.parse import parse
from ifguard.network import plan
from ifguard.network.nextboot import next_boot
from ifguard.network.state import NetState, Port, state_from_config

LAB = (Path(__file__).resolve().parents[2] / "examples" / "proxmox-ovs.interfaces").read_text()


def config(text: str) -> Config:
    return build([parse(text)])


def running(*names: str) -> NetState:
    return NetState({n: Port(n, "physical") for n in names}, source="running")


NOW = running("lo", "enp1s0", "enx60a4b758ba5b", "bond0", "vmbr0", "vlan1", "vlan1001")


def test_the_lab_boots_as_it_runs() -> None:
    boot = next_boot(config(LAB), NOW)
    assert not boot.cut and boot.differences == () and boot.lines() == []


def test_a_running_interface_nothing_starts_at_boot() -> None:
    boot = next_boot(config(LAB.replace("auto vlan1001\n", "")), NOW)
    assert not boot.cut
    assert boot.lines() == [
        "vlan1001: runs now, but nothing brings it up at boot (no `auto vlan1001`)"
    ]


def test_the_management_int_port_without_ovs_bridge_cuts_the_next_boot() -> None:
    text = LAB.replace(
        "ovs_type OVSIntPort\n\tovs_bridge vmbr0\n\tovs_options tag=1\n",
        "ovs_type OVSIntPort\n\tovs_options tag=1\n",
    )
    boot = next_boot(config(text), NOW)
    assert boot.cut
    (line,) = boot.lines()
    assert line.startswith("management path down: `vlan1` has `ovs_type OVSIntPort` but no")


def test_nics_of_an_ovs_bond_need_no_auto_and_the_inventory_counts() -> None:
    text = LAB.replace("auto enp1s0\n", "")
    assert next_boot(config(text), NOW).lines() == []
    boot = next_boot(config(LAB), NOW, inventory=frozenset({"lo", "enp1s0"}))
    assert not boot.cut  # one bond member left
    boot = next_boot(config(LAB), NOW, inventory=frozenset({"lo", "eno1"}))
    assert boot.cut


def test_without_a_running_state_only_the_path_is_judged() -> None:
    boot = next_boot(config(LAB.replace("auto vlan1001\n", "")), None)
    assert boot.lines() == []
    file_state = state_from_config(config(LAB))
    assert next_boot(config(LAB.replace("auto vlan1001\n", "")), file_state).lines() == []


def test_plan_shows_the_next_boot_and_a_cut_touches_the_management_path() -> None:
    candidate = config(LAB.replace("auto vlan1\n", ""))
    after = state_from_config(candidate)
    before = state_from_config(config(LAB))
    result = plan.compare(before, after, boot=next_boot(candidate, NOW))
    assert result.changes == () and result.boot_cut and result.touches_management
    text = plan.render(result, against="running state")
    assert " ! at the next boot:\n !   management path down: nothing brings `vlan1` up" in text
    calm = plan.compare(before, state_from_config(config(LAB)), boot=next_boot(config(LAB), NOW))
    assert not calm.touches_management and "next boot" not in plan.render(calm, against="x")
