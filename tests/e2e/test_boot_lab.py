"""The boot model against a real boot: a fresh lab host (new namespaces, a new Open vSwitch,
ifupdown2 bringing the file up on nothing) built from the lab's file with one link of the
management path broken. Where the model (``config/bootpath.py``) says the path comes up, the
admin reaches the host; where it says it does not, lint has an error and the admin does not.
``python3 lab/boot_cases.py --lab`` runs every case (docs/boot.md shows the table)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import unavailable
from tests.e2e.conftest import _unavailable

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from lab.boot_cases import CASES, Case, diagnostics, lab_boots, model_boots  # noqa: E402

pytestmark = pytest.mark.e2e
# one case of each kind: no `auto` on the int-port, half an OVS pair, and an OVS bond member
# without `auto` (Open vSwitch brings it up itself: the model must not call that down)
KINDS = ("`auto vlan1`", "`ovs_bridge vmbr0` removed", "`auto enp1s0`")
CHOSEN = [c for c in CASES if c.change.startswith(KINDS)]


@pytest.mark.parametrize("case", CHOSEN, ids=lambda c: f"{c.link}: {c.change}")
def test_the_model_and_lint_agree_with_a_real_boot(case: Case) -> None:
    reason = _unavailable()
    if reason:
        unavailable(f"e2e prerequisites missing: {reason}")
    expected = model_boots(case)
    assert expected == case.boots
    errors = [d for d in diagnostics(case) if " error " in d]
    assert bool(errors) == (not expected), errors
    # its own prefix: the shared lab (`ifgt`) of the other e2e tests is not touched
    assert lab_boots(case, prefix="ifgb", timeout=20.0 if expected else 10.0) == expected
