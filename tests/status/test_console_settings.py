"""[console] in /etc/ifguard/ifguard.toml: the `wall` opt-out and its rate, validated like
every other setting (a typo must not silently keep or drop the wall)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ifguard.config.settingsfile import read_system_file
from ifguard.status.settings import console_section, console_settings
from ifguard.system.errors import UsageError
from ifguard.system.root import Root


def test_defaults_and_values() -> None:
    assert (console_section({}, "t").wall, console_section({}, "t").wall_every) == (True, 3600.0)
    s = console_section({"console": {"wall": False, "wall-every": 600}}, "t")
    assert (s.wall, s.wall_every) == (False, 600.0)


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ({"wall": "no"}, "`wall` must be true or false"),
        ({"wall": 0}, "`wall` must be true or false"),
        ({"wall-every": -1}, "wall-every"),
        ({"wall-every": True}, "wall-every"),
        ({"wall-every": "1h"}, "wall-every"),
        ({"walls": False}, "unknown setting(s) in [console]: walls"),
    ],
)
def test_bad_values_are_usage_errors(table: dict[str, object], says: str) -> None:
    with pytest.raises(UsageError, match=re.escape(says)):
        console_section({"console": table}, "ifguard.toml")
    with pytest.raises(UsageError, match="must be a table"):
        console_section({"console": "off"}, "ifguard.toml")


def test_read_from_the_system_file(tmp_path: Path) -> None:
    conf = tmp_path / "etc/ifguard/ifguard.toml"
    conf.parent.mkdir(parents=True)
    conf.write_text("[console]\nwall = false\n")
    assert console_settings(read_system_file(Root(tmp_path))).wall is False


@pytest.mark.slow
def test_the_watcher_takes_the_setting_and_the_flags(tmp_path: Path) -> None:
    from ifguard.cli import build_parser
    from ifguard.commands.watch import make_watcher

    (tmp_path / "etc/network").mkdir(parents=True)
    (tmp_path / "etc/network/interfaces").write_text("auto lo\niface lo inet loopback\n")
    conf = tmp_path / "etc/ifguard/ifguard.toml"
    conf.parent.mkdir(parents=True)
    conf.write_text("[console]\nwall = false\nwall-every = 60\n")

    def console(*flags: str) -> tuple[bool, float, bool]:
        args = build_parser().parse_args(["watch", "--root", str(tmp_path), *flags])
        c = make_watcher(args).console
        assert c is not None
        return c.wall, c.wall_every, c.signal_host

    assert console() == (False, 60.0, False)  # a --root tree: never the machine's terminals
    assert console("--wall-every", "5")[1] == 5.0
    conf.write_text("")
    assert console()[:2] == (True, 3600.0) and console("--no-wall")[0] is False
    args = build_parser().parse_args(["watch", "--root", str(tmp_path), "--no-console"])
    assert make_watcher(args).console is None
