"""IFG220 invalid-value."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.schema import ENUMS, RANGES
from ifguard.lint.rules.base import Context, Finding, rule


def _int(value: str) -> int | None:
    return int(value) if re.fullmatch(r"[0-9]+", value) else None


@rule("IFG220", "invalid-value", Severity.ERROR)
def invalid_value(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks values with a fixed set of choices or a numeric range: bond mode, transmit hash
    policy, LACP rate, STP, `ovs_type`, MTU (68–65535), VLAN ids (1–4094), timers.

    ## Why is this bad?
    The kernel and OVS compare these strings exactly: `Layer3+4` is not `layer3+4`. ifupdown2
    logs an error and leaves the bond or bridge half configured; the reload still "succeeds".

    ## Example
    ```
    iface bond0 inet manual
        bond-slaves eno1 eno2
        bond-mode 802.3ad
        bond-xmit-hash-policy Layer3+4
    ```

    ## Use instead
    ```
    iface bond0 inet manual
        bond-slaves eno1 eno2
        bond-mode 802.3ad
        bond-xmit-hash-policy layer3+4
    ```
    """
    for _, attr in ctx.attrs(*ENUMS, *RANGES):
        key, value = attr.key, attr.value.strip()
        if not value or "$" in value:
            continue
        choices = ENUMS.get(key)
        if choices is not None and value.split()[0] not in choices:
            first = value.split()[0]
            same = [c for c in choices if c.lower() == first.lower()]
            hint = (
                f"; did you mean `{same[0]}`? (values are case-sensitive)"
                if same
                else f" (expected one of: {', '.join(sorted(choices))})"
            )
            yield Finding(attr.span, f"`{attr.name} {first}` is not a valid value{hint}")
            continue
        bounds = RANGES.get(key)
        if bounds is not None:
            number = _int(value.split()[0])
            if number is None or not bounds[0] <= number <= bounds[1]:
                yield Finding(
                    attr.span,
                    f"`{attr.name}` must be a whole number from "
                    f"{bounds[0]} to {bounds[1]}, not `{value}`",
                )
            elif key in ("mtu", "ovs-mtu") and number > 9216:
                yield Finding(
                    attr.span,
                    f"MTU {number} is above what most NICs and switches support (9216)",
                    severity=Severity.WARNING,
                )
