"""Run a command the way systemd's ``RestrictAddressFamilies=`` runs a unit: a seccomp filter
makes ``socket()`` fail with EAFNOSUPPORT for every address family not allowed (systemd
installs the same kind of filter; there is no systemd as PID 1 here to ask it to).

    python -m tests.sandbox AF_UNIX,AF_INET,AF_INET6,AF_NETLINK -- COMMAND ARGS...

The filter is inherited by every child (``ping`` included) and cannot be lifted. Linux on
x86_64 or aarch64 only; ``supported()`` says whether this machine can run it.
"""

from __future__ import annotations

import ctypes
import os
import platform
import socket
import sys
from collections.abc import Iterable

# linux/audit.h, asm/unistd.h: the architecture token and socket()'s number per machine
ARCHES = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO = 0x7FFF0000, 0x00050000
LD_W_ABS, JEQ_K, RET_K = 0x20, 0x15, 0x06  # BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K, BPF_RET
NR, ARCH, ARG0 = 0, 4, 16  # offsets in struct seccomp_data (args[0]: its low 32 bits)
EAFNOSUPPORT = 97


class _Filter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_ushort),
        ("jt", ctypes.c_ubyte),
        ("jf", ctypes.c_ubyte),
        ("k", ctypes.c_uint),
    ]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Filter))]


def supported() -> bool:
    return sys.platform == "linux" and platform.machine() in ARCHES


def program(allowed: Iterable[int]) -> list[tuple[int, int, int, int]]:
    """The BPF program: socket() with a family not in ``allowed`` -> EAFNOSUPPORT, anything
    else allowed (other architectures' syscalls too: this is a test fixture, not a jail)."""
    arch, nr_socket = ARCHES[platform.machine()]
    families = sorted(set(allowed))
    n = len(families)
    prog = [
        (LD_W_ABS, 0, 0, ARCH),
        (JEQ_K, 0, n + 4, arch),  # another architecture: allow
        (LD_W_ABS, 0, 0, NR),
        (JEQ_K, 0, n + 2, nr_socket),  # not socket(): allow
        (LD_W_ABS, 0, 0, ARG0),
    ]
    for i, family in enumerate(families):
        prog.append((JEQ_K, n - i, 0, family))  # allowed: jump to the ALLOW at the end
    prog.append((RET_K, 0, 0, SECCOMP_RET_ERRNO | EAFNOSUPPORT))
    prog.append((RET_K, 0, 0, SECCOMP_RET_ALLOW))
    return prog


def restrict_address_families(allowed: Iterable[int]) -> None:
    """Install the filter in this process (for good). Raises OSError when the kernel refuses."""
    rules = program(allowed)
    filters = (_Filter * len(rules))(*(_Filter(*r) for r in rules))
    prog = _Program(len(rules), filters)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP)")


def families(text: str) -> list[int]:
    """``AF_UNIX,AF_INET`` -> their numbers (an empty text allows none)."""
    return [int(getattr(socket, name)) for name in text.split(",") if name]


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print("usage: python -m tests.sandbox AF_X,AF_Y -- COMMAND ARGS...", file=sys.stderr)
        return 2
    restrict_address_families(families(argv[0]))
    os.execvp(argv[2], argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
