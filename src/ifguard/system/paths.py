"""Where ifguard keeps its own state on a host (as the host sees it; map it with ``Root``)."""

from __future__ import annotations

STATE_DIR = "/var/lib/ifguard"
"""Transaction record, snapshots, history.db, install manifest, alert queue (mode 0700)."""
