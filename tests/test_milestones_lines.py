"""Line splitting of a time-plan cell: every "\\r" and "\\n" ends a line (CRLF cells too)."""

from __future__ import annotations

import itertools
import re

from xlgoals.milestones import _lines, split_milestones


def lines_by_definition(text: str) -> list[tuple[int, int]]:
    """The runs of non-break characters as `re.finditer(r"[^\\r\\n]*")` finds them, minus the
    empty match it reports right after each non-empty line."""
    out: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\r\n]*", text):
        if m.start() == m.end() and out and out[-1][1] == m.start():
            continue
        out.append(m.span())
    return out


def test_lines_match_the_definition_on_every_short_text() -> None:
    for size in range(7):
        for chars in itertools.product("a \r\n", repeat=size):
            text = "".join(chars)
            assert _lines(text) == lines_by_definition(text), repr(text)


def test_lines_of_a_crlf_cell() -> None:
    text = "• Opstart marts 2026\r\n• Evaluering december 2026"
    assert [text[s:e] for s, e in _lines(text)] == [
        "• Opstart marts 2026",
        "",
        "• Evaluering december 2026",
    ]
    assert [str(m.due) for m in split_milestones(text)] == ["2026-03-31", "2026-12-31"]
