"""Proxmox cluster configuration beside the network files: corosync links, Ceph networks and
monitors, HA resources. Read-only, bounded, never fatal: a missing file is "no cluster", an
unreadable or odd one is reported in ``problems`` and skipped.

* corosync: ``/etc/pve/corosync.conf`` (the cluster filesystem, mounted while pve-cluster
  runs), else the local copy ``/etc/corosync/corosync.conf``. ``nodelist { node { name;
  nodeid; ring0_addr; ring1_addr ... } }``: ``ringN_addr`` is the address of link N.
* Ceph: ``/etc/pve/ceph.conf``, else ``/etc/ceph/ceph.conf``: ``public_network``,
  ``cluster_network`` (comma-separated CIDRs) and ``mon_host`` (addresses, possibly in the
  ``[v2:IP:3300/0,v1:IP:6789/0]`` form). Ceph accepts spaces for underscores in keys.
* HA: ``/etc/pve/ha/resources.cfg`` with at least one resource: losing quorum fences the
  node (watchdog reset about 60 s later), so a change must be undone well inside that.
"""

from __future__ import annotations

import ipaddress
import re
import stat
from dataclasses import dataclass, field

from ifguard.system.root import Root

COROSYNC = ("/etc/pve/corosync.conf", "/etc/corosync/corosync.conf")
CEPH = ("/etc/pve/ceph.conf", "/etc/ceph/ceph.conf")
HA_RESOURCES = "/etc/pve/ha/resources.cfg"
HOSTNAME = "/etc/hostname"
MAX_BYTES = 1 << 20  # a corosync.conf is a few KiB; anything bigger is not one

_RING = re.compile(r"^ring(\d+)_addr$")
_IPV4 = r"\d{1,3}(?:\.\d{1,3}){3}"
_IPV6 = r"[0-9A-Fa-f:]*:[0-9A-Fa-f:.]+"


@dataclass(frozen=True)
class Node:
    name: str
    nodeid: str
    links: tuple[tuple[int, str], ...]  # (link number, address or host name)


@dataclass(frozen=True)
class Cluster:
    """What the cluster files say. ``local`` is this node's name when it could be told
    (its address among the host's, else /etc/hostname); None: no corosync."""

    nodes: tuple[Node, ...] = ()
    local: str | None = None
    corosync_path: str | None = None
    ceph_networks: tuple[tuple[str, str], ...] = ()  # ("public"|"cluster", CIDR)
    ceph_mons: tuple[str, ...] = ()
    ceph_path: str | None = None
    ha_resources: int = 0
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return not self.nodes and not self.ceph_networks and not self.ceph_mons

    @property
    def peers(self) -> tuple[Node, ...]:
        return tuple(n for n in self.nodes if n.name != self.local)

    def node(self, name: str | None) -> Node | None:
        return next((n for n in self.nodes if n.name == name), None)


def _read(root: Root, system_path: str) -> tuple[str | None, str | None]:
    """(text, problem): text None when absent or unusable."""
    path = root.path(system_path)
    try:
        st = path.stat()
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, f"{system_path}: {exc.strerror or exc}"
    if not stat.S_ISREG(st.st_mode):
        return None, f"{system_path}: not a regular file: ignored"
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, f"{system_path}: {exc.strerror or exc}"
    if len(data) > MAX_BYTES:
        return None, f"{system_path}: larger than {MAX_BYTES} bytes: ignored"
    return data.decode("utf-8", "replace"), None


def parse_corosync(text: str) -> tuple[list[Node], list[str]]:
    """The ``nodelist`` of a corosync.conf. Returns (nodes, problems)."""
    nodes: list[Node] = []
    problems: list[str] = []
    stack: list[str] = []
    current: dict[str, str] | None = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        while line:
            if line.startswith("}"):
                if not stack:
                    problems.append(f"line {lineno}: unbalanced '}}'")
                else:
                    closed = stack.pop()
                    if closed == "node" and stack == ["nodelist"] and current is not None:
                        nodes.append(_node(current, len(nodes)))
                        current = None
                line = line[1:].strip()
                continue
            m = re.match(r"^([A-Za-z0-9_.-]+)\s*\{", line)
            if m:
                stack.append(m.group(1))
                if stack == ["nodelist", "node"]:
                    current = {}
                line = line[m.end() :].strip()
                continue
            m = re.match(r"^([A-Za-z0-9_.-]+)\s*:\s*([^{}]*)", line)
            if m:
                if current is not None and stack == ["nodelist", "node"]:
                    current[m.group(1)] = m.group(2).strip()
                line = line[m.end() :].strip()
                continue
            problems.append(f"line {lineno}: not understood: {raw.strip()[:60]!r}")
            break
    if stack:
        problems.append(f"unclosed section {' > '.join(stack)}")
    return nodes, problems


