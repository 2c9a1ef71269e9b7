"""IFG102 pasted-shell-command."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.lint.rules.base import Context, Finding, rule
from ifguard.lint.rules.helpers import junk_finding, junk_lines


@rule("IFG102", "pasted-shell-command", Severity.ERROR, fixable=True)
def pasted_shell_command(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds shell prompts (`root@pve:~# ip a`, `$ sudo ...`) and shell commands (`cat <<EOF >
    /etc/network/interfaces`, `systemctl restart networking`) standing as lines of the file.

    ## Why is this bad?
    They are what a copy of a terminal session or of a how-to leaves behind. No dialect runs
    them; ifupdown2 keeps them as attributes of the stanza above without a word.

    ## Example
    ```
    auto eno1
    iface eno1 inet dhcp
    root@pve:~# systemctl restart networking
    ```

    ## Use instead
    ```
    auto eno1
    iface eno1 inet dhcp
    ```
    """
    for doc, line, verdict in junk_lines(ctx, ("shell",)):
        yield junk_finding(
            doc,
            line,
            verdict,
            "Delete it; commands that must run belong in `post-up`/`pre-up` options.",
        )
