"""The rule registry: one explicit tuple, grouped by family. Codes are never reused.

1xx junk and encoding · 2xx syntax and schema · 3xx references · 4xx addressing ·
5xx Open vSwitch. (The running network is not a rule's business: see ``ifguard.network``.)

One module per rule, named after its code and name: IFG402 gateway-outside-subnet is
``ifg402_gateway_outside_subnet.py`` (its tests: ``tests/lint/rules/test_ifg402_...py``).
Helpers two rules share live in ``helpers.py``; a rule module never imports another one
(``tests/lint/rules/test_rule_layout.py`` checks both).
"""

from __future__ import annotations

from ifguard.lint.rules import (
    ifg101_pasted_command_output,
    ifg102_pasted_shell_command,
    ifg103_stray_marker,
    ifg104_invalid_utf8,
    ifg105_control_character,
    ifg106_crlf_line_ending,
    ifg107_misspelt_keyword,
    ifg108_invalid_option_name,
    ifg109_trailing_comment,
    ifg110_option_outside_stanza,
    ifg111_python_repr_value,
    ifg112_backslash_joins_lines,
    ifg113_invisible_or_lookalike_character,
    ifg201_source_not_found,
    ifg202_source_cycle,
    ifg203_malformed_iface_line,
    ifg204_missing_value,
    ifg205_duplicate_option,
    ifg206_keyword_not_in_dialect,
    ifg207_interface_name_too_long,
    ifg208_relative_source_path,
    ifg210_misspelt_attribute,
    ifg211_bond_option_without_prefix,
    ifg220_invalid_value,
    ifg221_vlan_id_out_of_range,
    ifg222_malformed_mac_address,
    ifg223_unreplaced_placeholder,
    ifg224_broken_shell_command,
    ifg225_text_glued_to_command,
    ifg240_invalid_ovs_option,
    ifg301_undefined_interface,
    ifg302_conflicting_duplicate_interface,
    ifg303_enslaved_twice,
    ifg304_dependency_loop,
    ifg305_duplicate_auto,
    ifg306_vlan_parent_missing,
    ifg307_mtu_above_parent,
    ifg308_address_on_port,
    ifg309_auto_without_stanza,
    ifg310_nic_not_on_host,
    ifg311_port_range_without_glob,
    ifg320_not_started_at_boot,
    ifg401_invalid_address,
    ifg402_gateway_outside_subnet,
    ifg403_multiple_default_gateways,
    ifg404_duplicate_address,
    ifg405_network_address_as_host,
    ifg406_netmask_conflicts_with_prefix,
    ifg407_overlapping_subnets,
    ifg408_broadcast_outside_subnet,
    ifg409_netmask_of_another_address,
    ifg501_ovs_bridge_port_mismatch,
    ifg502_ovs_bond_member_as_port,
    ifg503_ovs_bond_too_few_members,
    ifg504_ovs_port_incomplete,
)
from ifguard.lint.rules.base import Context, Finding, Rule

RULES: tuple[Rule, ...] = (
    # 1xx: lines that are not configuration, bytes the tools mis-read
    ifg101_pasted_command_output.pasted_command_output,
    ifg102_pasted_shell_command.pasted_shell_command,
    ifg103_stray_marker.stray_marker,
    ifg104_invalid_utf8.invalid_utf8,
    ifg105_control_character.control_character,
    ifg106_crlf_line_ending.crlf_line_ending,
    ifg107_misspelt_keyword.misspelt_keyword,
    ifg108_invalid_option_name.invalid_option_name,
    ifg109_trailing_comment.trailing_comment,
    ifg110_option_outside_stanza.option_outside_stanza,
    ifg111_python_repr_value.python_repr_value,
    ifg112_backslash_joins_lines.backslash_joins_lines,
    ifg113_invisible_or_lookalike_character.invisible_or_lookalike_character,
    # 2xx: syntax and schema
    ifg201_source_not_found.source_not_found,
    ifg202_source_cycle.source_cycle,
    ifg203_malformed_iface_line.malformed_iface_line,
    ifg204_missing_value.missing_value,
    ifg205_duplicate_option.duplicate_option,
    ifg206_keyword_not_in_dialect.keyword_not_in_dialect,
    ifg207_interface_name_too_long.interface_name_too_long,
    ifg208_relative_source_path.relative_source_path,
    ifg210_misspelt_attribute.misspelt_attribute,
    ifg211_bond_option_without_prefix.bond_option_without_prefix,
    ifg220_invalid_value.invalid_value,
    ifg221_vlan_id_out_of_range.vlan_id_out_of_range,
    ifg222_malformed_mac_address.malformed_mac_address,
    ifg223_unreplaced_placeholder.unreplaced_placeholder,
    ifg224_broken_shell_command.broken_shell_command,
    ifg225_text_glued_to_command.text_glued_to_command,
    ifg240_invalid_ovs_option.invalid_ovs_option,
    # 3xx: references between interfaces
    ifg301_undefined_interface.undefined_interface,
    ifg302_conflicting_duplicate_interface.duplicate_interface,
    ifg303_enslaved_twice.enslaved_twice,
    ifg304_dependency_loop.dependency_loop,
    ifg305_duplicate_auto.duplicate_auto,
    ifg306_vlan_parent_missing.vlan_parent_missing,
    ifg307_mtu_above_parent.mtu_above_parent,
    ifg308_address_on_port.address_on_port,
    ifg309_auto_without_stanza.auto_without_stanza,
    ifg310_nic_not_on_host.nic_not_on_host,
    ifg311_port_range_without_glob.port_range_without_glob,
    ifg320_not_started_at_boot.not_started_at_boot,
    # 4xx: addressing
    ifg401_invalid_address.invalid_address,
    ifg402_gateway_outside_subnet.gateway_outside_subnet,
    ifg403_multiple_default_gateways.multiple_default_gateways,
    ifg404_duplicate_address.duplicate_address,
    ifg405_network_address_as_host.network_address_as_host,
    ifg406_netmask_conflicts_with_prefix.netmask_conflicts_with_prefix,
    ifg407_overlapping_subnets.overlapping_subnets,
    ifg408_broadcast_outside_subnet.broadcast_outside_subnet,
    ifg409_netmask_of_another_address.netmask_of_another_address,
    # 5xx: Open vSwitch
    ifg501_ovs_bridge_port_mismatch.ovs_bridge_port_mismatch,
    ifg502_ovs_bond_member_as_port.ovs_bond_member_as_port,
    ifg503_ovs_bond_too_few_members.ovs_bond_too_few_members,
    ifg504_ovs_port_incomplete.ovs_port_incomplete,
)

BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}
BY_NAME: dict[str, Rule] = {r.name: r for r in RULES}

__all__ = ["BY_CODE", "BY_NAME", "RULES", "Context", "Finding", "Rule"]


def rule_keys() -> tuple[tuple[str, str], ...]:
    """(code, name) of every rule: what settings and --select/--ignore are checked against."""
    return tuple((r.code, r.name) for r in RULES)
