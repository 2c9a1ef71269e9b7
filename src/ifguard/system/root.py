"""The filesystem root the host's paths are resolved under: ``/`` in production, ``--root DIR``
for a mounted system, a temporary directory in tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class Root(NamedTuple):
    """A path prefix standing for ``/``."""

    prefix: Path = Path("/")

    def path(self, system_path: str) -> Path:
        """Map an absolute path as the host sees it to a real path under this root."""
        return self.prefix / system_path.lstrip("/")

    def system_path(self, real: Path) -> str:
        """Map a real path back to the path the host sees (for messages)."""
        try:
            return "/" + str(real.relative_to(self.prefix)).lstrip(".")
        except ValueError:
            return str(real)
