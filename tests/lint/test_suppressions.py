"""``# ifguard: ignore[...]`` comments: scope, code lists, names, whole-file suppression."""

from __future__ import annotations

import pytest

from tests.conftest import lint_text

JUNK = "27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500"
HEAD = "auto vmbr0\niface vmbr0 inet manual\n"


def codes(text: str) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in lint_text(text)]


def test_unsuppressed_baseline() -> None:
    assert codes(HEAD + JUNK + "\n") == [("IFG101", 3)]


@pytest.mark.parametrize(
    "comment",
    [
        "# ifguard: ignore[IFG101]",
        "    # ifguard: ignore[IFG101]",
        "#ifguard:ignore[IFG101]",
        "# ifguard: ignore[pasted-command-output]",
        "# ifguard: ignore[IFG106, IFG101]",
        "# ifguard: ignore",
    ],
)
def test_comment_covers_the_next_configuration_line(comment: str) -> None:
    assert codes(f"{HEAD}{comment}\n{JUNK}\n") == []


def test_blank_lines_and_comments_between_keep_the_suppression() -> None:
    assert codes(f"{HEAD}# ifguard: ignore[IFG101]\n\n# why: kept on purpose\n{JUNK}\n") == []


def test_suppression_covers_only_the_next_line_and_only_its_codes() -> None:
    text = f"{HEAD}# ifguard: ignore[IFG101]\n{JUNK}\n{JUNK}\n"
    assert codes(text) == [("IFG101", 5)]
    assert codes(f"{HEAD}# ifguard: ignore[IFG102]\n{JUNK}\n") == [("IFG101", 4)]


def test_suppression_covers_every_physical_line_of_a_continued_line() -> None:
    text = f"iface bond0 inet manual\n# ifguard: ignore[IFG101]\n    ovs_bonds enp1s0 \\\n{JUNK}\n"
    assert codes(text) == []


def test_ignore_file_covers_the_whole_file() -> None:
    text = f"# ifguard: ignore-file[IFG101]\n{HEAD}{JUNK}\n{JUNK}\nroot@pve:~# ip a\n"
    assert codes(text) == [("IFG102", 6)]
    assert codes(f"# ifguard: ignore-file\n{HEAD}{JUNK}\r\n") == []


def test_an_inline_comment_is_not_a_suppression() -> None:
    # ifupdown has no inline comments: this is part of the line.
    assert ("IFG101", 3) in codes(f"{HEAD}{JUNK} # ifguard: ignore[IFG101]\n")


def test_codes_are_case_insensitive_like_the_cli() -> None:
    assert codes(f"{HEAD}# ifguard: ignore[ifg101]\n{JUNK}\n") == []
    assert codes(f"{HEAD}# IFGUARD: IGNORE[Pasted-Command-Output]\n{JUNK}\n") == []