def _node(values: dict[str, str], index: int) -> Node:
    links = sorted((int(m.group(1)), v) for k, v in values.items() if (m := _RING.match(k)) and v)
    name = values.get("name") or values.get("ring0_addr") or f"node{index + 1}"
    return Node(name=name, nodeid=values.get("nodeid", ""), links=tuple(links))


def parse_ceph(text: str) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """(networks, monitor addresses, problems) from the ``[global]`` section (and the
    ``[mon.X]`` sections' ``public_addr``)."""
    networks: list[tuple[str, str]] = []
    mons: list[str] = []
    problems: list[str] = []
    section = ""
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = re.split(r"\s[#;]|^[#;]", raw, maxsplit=1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().lower()
            continue
        key, sep, value = line.partition("=")
        if not sep:
            continue
        key = re.sub(r"[\s_]+", "_", key.strip().lower())
        value = value.strip()
        if section == "global" and key in ("public_network", "cluster_network"):
            for cidr in filter(None, (v.strip() for v in value.split(","))):
                try:
                    net = ipaddress.ip_network(cidr, strict=False)
                except ValueError:
                    problems.append(f"line {lineno}: {key} {cidr!r} is not a network")
                    continue
                networks.append((key.split("_")[0], str(net)))
        elif (section == "global" and key in ("mon_host", "mon_addr")) or (
            section.startswith("mon.") and key in ("public_addr", "mon_addr")
        ):
            for ip in addresses_in(value):
                if ip not in mons:
                    mons.append(ip)
    return networks, mons, problems


def addresses_in(value: str) -> list[str]:
    """IP addresses in a ``mon_host`` value: ``10.0.0.1 10.0.0.2``, ``10.0.0.1:6789``,
    ``[v2:10.0.0.1:3300/0,v1:10.0.0.1:6789/0]``, ``[2001:db8::1]:6789``."""
    found: list[str] = []
    for token in re.findall(rf"{_IPV4}|\[?{_IPV6}\]?", value):
        token = token.strip("[]")
        inner = re.findall(_IPV4, token)  # v2:10.0.0.1:3300 looks like IPv6 at first
        for candidate in (token, token.rsplit(":", 1)[0], *inner):
            try:
                ip = str(ipaddress.ip_address(candidate))
            except ValueError:
                continue
            if ip not in found:
                found.append(ip)
            break
    return found


def count_ha_resources(text: str) -> int:
    """Sections of ``resources.cfg`` (``vm: 100`` / ``ct: 101`` headers)."""
    return sum(
        1
        for line in text.splitlines()
        if line and not line[0].isspace() and not line.startswith("#") and ":" in line
    )


def _first(
    root: Root, candidates: tuple[str, ...], problems: list[str]
) -> tuple[str | None, str | None]:
    """(path, text) of the first candidate that can be read; problems met on the way are
    appended to ``problems``."""
    for candidate in candidates:
        text, problem = _read(root, candidate)
        if problem:
            problems.append(problem)
        if text is not None:
            return candidate, text
    return None, None


def read_cluster(root: Root, local_addresses: frozenset[str] = frozenset()) -> Cluster:
    """Everything above from the files under ``root``. ``local_addresses`` (this host's IPs,
    from the configuration) tell which corosync node is this one."""
    problems: list[str] = []
    nodes: list[Node] = []
    corosync_path, text = _first(root, COROSYNC, problems)
    if corosync_path is not None and text is not None:
        nodes, found = parse_corosync(text)
        problems.extend(f"{corosync_path}: {p}" for p in found)
    networks: list[tuple[str, str]] = []
    mons: list[str] = []
    ceph_path, text = _first(root, CEPH, problems)
    if ceph_path is not None and text is not None:
        networks, mons, found = parse_ceph(text)
        problems.extend(f"{ceph_path}: {p}" for p in found)
    ha_text, problem = _read(root, HA_RESOURCES)
    if problem:
        problems.append(problem)
    return Cluster(
        nodes=tuple(nodes),
        local=_local_node(root, nodes, local_addresses),
        corosync_path=corosync_path,
        ceph_networks=tuple(networks),
        ceph_mons=tuple(mons),
        ceph_path=ceph_path,
        ha_resources=count_ha_resources(ha_text) if ha_text else 0,
        problems=tuple(problems),
    )


def _local_node(root: Root, nodes: list[Node], addresses: frozenset[str]) -> str | None:
    for node in nodes:
        if any(addr in addresses for _, addr in node.links):
            return node.name
    text, _ = _read(root, HOSTNAME)
    hostname = (text or "").strip().split(".")[0]
    return next((n.name for n in nodes if n.name == hostname), None) if hostname else None
