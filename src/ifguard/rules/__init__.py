"""The rule registry: one explicit tuple, grouped by family. Codes are never reused.

1xx junk and encoding · 2xx syntax and schema · 3xx references · 4xx addressing ·
5xx Open vSwitch · 6xx runtime and drift.
"""

from __future__ import annotations

from ifguard.rules import encoding, junk, sources
from ifguard.rules.base import Context, Finding, Rule

RULES: tuple[Rule, ...] = (
    # 1xx: lines that are not configuration, bytes the tools mis-read
    junk.pasted_command_output,
    junk.pasted_shell_command,
    junk.stray_marker,
    encoding.invalid_utf8,
    encoding.control_character,
    encoding.crlf_line_ending,
    junk.misspelt_keyword,
    junk.invalid_option_name,
    encoding.trailing_comment,
    junk.option_outside_stanza,
    # 2xx: syntax and schema
    sources.source_not_found,
    sources.source_cycle,
)

BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}
BY_NAME: dict[str, Rule] = {r.name: r for r in RULES}

__all__ = ["BY_CODE", "BY_NAME", "RULES", "Context", "Finding", "Rule"]
