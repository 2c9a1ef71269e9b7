"""How ifguard reads what networking.service reloads with: the unit file, then its drop-ins
in systemd's order (an empty `ExecReload=` resets), and the drop-in built from it."""

from __future__ import annotations

from pathlib import Path

from ifguard.install import files as F
from ifguard.install import unit
from ifguard.system.root import Root

UNIT = """\
[Unit]
Description=Network initialization
# ExecReload=/commented/out
[Service]
Type=oneshot
EnvironmentFile=/etc/default/networking
ExecStart=/usr/share/ifupdown2/sbin/start-networking start
ExecReload=/usr/share/ifupdown2/sbin/start-networking \\
    reload
[Install]
ExecReload=/not/a/service/key
"""


def put(root: Path, path: str, text: str) -> None:
    real = Root(root).path(path)
    real.parent.mkdir(parents=True, exist_ok=True)
    real.write_text(text)


def test_reads_the_service_section_with_continuations(tmp_path: Path) -> None:
    put(tmp_path, "/lib/systemd/system/networking.service", UNIT)
    found = unit.effective(Root(tmp_path), "networking.service", "ExecReload")
    assert found == unit.Commands(
        "/lib/systemd/system/networking.service",
        ("/usr/share/ifupdown2/sbin/start-networking reload",),
    )


def test_dropins_append_reset_and_etc_wins(tmp_path: Path) -> None:
    put(tmp_path, "/lib/systemd/system/networking.service", UNIT)
    put(
        tmp_path, "/lib/systemd/system/networking.service.d/10-a.conf", "[Service]\nExecReload=/a\n"
    )
    put(
        tmp_path,
        "/etc/systemd/system/networking.service.d/10-a.conf",
        "[Service]\nExecReload=/etc-a\n",
    )
    put(
        tmp_path, "/etc/systemd/system/networking.service.d/20-b.conf", "[Service]\nExecReload=/b\n"
    )
    put(
        tmp_path,
        "/etc/systemd/system/networking.service.d/ifguard.conf",
        "[Service]\nExecReload=\n",
    )
    got = unit.effective(
        Root(tmp_path), "networking.service", "ExecReload", skip_dropin="ifguard.conf"
    )
    assert got is not None
    assert got.commands == ("/usr/share/ifupdown2/sbin/start-networking reload", "/etc-a", "/b")
    put(
        tmp_path,
        "/etc/systemd/system/networking.service.d/30-reset.conf",
        "[Service]\nExecReload=\nExecReload=/only\n",
    )
    got = unit.effective(
        Root(tmp_path), "networking.service", "ExecReload", skip_dropin="ifguard.conf"
    )
    assert got is not None and got.commands == ("/only",)


def test_etc_unit_overrides_lib(tmp_path: Path) -> None:
    put(tmp_path, "/lib/systemd/system/networking.service", UNIT)
    put(tmp_path, "/etc/systemd/system/networking.service", "[Service]\nExecReload=/mine -a\n")
    got = unit.effective(Root(tmp_path), "networking.service", "ExecReload")
    assert got == unit.Commands("/etc/systemd/system/networking.service", ("/mine -a",))


def test_missing_masked_or_without_reload(tmp_path: Path) -> None:
    assert unit.effective(Root(tmp_path), "networking.service", "ExecReload") is None
    assert F.networking_dropin(Root(tmp_path), "/usr/bin/ifguard")[0] is None
    masked = Root(tmp_path).path("/etc/systemd/system/networking.service")
    masked.parent.mkdir(parents=True)
    masked.symlink_to("/dev/null")
    assert unit.effective(Root(tmp_path), "networking.service", "ExecReload") is None
    masked.unlink()
    # classic ifupdown's unit has no ExecReload: there is nothing to put a gate in front of
    put(tmp_path, "/lib/systemd/system/networking.service", "[Service]\nExecStart=/sbin/ifup -a\n")
    dropin, why = F.networking_dropin(Root(tmp_path), "/usr/bin/ifguard")
    assert dropin is None and "has no ExecReload=" in why


def test_dropin_keeps_the_distribution_reload_after_the_gate(tmp_path: Path) -> None:
    put(tmp_path, "/lib/systemd/system/networking.service", UNIT)
    dropin, _ = F.networking_dropin(Root(tmp_path), "/usr/bin/ifguard")
    assert dropin is not None
    lines = [line for line in dropin.data.decode().splitlines() if not line.startswith("#")]
    assert lines == [
        "[Service]",
        "ExecReload=",
        "ExecReload=/usr/bin/ifguard lint --gate --quiet --configuration running",
        "ExecReload=/usr/share/ifupdown2/sbin/start-networking reload",
        "ExecReload=/usr/bin/ifguard reload --verdict",
    ]
