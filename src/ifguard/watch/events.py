"""Event sources that wake the runtime check: rtnetlink multicast groups (links, addresses,
routes) and ``ovsdb-client monitor`` on the Open vSwitch tables. Both block in the kernel
or in a pipe; nothing polls. Each calls ``on_event()``; the daemon debounces.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import socket
import subprocess
import threading
from collections.abc import Callable, Sequence

log = logging.getLogger("ifguard.watch")

# rtnetlink multicast groups: RTMGRP_LINK, IPV4_IFADDR, IPV4_ROUTE, IPV6_IFADDR, IPV6_ROUTE
RTMGRP = 0x1 | 0x10 | 0x40 | 0x100 | 0x400
NETLINK_ROUTE = 0
OVSDB = "unix:/run/openvswitch/db.sock"
OVS_TABLES = (
    ("Interface", "name,link_state,admin_state,lacp_current"),
    ("Port", "name,interfaces,tag,trunks,vlan_mode,bond_mode,lacp"),
)


class NetlinkEvents:
    """A plain rtnetlink socket subscribed to the multicast groups: the thread sleeps in
    recv(2) until the kernel reports a change (pyroute2's event API keeps an event loop
    spinning, about 1 % CPU on an idle host)."""

    def __init__(self, on_event: Callable[[], None]) -> None:
        self.on_event = on_event
        self._sock: socket.socket | None = None

    def start(self) -> bool:
        try:
            sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_ROUTE)
            sock.bind((0, RTMGRP))
        except (OSError, AttributeError) as exc:
            log.error("netlink events unavailable: %s", exc)
            return False
        self._sock = sock
        threading.Thread(
            target=self._run, args=(sock,), name="ifguard-netlink", daemon=True
        ).start()
        return True

    def _run(self, sock: socket.socket) -> None:
        while True:
            try:
                data = sock.recv(65536)
            except OSError as exc:
                if exc.errno == errno.ENOBUFS:  # events were lost: look anyway
                    self.on_event()
                    continue
                return  # closed by stop()
            if not data:
                return
            self.on_event()

    def stop(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.close()


class OvsEvents:
    """One ``ovsdb-client monitor`` per table; restarted (slowly) while OVS is down."""

    def __init__(
        self,
        on_event: Callable[[], None],
        stop: threading.Event,
        retry: float = 30.0,
        server: str = OVSDB,
    ) -> None:
        self.on_event, self.stop_event, self.retry, self.server = on_event, stop, retry, server
        self._procs: list[subprocess.Popen[str]] = []

    def argv(self, table: str, columns: str) -> Sequence[str]:
        return [
            "ovsdb-client",
            "monitor",
            self.server,
            "Open_vSwitch",
            table,
            columns,
            "--format=json",
        ]

    def start(self) -> None:
        for table, columns in OVS_TABLES:
            threading.Thread(
                target=self._run, args=(table, columns), daemon=True, name=f"ifguard-ovsdb-{table}"
            ).start()

    def _run(self, table: str, columns: str) -> None:
        first = True
        while not self.stop_event.is_set():
            try:
                proc = subprocess.Popen(
                    self.argv(table, columns),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    stdin=subprocess.DEVNULL,
                    text=True,
                )
            except OSError:
                if first:
                    log.info("Open vSwitch events unavailable (ovsdb-client not installed)")
                return
            self._procs.append(proc)
            assert proc.stdout is not None
            initial = True
            for _line in proc.stdout:
                # the first line is the table's initial contents: news only after a restart
                if not initial or not first:
                    self.on_event()
                initial = False
            proc.wait()
            if first and initial:
                log.info(
                    "Open vSwitch events unavailable (not running?); retrying every %.0f s",
                    self.retry,
                )
            first = False
            self.stop_event.wait(self.retry)

    def stop(self) -> None:
        for proc in self._procs:
            with contextlib.suppress(OSError):
                proc.kill()
