"""Plain cell grids: what every surface hands to the pure core.

A file reader (calamine/openpyxl), the xlwings adapter and the tests all produce a
:class:`WorkbookGrid`; the core never sees a library object. Plain dataclasses (not
pydantic) because a 10,000-row sheet is built cell by cell and must stay cheap.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

CellValue = str | int | float | bool | dt.date | dt.datetime | None

_A1_RE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def column_letter(col: int) -> str:
    """0-based column index → Excel letters (0 → 'A', 26 → 'AA')."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """Excel letters → 0-based column index ('A' → 0)."""
    index = 0
    for char in letters.upper():
        index = index * 26 + (ord(char) - 64)
    return index - 1


def a1(row: int, col: int) -> str:
    """0-based (row, col) → 'C5'."""
    return f"{column_letter(col)}{row + 1}"


def parse_a1(ref: str) -> tuple[int, int]:
    """'C5' → 0-based (row, col)."""
    match = _A1_RE.match(ref.strip())
    if not match:
        raise ValueError(f"not an A1 cell reference: {ref!r}")
    return int(match.group(2)) - 1, column_index(match.group(1))


@dataclass(frozen=True, slots=True)
class TextRun:
    """A run of rich text in a cell; `strike` marks struck-through text (a done milestone)."""

    text: str
    strike: bool = False


@dataclass(slots=True)
class SheetGrid:
    """One worksheet's values, 0-based: rows[0][0] is A1.

    `merged` holds inclusive (first_row, first_col, last_row, last_col) ranges; the value
    sits in the anchor (top-left) cell only, as in the file. `rich_text` holds, for cells
    whose formatting matters to the core (strikethrough in the time plan), the runs.
    `noted` lists cells that carry a user's note/comment, so xlgoals never adds one there.
    `percent_cells` lists numeric cells of the measurement plan shown as a percentage: Excel
    stores a typed "85 %" as 0.85, which the plan means as 85.
    """

    name: str
    rows: list[list[CellValue]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    rich_text: dict[tuple[int, int], list[TextRun]] = field(default_factory=dict)
    struck_cells: set[tuple[int, int]] = field(default_factory=set)
    noted: set[tuple[int, int]] = field(default_factory=set)
    percent_cells: set[tuple[int, int]] = field(default_factory=set)

    def value(self, row: int, col: int) -> CellValue:
        """The value at 0-based (row, col), None outside the grid."""
        if 0 <= row < len(self.rows):
            cells = self.rows[row]
            if 0 <= col < len(cells):
                return cells[col]
        return None

    @property
    def max_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass(slots=True)
class WorkbookGrid:
    """All sheets of one workbook in file order; `source` names it in messages."""

    sheets: list[SheetGrid]
    source: str = ""

    def sheet(self, name: str) -> SheetGrid | None:
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        return None
