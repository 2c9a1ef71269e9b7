"""The rule registry: one explicit tuple, grouped by family. Codes are never reused.

1xx junk and encoding · 2xx syntax and schema · 3xx references · 4xx addressing ·
5xx Open vSwitch. (The running network is not a rule's business: see ``ifguard.network``.)
"""

from __future__ import annotations

from ifguard.lint.rules import (
    addressing,
    encoding,
    glued,
    inventory,
    junk,
    ovs,
    ovs_options,
    ports,
    references,
    sources,
    stacking,
    subnets,
    syntax,
    values,
)
from ifguard.lint.rules.base import Context, Finding, Rule

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
    glued.python_repr_value,
    # 2xx: syntax and schema
    sources.source_not_found,
    sources.source_cycle,
    syntax.malformed_iface_line,
    syntax.missing_value,
    syntax.duplicate_option,
    syntax.keyword_not_in_dialect,
    values.misspelt_attribute,
    ports.bond_option_without_prefix,
    values.invalid_value,
    values.vlan_id_out_of_range,
    values.malformed_mac_address,
    values.unreplaced_placeholder,
    values.broken_shell_command,
    glued.text_glued_to_command,
    ovs_options.invalid_ovs_option,
    # 3xx: references between interfaces
    references.undefined_interface,
    references.duplicate_interface,
    references.enslaved_twice,
    references.dependency_loop,
    references.duplicate_auto,
    stacking.vlan_parent_missing,
    stacking.mtu_above_parent,
    stacking.address_on_port,
    stacking.auto_without_stanza,
    inventory.nic_not_on_host,
    ports.port_range_without_glob,
    # 4xx: addressing
    addressing.invalid_address,
    addressing.gateway_outside_subnet,
    addressing.multiple_default_gateways,
    addressing.duplicate_address,
    subnets.network_address_as_host,
    subnets.netmask_conflicts_with_prefix,
    subnets.overlapping_subnets,
    subnets.broadcast_outside_subnet,
    # 5xx: Open vSwitch
    ovs.ovs_bridge_port_mismatch,
    ovs.ovs_bond_member_as_port,
    ovs.ovs_bond_too_few_members,
)

BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}
BY_NAME: dict[str, Rule] = {r.name: r for r in RULES}

__all__ = ["BY_CODE", "BY_NAME", "RULES", "Context", "Finding", "Rule"]


def rule_keys() -> tuple[tuple[str, str], ...]:
    """(code, name) of every rule: what settings and --select/--ignore are checked against."""
    return tuple((r.code, r.name) for r in RULES)
