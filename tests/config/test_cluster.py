"""Reading Proxmox cluster files: corosync nodelist, Ceph networks/monitors, HA resources."""

from __future__ import annotations

from pathlib import Path

from ifguard.config.cluster import (
    addresses_in,
    count_ha_resources,
    parse_ceph,
    parse_corosync,
    read_cluster,
)
from ifguard.system.root import Root

COROSYNC = """\
logging {
  debug: off
  to_syslog: yes
}

nodelist {
  node {
    name: pve1
    nodeid: 1
    quorum_votes: 1
    ring0_addr: 198.51.100.10
    ring1_addr: 10.99.0.1
  }
  node {
    name: pve2
    nodeid: 2
    quorum_votes: 1
    ring0_addr: 198.51.100.20
    ring1_addr: 10.99.0.2
  }
}

quorum {
  provider: corosync_votequorum
}

totem {
  cluster_name: lab
  config_version: 2
  interface {
    linknumber: 0
  }
  ip_version: ipv4-6
  secauth: on
  version: 2
}
"""

CEPH = """\
[global]
\t auth_client_required = cephx
\t cluster_network = 10.10.10.0/24
\t fsid = 0b0b
\t mon_host = 10.20.0.1 10.20.0.2 [v2:10.20.0.3:3300/0,v1:10.20.0.3:6789/0]
\t public network = 10.20.0.0/24 ; spaces are underscores for ceph

[mon.pve1]
\t public_addr = 10.20.0.1
"""


def test_corosync_nodelist() -> None:
    nodes, problems = parse_corosync(COROSYNC)
    assert problems == []
    assert [(n.name, n.nodeid, n.links) for n in nodes] == [
        ("pve1", "1", ((0, "198.51.100.10"), (1, "10.99.0.1"))),
        ("pve2", "2", ((0, "198.51.100.20"), (1, "10.99.0.2"))),
    ]


def test_corosync_one_line_sections_and_garbage_are_reported_not_fatal() -> None:
    nodes, problems = parse_corosync(
        "nodelist { node { name: a\nring0_addr: 10.0.0.1 } }\n}\n%%% junk\nnodelist {\n"
    )
    assert [n.name for n in nodes] == ["a"]
    assert any("unbalanced" in p for p in problems)
    assert any("not understood" in p for p in problems)
    assert any("unclosed" in p for p in problems)


def test_ceph_networks_and_monitors() -> None:
    networks, mons, problems = parse_ceph(CEPH)
    assert problems == []
    assert networks == [("cluster", "10.10.10.0/24"), ("public", "10.20.0.0/24")]
    assert mons == ["10.20.0.1", "10.20.0.2", "10.20.0.3"]


def test_monitor_address_forms() -> None:
    assert addresses_in("10.0.0.1:6789,10.0.0.2") == ["10.0.0.1", "10.0.0.2"]
    assert addresses_in("[2001:db8::1]:6789 [v2:[2001:db8::2]:3300/0]") == [
        "2001:db8::1",
        "2001:db8::2",
    ]
    assert addresses_in("mon-a.example") == []


def test_ha_resources_counted() -> None:
    assert count_ha_resources("vm: 100\n\tstate started\n\nct: 101\n") == 2
    assert count_ha_resources("# nothing\n\n") == 0


def _tree(tmp_path: Path, files: dict[str, str]) -> Root:
    for path, text in files.items():
        target = tmp_path / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return Root(tmp_path)


def test_read_cluster_prefers_pve_and_finds_the_local_node(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "/etc/pve/corosync.conf": COROSYNC,
            "/etc/corosync/corosync.conf": "nodelist { node { name: stale } }\n",
            "/etc/ceph/ceph.conf": CEPH,
            "/etc/pve/ha/resources.cfg": "vm: 100\n",
        },
    )
    cluster = read_cluster(root, frozenset({"198.51.100.20"}))
    assert cluster.corosync_path == "/etc/pve/corosync.conf"
    assert cluster.local == "pve2" and [p.name for p in cluster.peers] == ["pve1"]
    assert cluster.ceph_path == "/etc/ceph/ceph.conf"
    assert cluster.ha_resources == 1 and cluster.problems == ()


def test_local_copy_and_hostname(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"/etc/corosync/corosync.conf": COROSYNC, "/etc/hostname": "pve1.lab\n"})
    cluster = read_cluster(root)
    assert cluster.corosync_path == "/etc/corosync/corosync.conf" and cluster.local == "pve1"


def test_no_cluster_and_hostile_files(tmp_path: Path) -> None:
    assert read_cluster(Root(tmp_path)).empty
    import os

    (tmp_path / "etc/pve").mkdir(parents=True)
    os.mkfifo(tmp_path / "etc/pve/corosync.conf")  # a FIFO must not block the reader
    (tmp_path / "etc/ceph").mkdir()
    (tmp_path / "etc/ceph/ceph.conf").write_bytes(b"x" * (2 << 20))
    cluster = read_cluster(Root(tmp_path))
    assert cluster.empty
    assert any("not a regular file" in p for p in cluster.problems)
    assert any("larger than" in p for p in cluster.problems)
