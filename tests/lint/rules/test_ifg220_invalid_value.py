"""IFG220 invalid-value (code: src/ifguard/lint/rules/ifg220_invalid_value.py; docs: `ifguard
explain IFG220`)."""

from __future__ import annotations

from ifguard.config.diagnostic import Severity
from tests.lint.rules.helpers import codes, hits, lint, messages, only

CODE = "IFG220"
BOND = "auto bond0\niface bond0 inet manual\n    bond-slaves eno1 eno2\n"


def test_fires_on_a_bad_choice_and_a_number_out_of_range() -> None:
    text = BOND + "    bond-mode 802.3AD\n    mtu 70000\n"
    assert hits(CODE, text) == [(4, 5, 4, 22), (5, 5, 5, 14)]
    first, second = messages(CODE, text)
    assert "did you mean `802.3ad`? (values are case-sensitive)" in first
    assert second == "`mtu` must be a whole number from 68 to 65535, not `70000`"


def test_a_jumbo_mtu_above_9216_is_only_a_warning() -> None:
    (diag,) = only(CODE, lint(BOND + "    mtu 9500\n"))
    assert (diag.line, diag.column, diag.severity) == (4, 5, Severity.WARNING)


def test_near_miss_stays_clean() -> None:
    """Valid values, and values computed by the hook scripts (`$VAR`), are fine."""
    text = BOND + "    bond-mode 802.3ad\n    mtu 9000\n    bond-miimon 100\n"
    assert codes(text) == []
    assert codes(BOND + "    bond-mode $MODE\n") == []
