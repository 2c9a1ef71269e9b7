#!/usr/bin/python3
"""The oracle of the differential harness: Debian's own ifupdown2 parser, nothing else.

Run under Debian's python3 (``/usr/bin/python3``) as a long-lived server: one JSON request
per line on stdin (``{"root": DIR, "main": "/etc/network/interfaces", "cwd": "/"}``), one
JSON answer per line on stdout. The ifupdown2 modules are imported once; each request is
parsed in a forked child that first ``chroot``s into DIR (in a user namespace when not root)
and changes to ``cwd``, so ``source`` globs, absolute or relative, see only the test's tree,
exactly as ifupdown2 sees ``/`` under networking.service.

Only ``ifupdown.networkinterfaces`` is used - the parser ``ifquery``/``ifreload`` read the
file with - with templates off (Mako would run code from the file). Nothing is brought up,
no state file is written, no netlink socket is opened.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import re
import sys
from typing import Any

sys.path.insert(0, "/usr/share/ifupdown2")
from ifupdown.networkinterfaces import networkInterfaces  # type: ignore[import-not-found]

_WHITESPACE = "\n\t\r "  # what ifupdown2 strips from each line
_SPLIT = re.compile(r"[\s\t]\s*")  # how ifupdown2 splits words


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[list[str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.messages.append([record.levelname.lower(), record.getMessage()])


class _Recorder(networkInterfaces):  # type: ignore[misc]
    """The real parser; only records which file each stanza came from and its written name."""

    def __init__(self, main: str) -> None:
        super().__init__(interfacesfile=main, template_enable="0")
        self.files: list[str] = []
        self.stanzas: list[dict[str, Any]] = []
        self.subscribe("iface_found", self._found)

    def read_file(self, filename: str, fileiobuf: Any = None) -> None:
        self.files.append(filename)
        super().read_file(filename, fileiobuf)

    def parse_iface(self, lines: list[str], cur_idx: int, lineno: int, ifaceobj: Any) -> int:
        consumed: int = super().parse_iface(lines, cur_idx, lineno, ifaceobj)
        ifaceobj.written_name = _SPLIT.split(lines[cur_idx].strip(_WHITESPACE))[1]
        ifaceobj.source_file = self._currentfile
        return consumed

    def _found(self, obj: Any) -> None:
        written = getattr(obj, "written_name", obj.name)
        if obj.flags & obj.IFACERANGE_ENTRY and not obj.flags & obj.IFACERANGE_START:
            self.stanzas[-1]["expanded"].append(obj.name)  # one `swp[1-3]` stanza, cloned
            return
        self.stanzas.append(
            {
                "written": written,
                "name": obj.name,
                "expanded": [obj.name],
                "file": getattr(obj, "source_file", ""),
                "family": list(obj.addr_family),
                "method": obj.addr_method,
                "vlan": obj.type == 0x10,  # ifaceType.BRIDGE_VLAN
                "config": [[k, list(v)] for k, v in obj.config.items()],
            }
        )


def _enter(root: str, cwd: str) -> None:
    """chroot into ``root`` (as root, or as root of a fresh user namespace)."""
    if os.geteuid() != 0:
        uid, gid = os.getuid(), os.getgid()
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(0x10000000) != 0:  # CLONE_NEWUSER
            raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWUSER)")
        with open("/proc/self/setgroups", "w") as f:
            f.write("deny")
        with open("/proc/self/uid_map", "w") as f:
            f.write(f"0 {uid} 1")
        with open("/proc/self/gid_map", "w") as f:
            f.write(f"0 {gid} 1")
    os.chroot(root)
    os.chdir(cwd)


def _parse(request: dict[str, Any]) -> dict[str, Any]:
    collect = _Collect()
    log = logging.getLogger("ifupdown")
    log.handlers[:] = [collect]
    log.propagate = False
    log.setLevel(logging.DEBUG)
    _enter(request["root"], request.get("cwd", "/"))
    parser = _Recorder(request["main"])
    try:
        parser.load()
    except Exception as exc:  # ifupdown2 itself stops here (e.g. `allow-hotplug` alone)
        collect.messages.append(["exception", f"{type(exc).__name__}: {exc}"])
    return {
        "files": parser.files,
        "stanzas": parser.stanzas,
        "auto": parser.auto_ifaces,
        "auto_all": parser.auto_all,
        "allow": {k: list(v) for k, v in parser.allow_classes.items()},
        "messages": collect.messages,
    }


def _serve_one(line: str) -> str:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: chroot, parse, answer, exit without cleanup
        os.close(read)
        try:
            answer = json.dumps(_parse(json.loads(line)))
        except BaseException as exc:
            answer = json.dumps({"error": f"{type(exc).__name__}: {exc}"})
        with os.fdopen(write, "w") as out:
            out.write(answer)
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as inp:
        answer = inp.read()
    os.waitpid(pid, 0)
    return answer or json.dumps({"error": "oracle child died"})


def main() -> None:
    for line in sys.stdin:
        if line.strip():
            sys.stdout.write(_serve_one(line) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
