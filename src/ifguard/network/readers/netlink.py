"""Links, addresses and routes over rtnetlink (pyroute2), decoded into ``types.Link`` and
``types.Route``.

The reader is split in two so the decoding is tested without root or netlink: a
``NetlinkSource`` yields raw rtnetlink messages (``PyrouteSource`` asks the kernel of the
current network namespace; ``RecordedSource`` replays bytes captured in the lab), and
``read_netlink`` turns them into values.
"""

from __future__ import annotations

import ipaddress
import json
import socket
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from ifguard.network.readers.types import Link, Route

IFF_UP = 0x1
IFF_LOWER_UP = 0x10000
RTN_UNICAST = 1
RT_TABLE_LOCAL = 255
FAMILIES: dict[int, int] = {int(socket.AF_INET): 4, int(socket.AF_INET6): 6}


class NetlinkSource(Protocol):
    def links(self) -> Iterable[Any]: ...

    def addresses(self) -> Iterable[Any]: ...

    def routes(self) -> Iterable[Any]: ...


class PyrouteSource:
    """The three dumps from the kernel (the caller's network namespace), taken over one
    netlink socket on first use; one instance is one snapshot."""

    def __init__(self) -> None:
        self._dumps: dict[str, list[Any]] | None = None

    def _dump(self, what: str) -> list[Any]:
        if self._dumps is None:
            from pyroute2 import IPRoute  # type: ignore[import-untyped]  # slow: imported late

            with IPRoute() as ipr:
                self._dumps = {
                    "links": list(ipr.get_links()),
                    "addresses": list(ipr.get_addr()),
                    "routes": [
                        *ipr.get_routes(family=socket.AF_INET),
                        *ipr.get_routes(family=socket.AF_INET6),
                    ],
                }
        return self._dumps[what]

    def links(self) -> list[Any]:
        return self._dump("links")

    def addresses(self) -> list[Any]:
        return self._dump("addresses")

    def routes(self) -> list[Any]:
        return self._dump("routes")


def raw_bytes(msg: Any) -> bytes:
    """The bytes of one message as the kernel sent it (for recording fixtures)."""
    return bytes(msg.data[msg.offset : msg.offset + msg["header"]["length"]])


def record(source: NetlinkSource) -> dict[str, list[str]]:
    """Every message of the three dumps as hex, for ``RecordedSource``."""
    return {
        what: [raw_bytes(m).hex() for m in getattr(source, what)()]
        for what in ("links", "addresses", "routes")
    }


class RecordedSource:
    """Replays messages captured with ``record`` (a JSON file of hex strings)."""

    def __init__(self, data: dict[str, list[str]]) -> None:
        self.data = data

    @classmethod
    def from_file(cls, path: Path) -> RecordedSource:
        return cls(json.loads(path.read_text()))

    def _decode(self, what: str) -> Iterator[Any]:
        from pyroute2.netlink.rtnl.ifaddrmsg import ifaddrmsg  # type: ignore[import-untyped]
        from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg  # type: ignore[import-untyped]
        from pyroute2.netlink.rtnl.rtmsg import rtmsg  # type: ignore[import-untyped]

        cls = {"links": ifinfmsg, "addresses": ifaddrmsg, "routes": rtmsg}[what]
        for text in self.data.get(what, []):
            msg = cls(bytes.fromhex(text))
            msg.decode()
            yield msg

    def links(self) -> Iterator[Any]:
        return self._decode("links")

    def addresses(self) -> Iterator[Any]:
        return self._decode("addresses")

    def routes(self) -> Iterator[Any]:
        return self._decode("routes")


def _cidr(address: str, prefixlen: int) -> str:
    return str(ipaddress.ip_interface(f"{address}/{prefixlen}"))


def read_netlink(source: NetlinkSource) -> tuple[dict[str, Link], tuple[Route, ...]]:
    raw_links = list(source.links())
    names = {int(m["index"]): str(m.get_attr("IFLA_IFNAME")) for m in raw_links}
    addrs: dict[int, list[str]] = {}
    for m in source.addresses():
        address = m.get_attr("IFA_LOCAL") or m.get_attr("IFA_ADDRESS")
        if address:
            addrs.setdefault(int(m["index"]), []).append(_cidr(address, int(m["prefixlen"])))
    links: dict[str, Link] = {}
    for m in raw_links:
        index = int(m["index"])
        flags = int(m["flags"])
        kind = m.get_nested("IFLA_LINKINFO", "IFLA_INFO_KIND") or ""
        vlan_id = m.get_nested("IFLA_LINKINFO", "IFLA_INFO_DATA", "IFLA_VLAN_ID")
        filtering = m.get_nested("IFLA_LINKINFO", "IFLA_INFO_DATA", "IFLA_BR_VLAN_FILTERING")
        master = m.get_attr("IFLA_MASTER")
        parent = m.get_attr("IFLA_LINK") if kind == "vlan" else None
        links[names[index]] = Link(
            names[index],
            index,
            str(kind),
            names.get(master) if master else None,
            bool(flags & IFF_UP),
            bool(flags & IFF_LOWER_UP),
            str(m.get_attr("IFLA_OPERSTATE") or "UNKNOWN"),
            m.get_attr("IFLA_MTU"),
            m.get_attr("IFLA_ADDRESS"),
            int(vlan_id) if vlan_id is not None else None,
            names.get(parent) if parent else None,
            bool(filtering) if kind == "bridge" and filtering is not None else None,
            tuple(addrs.get(index, ())),
        )
    routes: list[Route] = []
    for m in source.routes():
        table = int(m.get_attr("RTA_TABLE") or m["table"])
        if int(m["type"]) != RTN_UNICAST or table == RT_TABLE_LOCAL:
            continue
        family = FAMILIES.get(int(m["family"]))
        if family is None:
            continue
        dst = m.get_attr("RTA_DST")
        oif = m.get_attr("RTA_OIF")
        routes.append(
            Route(
                family,
                _cidr(dst, int(m["dst_len"])) if dst else "default",
                m.get_attr("RTA_GATEWAY"),
                names.get(oif) if oif else None,
                table,
            )
        )
    return links, tuple(routes)
