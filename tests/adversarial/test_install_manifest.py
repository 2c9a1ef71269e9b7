"""The install manifest is state: ``ifguard uninstall`` deletes what it lists when the hash
matches, so a manifest another user wrote could have root delete any file it can hash.
Uninstall trusts it only when it passes StrictModes and names only what install writes."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from ifguard.install import files as F
from ifguard.system.errors import UsageError
from ifguard.system.root import Root
from tests.install.test_install import do_install, do_uninstall, host


def _installed(tmp_path: Path) -> tuple[Path, Path]:
    root = host(tmp_path)
    assert do_install(root)[0] == 0
    return root, Root(root).path(F.MANIFEST)


def _add(manifest: Path, path: str, data: bytes) -> None:
    body = json.loads(manifest.read_bytes())
    body["files"].append({"path": path, "sha256": F.sha256(data)})
    manifest.write_text(json.dumps(body))


@pytest.mark.parametrize("victim", ["/etc/passwd", "/root/.ssh/authorized_keys"])
def test_a_manifest_naming_a_file_install_never_writes_is_refused(
    tmp_path: Path, victim: str
) -> None:
    root, manifest = _installed(tmp_path)
    target = Root(root).path(victim)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"root:x:0:0::/root:/bin/bash\n")
    _add(manifest, victim, target.read_bytes())
    refused = f"lists '{re.escape(victim)}', which ifguard install never writes"
    with pytest.raises(UsageError, match=refused):
        do_uninstall(root)
    assert target.exists()  # nothing removed, not even ifguard's own files
    assert Root(root).path(F.WATCH_UNIT).exists()


def test_a_manifest_naming_a_foreign_directory_is_refused(tmp_path: Path) -> None:
    root, manifest = _installed(tmp_path)
    body = json.loads(manifest.read_bytes())
    body["dirs"].append("/root/.ssh")
    manifest.write_text(json.dumps(body))
    with pytest.raises(UsageError, match=r"'/root/\.ssh', which ifguard install never writes"):
        do_uninstall(root)


def test_a_group_writable_manifest_is_refused(tmp_path: Path) -> None:
    root, manifest = _installed(tmp_path)
    manifest.chmod(0o664)
    with pytest.raises(UsageError, match="writable by group or others"):
        do_uninstall(root)
    assert Root(root).path(F.WATCH_UNIT).exists()


def test_a_manifest_owned_by_another_user_is_refused(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to give the file away")
    root, manifest = _installed(tmp_path)
    os.chown(manifest, 65534, 65534)
    with pytest.raises(UsageError, match="owned by uid 65534"):
        do_uninstall(root)


def test_a_linked_manifest_is_refused(tmp_path: Path) -> None:
    root, manifest = _installed(tmp_path)
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(manifest.read_bytes())
    manifest.unlink()
    manifest.symlink_to(elsewhere)
    with pytest.raises(UsageError, match="install manifest"):
        do_uninstall(root)
    assert Root(root).path(F.WATCH_UNIT).exists()


def test_a_plain_manifest_still_uninstalls(tmp_path: Path) -> None:
    root, _ = _installed(tmp_path)
    rc, lines = do_uninstall(root)
    assert rc == 0, lines
    assert not Root(root).path(F.WATCH_UNIT).exists()
