"""The source loader: what the host really reads, under a Root."""

from __future__ import annotations

from pathlib import Path

from ifguard.config.source import host_configurations, load, load_text
from ifguard.system.root import Root
from tests.conftest import lint_text


def _tree(tmp: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        p = tmp / "etc" / "network" / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return tmp


def _names(tmp: Path) -> list[str]:
    loaded = load(None, Root(tmp))
    return [str(Path(d.path).relative_to(tmp / "etc" / "network")) for d in loaded.documents]


def test_source_glob_and_source_directory_follow_run_parts_rules(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "interfaces": "auto lo\niface lo inet loopback\nsource interfaces.d/*\n"
            "source-directory d2\nsource /etc/network/nomatch*\n",
            "interfaces.d/b": "iface b inet manual\n",
            "interfaces.d/a.cfg": "iface a inet manual\n",
            "d2/nodot": "iface c inet manual\n",
            "d2/with.dot": "iface d inet manual\n",  # run-parts skips names with dots
        },
    )
    assert _names(tmp_path) == ["interfaces", "interfaces.d/a.cfg", "interfaces.d/b", "d2/nodot"]


def test_absolute_source_paths_are_resolved_under_the_root(tmp_path: Path) -> None:
    _tree(tmp_path, {"interfaces": "source /etc/network/extra\n", "extra": "iface e inet manual\n"})
    assert _names(tmp_path) == ["interfaces", "extra"]


def test_missing_source_is_an_issue_not_a_crash(tmp_path: Path) -> None:
    _tree(tmp_path, {"interfaces": "source missing-file\n"})
    loaded = load(None, Root(tmp_path))
    assert [Path(d.path).name for d in loaded.documents] == ["interfaces"]
    assert loaded.issues


def test_cycles_are_read_once(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "interfaces": "source /etc/network/a\n",
            "a": "source /etc/network/b\n",
            "b": "source /etc/network/a\n",
        },
    )
    assert _names(tmp_path) == ["interfaces", "a", "b"]


def test_pending_interfaces_new_is_a_second_configuration_never_merged(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "interfaces": "auto lo\niface lo inet loopback\nsource /etc/network/interfaces.d/*\n",
            "interfaces.new": "auto lo\niface lo inet loopback\n",
            "interfaces.d/a": "iface a inet manual\n",
        },
    )
    root = Root(tmp_path)
    configs = host_configurations(root)
    assert [(label, p.name) for label, p in configs] == [
        ("running", "interfaces"),
        ("pending", "interfaces.new"),
    ]
    # the default load is the running configuration alone, with what it sources
    loaded = load(None, root)
    assert [Path(d.path).name for d in loaded.documents] == ["interfaces", "a"]
    pending = load([configs[1][1]], root)
    assert [Path(d.path).name for d in pending.documents] == ["interfaces.new"]


def test_no_pending_configuration_without_interfaces_new(tmp_path: Path) -> None:
    _tree(tmp_path, {"interfaces": "auto lo\n"})
    assert [label for label, _ in host_configurations(Root(tmp_path))] == ["running"]


def test_load_text_is_lossless_for_bytes_and_text() -> None:
    data = b"auto lo\r\n\xff\x00\n"
    (doc,) = load_text(data, "x").documents
    assert doc.render() == data and doc.path == "x"
    (doc,) = load_text("auto é\n", "y").documents
    assert doc.render() == "auto é\n".encode()


def test_junk_in_a_sourced_file_is_reported_in_that_file(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "interfaces": "source /etc/network/interfaces.d/*\n",
            "interfaces.d/vlan": "iface v inet manual\nroot@pve:~# ip a\n",
        },
    )
    from ifguard.lint.engine import lint_paths
    from ifguard.lint.settings import Settings

    diags = lint_paths(None, Root(tmp_path), Settings()).diagnostics
    assert [(Path(d.path).name, d.code, d.line) for d in diags] == [("vlan", "IFG102", 2)]
    assert not lint_text("auto lo\niface lo inet loopback\n")


def test_ifupdown2_globs_a_relative_source_from_its_working_directory(tmp_path: Path) -> None:
    """networkInterfaces.process_source: glob.glob(pattern) from the cwd, `/` at boot."""
    _tree(
        tmp_path,
        {
            "interfaces": "auto lo\niface lo inet loopback\nsource interfaces.d/*\n",
            "interfaces.d/vmbr0": "iface vmbr0 inet manual\n",
        },
    )
    assert _names(tmp_path) == ["interfaces"]
    (tmp_path / "interfaces.d").mkdir()
    (tmp_path / "interfaces.d" / "at-root").write_text("iface r inet manual\n")
    loaded = load(None, Root(tmp_path), dialect="ifupdown2")
    assert [Path(d.path).name for d in loaded.documents] == ["interfaces", "at-root"]


def test_classic_ifupdown_reads_a_relative_source_from_the_file_s_directory(
    tmp_path: Path,
) -> None:
    _tree(
        tmp_path,
        {
            "interfaces": "auto lo\niface lo inet loopback\nsource interfaces.d/*\n",
            "interfaces.d/vmbr0": "iface vmbr0 inet manual\n",
        },
    )
    loaded = load(None, Root(tmp_path), dialect="ifupdown")
    assert [Path(d.path).name for d in loaded.documents] == ["interfaces", "vmbr0"]


def test_ifupdown2_never_reads_a_source_directory(tmp_path: Path) -> None:
    """ifupdown2 3.0 has no `source-directory` keyword: the line is an attribute of the
    stanza above it and the directory is not read."""
    files = {
        "interfaces": "auto lo\niface lo inet loopback\nsource-directory /etc/network/d\n",
        "d/extra": "iface extra inet manual\n",
    }
    _tree(tmp_path, files)
    two = load(None, Root(tmp_path), dialect="ifupdown2")
    assert [Path(d.path).name for d in two.documents] == ["interfaces"]
    assert not two.issues
    classic = load(None, Root(tmp_path), dialect="ifupdown")
    assert [Path(d.path).name for d in classic.documents] == ["interfaces", "extra"]
