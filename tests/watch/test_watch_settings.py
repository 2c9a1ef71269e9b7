"""Every `ifguard watch` option in [watch] / [console] of /etc/ifguard/ifguard.toml: the
packaged unit runs a plain `ifguard watch`, so the settings file is where an admin sets them.
The command line wins over the file; every bad value is one line naming the key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ifguard.cli import build_parser
from ifguard.commands.watch import make_watcher
from ifguard.commands.watchopts import resolve, restore_argv
from ifguard.lint.settings import from_mapping
from ifguard.status.settings import console_section
from ifguard.system.errors import UsageError
from ifguard.system.root import Root
from ifguard.watch.settings import NODE_EXPORTER_TEXTFILE_DIR, WATCH_KEYS, watch_section
from tests.test_cli import assert_usage_error, ifguard
from tests.watch.test_watch_cli import make_root, watcher_args

FULL = """\
[watch]
self-heal = true
heal-after = 45
textfile-dir = "/srv/textfile"
metrics-port = 9861
metrics-addr = "192.0.2.10"
targets = ["192.0.2.1", "192.0.2.2:22"]
probe-interval = 20
alert-hold = 10

[console]
publish = true
wall = false
wall-every = 60
"""


def opts(root: Path, *flags: str) -> object:
    return resolve(build_parser().parse_args(watcher_args(root, *flags)), Root(root))


def test_every_option_is_read_from_the_settings_file(tmp_path: Path) -> None:
    root = make_root(tmp_path, FULL)
    (root / "srv/textfile").mkdir(parents=True)
    o = resolve(build_parser().parse_args(watcher_args(root)), Root(root))
    assert (o.self_heal, o.heal_after, o.textfile_dir) == (True, 45.0, root / "srv/textfile")
    assert (o.metrics_port, o.metrics_addr) == (9861, "192.0.2.10")
    assert o.targets == ("192.0.2.1", "192.0.2.2:22")
    assert (o.probe_interval, o.alert_hold) == (20.0, 10.0)
    assert (o.console, o.wall, o.wall_every) == (True, False, 60.0)


def test_the_example_settings_file_documents_every_key() -> None:
    example = (Path(__file__).parents[2] / "examples/ifguard.toml").read_text()
    for key in (*WATCH_KEYS, "publish", "wall", "wall-every"):
        assert re.search(rf"^#\s*{re.escape(key)} = ", example, re.M), key


def test_the_command_line_wins(tmp_path: Path) -> None:
    root = make_root(tmp_path, FULL)
    (root / "srv/textfile").mkdir(parents=True)
    (tmp_path / "other").mkdir()
    o = resolve(
        build_parser().parse_args(
            watcher_args(
                root,
                "--no-self-heal",
                "--heal-after",
                "5",
                "--textfile-dir",
                str(tmp_path / "other"),
                "--metrics-port",
                "9999",
                "--metrics-addr",
                "127.0.0.1",
                "--target",
                "192.0.2.3",
                "--probe-interval",
                "2",
                "--alert-hold",
                "0",
                "--wall-every",
                "1",
                "--no-console",
            )
        ),
        Root(root),
    )
    assert (o.self_heal, o.heal_after, o.textfile_dir) == (False, 5.0, tmp_path / "other")
    assert (o.metrics_port, o.metrics_addr, o.probe_interval) == (9999, "127.0.0.1", 2.0)
    assert o.targets == ("192.0.2.1", "192.0.2.2:22", "192.0.2.3")  # added to the file's
    assert (o.alert_hold, o.wall_every, o.console) == (0.0, 1.0, False)


def test_defaults_and_textfile_auto(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    o = resolve(build_parser().parse_args(watcher_args(root)), Root(root))
    assert (o.self_heal, o.heal_after, o.textfile_dir, o.metrics_port) == (False, 30, None, None)
    assert (o.probe_interval, o.alert_hold, o.console, o.wall) == (60, 30, True, True)
    # node_exporter's directory appears: used without any setting
    Root(root).path(NODE_EXPORTER_TEXTFILE_DIR).mkdir(parents=True)
    o = resolve(build_parser().parse_args(watcher_args(root)), Root(root))
    assert o.textfile_dir == Root(root).path(NODE_EXPORTER_TEXTFILE_DIR)
    assert (
        make_watcher(build_parser().parse_args(watcher_args(root))).textfile_dir == o.textfile_dir
    )
    # ...unless switched off
    root2 = make_root(tmp_path / "2", '[watch]\ntextfile-dir = ""\n')
    Root(root2).path(NODE_EXPORTER_TEXTFILE_DIR).mkdir(parents=True)
    assert resolve(build_parser().parse_args(watcher_args(root2)), Root(root2)).textfile_dir is None


@pytest.mark.slow
@pytest.mark.parametrize(
    ("table", "says"),
    [
        ("self-heal = 1", "[watch] `self-heal` must be true or false"),
        ('self-heal = "yes"', "[watch] `self-heal` must be true or false"),
        ("heal-after = -1", "[watch] `heal-after` must be seconds, 0..86400"),
        ("heal-after = nan", "[watch] `heal-after` must be seconds"),
        ("probe-interval = 0", "[watch] `probe-interval` must be seconds, 1..86400"),
        ("alert-hold = true", "[watch] `alert-hold` must be seconds"),
        ('textfile-dir = "relative/dir"', "[watch] `textfile-dir` must be"),
        ("textfile-dir = 3", "[watch] `textfile-dir` must be"),
        ("metrics-port = 70000", "[watch] `metrics-port` must be a port"),
        ('metrics-port = "9861"', "[watch] `metrics-port` must be a port"),
        ('metrics-addr = "no.such.host"', "[watch] `metrics-addr` must be an IP address"),
        ('targets = "192.0.2.1"', "[watch] `targets` must be a list"),
        ("targets = [1]", "[watch] `targets` must be a list"),
        ("self_heal = true", "unknown setting(s) in [watch]: self_heal"),
    ],
)
def test_bad_watch_values_are_one_line_naming_the_key(
    tmp_path: Path, table: str, says: str
) -> None:
    root = make_root(tmp_path, f"[watch]\n{table}\n")
    done = ifguard(*watcher_args(root, "--check"))
    assert_usage_error(done, says)
    assert "ifguard.toml" in done.stderr


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ("publish = 0", "[console] `publish` must be true or false"),
        ("wall-every = -5", "[console] `wall-every` must be seconds"),
    ],
)
def test_bad_console_values(table: str, says: str) -> None:
    import tomllib

    with pytest.raises(UsageError, match=re.escape(says)):
        console_section({"console": tomllib.loads(table)}, "ifguard.toml")


@pytest.mark.slow
def test_bad_target_and_missing_textfile_dir_are_usage_errors(tmp_path: Path) -> None:
    root = make_root(tmp_path, '[watch]\ntargets = ["192.0.2.1:port"]\n')
    assert_usage_error(ifguard(*watcher_args(root, "--check")), "[watch] `targets`: bad port")
    root = make_root(tmp_path / "2", '[watch]\ntextfile-dir = "/nonexistent"\n')
    assert_usage_error(ifguard(*watcher_args(root, "--check")), "[watch] textfile-dir /nonexistent")


@pytest.mark.slow
def test_check_says_what_the_watcher_would_do_without_urls(tmp_path: Path) -> None:
    root = make_root(tmp_path, FULL.replace("[watch]", '[watch]\nnotify = ["json://h/TOKEN"]'))
    (root / "srv/textfile").mkdir(parents=True)
    done = ifguard(*watcher_args(root, "--check"))
    assert done.returncode == 0, done.stderr
    assert "ifguard watch: self-heal: on, after 45 s" in done.stdout
    assert "ifguard watch: metrics: 192.0.2.10:9861" in done.stdout
    assert "notify: 1 URL(s)" in done.stdout and "TOKEN" not in done.stdout
    assert not (root / "state").exists()  # a check writes nothing


def test_console_publish_false_turns_the_summary_off(tmp_path: Path) -> None:
    root = make_root(tmp_path, "[console]\npublish = false\n")
    assert make_watcher(build_parser().parse_args(watcher_args(root))).console is None


def test_self_heal_from_settings_needs_the_runtime_checks(tmp_path: Path) -> None:
    root = make_root(tmp_path, "[watch]\nself-heal = true\n")
    with pytest.raises(UsageError, match=re.escape("[watch] self-heal = true needs")):
        make_watcher(build_parser().parse_args(watcher_args(root)))
    w = make_watcher(build_parser().parse_args(watcher_args(root, "--runtime")))
    assert w.healer is not None and w.healer.enabled


def test_self_heal_restores_outside_the_watchers_sandbox_under_systemd(tmp_path: Path) -> None:
    """The sandbox keeps /etc read-only and /tmp private; the restore writes /etc/network and
    reads ifupdown2's /var/tmp/network: under systemd it runs as a transient service."""
    state = tmp_path / "state"
    plain = restore_argv(7, Root(Path("/")), state, systemd=False)
    assert plain[-9:] == ["7", "--auto-confirm", "--unattended", "--timeout", "120",
                          "--root", "/", "--state-dir", str(state)]  # fmt: skip
    unit = restore_argv(7, Root(Path("/")), state, systemd=True)
    assert unit[0] == "systemd-run" and "--wait" in unit and unit[unit.index("--") + 1 :] == plain
    # a --root tree is never restored through the machine's systemd
    assert restore_argv(7, Root(tmp_path), state, systemd=True)[0] != "systemd-run"


def test_the_example_settings_file_uncommented_is_valid() -> None:
    """What the shipped file shows as the defaults is what the watcher accepts (and uses)."""
    import tomllib

    example = (Path(__file__).parents[2] / "examples/ifguard.toml").read_text()
    lines, table = [], ""
    for line in example.splitlines():
        if re.match(r"^#\[(watch|console)\]$", line):
            table = line[1:]
            lines.append(table)
        elif table and re.match(r"^#[a-z-]+ = ", line):
            lines.append(line[1:])
    data = tomllib.loads("\n".join(lines))
    watch = watch_section(data, "examples/ifguard.toml")
    console = console_section(data, "examples/ifguard.toml")
    assert watch.self_heal is False and watch.textfile_dir == "auto"
    assert console.wall_every == 3600 and console.publish and len(watch.notify) == 2
    # ...and none of it is lint's business: the lint settings of the same file are fine
    from_mapping(data, "examples/ifguard.toml")
