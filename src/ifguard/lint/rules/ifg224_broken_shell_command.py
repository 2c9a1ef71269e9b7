"""IFG224 broken-shell-command."""

from __future__ import annotations

from collections.abc import Iterator

from ifguard.config.diagnostic import Severity
from ifguard.config.schema import COMMAND_ATTRIBUTES
from ifguard.lint.rules.base import Context, Finding, rule

_SMART_QUOTES = "‘’“”"
_QUOTES = "'\"" + _SMART_QUOTES


@rule("IFG224", "broken-shell-command", Severity.ERROR)
def broken_shell_command(ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks the commands in `up`, `post-up`, `pre-down` ... for unbalanced quotes and for
    typographic quotes (‘ ’ “ ”) that a document or chat program put in place of ' and ".

    ## Why is this bad?
    `/bin/sh` fails on the command when the interface goes up or down: the NAT or route it
    was meant to add (or remove) is never there, and ifupdown2 may mark the interface failed.

    ## Example
    ```
    iface vmbr1 inet static
        post-down iptables -t nat -D POSTROUTING -s '10.0.0.0/24’ -j MASQUERADE
    ```

    ## Use instead
    ```
    iface vmbr1 inet static
        post-down iptables -t nat -D POSTROUTING -s '10.0.0.0/24' -j MASQUERADE
    ```
    """
    for _, attr in ctx.attrs(*COMMAND_ATTRIBUTES):
        if not any(q in attr.value for q in _QUOTES):
            continue
        import shlex

        try:
            shlex.split(attr.value, comments=True)
        except ValueError as exc:
            yield Finding(
                attr.span,
                f"the `{attr.name}` command does not parse as a shell "
                f"command ({exc}): it fails every time",
            )
            continue
        smart = [c for c in attr.value if c in _SMART_QUOTES]
        if smart:
            yield Finding(
                attr.span,
                f"typographic quote `{smart[0]}` in the `{attr.name}` "
                "command reaches the shell literally; use ' or \"",
                severity=Severity.WARNING,
            )
