"""Bash completion for ``ifguard``, generated from its argparse definitions.

Debian 12's shtab (1.5.5) writes bash arrays of which only the first element is expanded:
``ifguard <TAB>`` completes straight to ``lint`` and no choice list works. This generator writes
plain ``case`` statements and ``compgen -W`` word lists instead: subcommands, each command's
options, the choices of an option, files and directories (bash-completion's ``_filedir`` when
loaded, else ``compgen -f``), and rule codes and names for ``ifguard explain``.
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Iterable

FILE_WORDS = ("FILE", "PATH", "CANDIDATE")
HEADER = """\
# bash completion for ifguard - generated from its command-line definitions
# (scripts/gen-package-files.py); do not edit.
_ifguard_files() {
    if declare -F _filedir >/dev/null; then
        _filedir "$@"
    elif [ "${1:-}" = -d ]; then
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
    else
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    fi
}

_ifguard_words() {
    mapfile -t COMPREPLY < <(compgen -W "$1" -- "$cur")
}

_ifguard() {
    local cur prev cmd i
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    # --option=value: bash splits at "=" (COMP_WORDBREAKS)
    if [ "$cur" = = ]; then
        cur=
    elif [ "$prev" = = ] && [ "$COMP_CWORD" -ge 2 ]; then
        prev=${COMP_WORDS[COMP_CWORD-2]}
    fi
    cmd=
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            -*) ;;
            *) cmd=${COMP_WORDS[i]}; break ;;
        esac
    done
"""
FOOTER = """\
}
complete -F _ifguard ifguard
"""


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _visible(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in parser._actions if a.help != argparse.SUPPRESS]


def _kind(action: argparse.Action) -> str:
    """How a value of ``action`` completes: ``choices``, ``dir``, ``file`` or ``none``."""
    if action.choices is not None:
        return "choices"
    name = str(action.metavar or action.dest).upper()
    if "DIR" in name:
        return "dir"
    if any(word in name for word in FILE_WORDS) or name in ("A", "B"):
        return "file"
    return "none"


def _words(words: Iterable[str]) -> str:
    return shlex.quote(" ".join(words))


def _command_case(name: str, sub: argparse.ArgumentParser, codes: list[str]) -> list[str]:
    """The lines completing ``ifguard NAME ...``."""
    options = [s for a in _visible(sub) for s in a.option_strings]
    lines = [f"        {shlex.quote(name)})", "            case $prev in"]
    for action in _visible(sub):
        if not action.option_strings or action.nargs == 0:
            continue
        kind = _kind(action)
        pattern = "|".join(action.option_strings)
        if kind == "choices":
            body = f"_ifguard_words {_words(str(c) for c in action.choices or ())}"
        elif kind == "dir":
            body = "_ifguard_files -d"
        elif kind == "file":
            body = "_ifguard_files"
        else:
            body = ":"  # a free value (seconds, a URL): nothing to offer
        lines.append(f"                {pattern}) {body}; return ;;")
    lines += [
        "            esac",
        "            if [[ $cur == -* ]]; then",
        f"                _ifguard_words {_words(options)}",
        "                return",
        "            fi",
    ]
    positionals = [a for a in _visible(sub) if not a.option_strings]
    if name == "explain":
        lines.append(f"            _ifguard_words {_words(codes)}")
    elif any(_kind(a) == "file" for a in positionals):
        lines.append("            _ifguard_files")
    lines.append("            ;;")
    return lines


def bash_script(parser: argparse.ArgumentParser, codes: Iterable[str]) -> str:
    """The bash completion script for ``parser`` (``codes``: what ``explain`` takes)."""
    commands = _subparsers(parser)
    top = [s for a in _visible(parser) for s in a.option_strings]
    out = [HEADER.rstrip("\n")]
    out += [
        '    if [ -z "$cmd" ]; then',
        f"        _ifguard_words {_words([*commands, *top])}",
        "        return",
        "    fi",
        "    case $cmd in",
    ]
    for name, sub in commands.items():
        out += _command_case(name, sub, sorted(codes))
    out += ["    esac", FOOTER]
    return "\n".join(out)
