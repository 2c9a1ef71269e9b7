"""IFG320 not-started-at-boot."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.model import Interface
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.fixes import replace
from ifguard.lint.rules.helpers import cuts, management


@rule("IFG320", "not-started-at-boot", Severity.ERROR)
def not_started_at_boot(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds an interface of the management path (the one with the default route, its `gateway`,
    and what it sits on, down to the NICs) that nothing brings up at boot: no `auto` line
    (`allow-hotplug` starts only a NIC that exists), and no interface started at boot sits
    on it. An OVS bond or port on the path needs its own `auto`: nothing starts an OVS port
    as a dependency. A file with no `auto`/`allow-` line at all (a fragment) and logical
    interfaces (`mapping`, `wpa-roam`) are not judged. docs/boot.md says what boot starts.

    ## Why is this bad?
    A reload leaves a running interface up, so everything works until the next reboot; then
    the management interface stays down and the host is unreachable. Unticking the GUI's
    "Autostart" box on the management bridge does exactly this. Severity by impact: the rule
    judges only the management path, where a missing start always cuts it (an error); an
    interface off the path without `auto` is a normal, manually started one.

    ## Example
    ```
    auto lo
    iface lo inet loopback
    iface eno1 inet manual
    iface vmbr0 inet static
        address 192.0.2.10/24
        gateway 192.0.2.1
        bridge-ports eno1
    ```

    ## Use instead
    ```
    auto lo
    iface lo inet loopback
    iface eno1 inet manual
    auto vmbr0
    iface vmbr0 inet static
        address 192.0.2.10/24
        gateway 192.0.2.1
        bridge-ports eno1
    ```
    """
    path = management(ctx)
    for found in path.breaks:
        if found.kind != "not-started" or not isinstance(found.where, Interface):
            continue
        iface = found.where
        fix = replace(
            iface.document,
            iface.line.start,
            iface.line.start,
            f"auto {iface.name}\n",
            f"add `auto {iface.name}`",
        )
        yield Finding(iface.name_span, found.message + cuts(path), fix)
