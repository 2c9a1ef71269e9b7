"""Running commands: an argv list in, a ``Completed`` out, never a shell string and never an
exception for a missing program or a timeout. Tests pass a fake with the same ``run`` method.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Completed:
    rc: int
    out: str
    err: str

    @property
    def ok(self) -> bool:
        return self.rc == 0


class Runner(Protocol):
    def run(self, argv: Sequence[str], *, timeout: float | None = None) -> Completed: ...


class SubprocessRunner:
    """Run an argv list (never a shell string); a missing program or a timeout is a result."""

    def run(self, argv: Sequence[str], *, timeout: float | None = None) -> Completed:
        try:
            proc = subprocess.run(
                list(argv),
                capture_output=True,
                text=True,
                errors="replace",
                timeout=timeout,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except FileNotFoundError:
            return Completed(127, "", f"{argv[0]}: command not found")
        except subprocess.TimeoutExpired as exc:
            out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else ""
            return Completed(124, out, f"{argv[0]}: timed out after {timeout} s")
        except OSError as exc:
            return Completed(126, "", f"{argv[0]}: {exc.strerror or exc}")
        return Completed(proc.returncode, proc.stdout, proc.stderr)
