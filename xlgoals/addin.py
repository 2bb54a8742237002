"""The xlwings surface: "Valider plan" and "Opdater målopfyldelse" on an open workbook.

`validate_plan(book)` and `refresh_attainment(book)` take any `xw.Book`: the remote book of
xlwings Lite and xlwings Server, or a desktop book from `xw.Book.caller()`. Both read every
value once (the remote book is a snapshot: writes are not visible to reads in the same call,
and formats, formulas and note texts cannot be read at all), call the pure core, then write
values into the cells and sheets xlgoals owns, nothing else. The user's fills, fonts and
notes are never touched: findings are coloured by the template's conditional formatting,
which is driven by the owned flag columns written here.

This module imports no openpyxl, python-calamine, threads or processes: it runs in Pyodide.
xlwings itself is imported only where a desktop wrapper needs `xw.Book.caller()`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from xlgoals.grid import CellValue, SheetGrid, WorkbookGrid, a1, column_letter, parse_a1
from xlgoals.owned import owned_column_key, owned_sheet_key, owned_sheet_name

if TYPE_CHECKING:
    import xlwings as xw

HEADER_SCAN_ROWS = 30
"""Owned column headers are looked for in the first rows, like the matrix headers."""

_COERCIBLE_TEXT = re.compile(r"^[\s=+\-@\d.,:/%()]|^(true|false|sand|falsk)$", re.IGNORECASE)
"""Text Excel would turn into a formula, number, date or boolean when written as a value."""


class AddinError(Exception):
    """A problem the leader must see in Excel, with the sheet and cell it is about."""


# --------------------------------------------------------------------------- reading


def _plain(value: Any) -> CellValue:
    """An xlwings cell value as the file readers deliver it (see xlgoals.grid)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date()
        return value.replace(tzinfo=None)
    if isinstance(value, (float, str, dt.date)):
        return value
    return str(value)


def _noted_cells(sheet: xw.Sheet) -> tuple[set[tuple[int, int]], bool]:
    """0-based cells that carry a note, and whether notes can be read and written at all.

    The remote book knows which cells have a note but not what it says; desktop Excel
    knows both. Either way, only the location is needed.
    """
    noted: set[tuple[int, int]] = set()
    try:
        notes = list(sheet.notes)
    except (NotImplementedError, AttributeError):
        return noted, False
    for note in notes:
        impl_range = getattr(note.impl, "range", None)
        address = impl_range.address if impl_range is not None else note.location.address
        noted.add(parse_a1(address.split(":")[0]))
    return noted, True


def read_sheet(sheet: xw.Sheet) -> tuple[SheetGrid, bool]:
    """One sheet's values from A1 to the last used cell, plus its noted cells."""
    last = sheet.used_range.last_cell
    rows_raw = sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value or []
    rows = [[_plain(value) for value in row] for row in rows_raw]
    while rows and all(value is None for value in rows[-1]):
        rows.pop()
    noted, notes_supported = _noted_cells(sheet)
    return SheetGrid(name=sheet.name, rows=rows, noted=noted), notes_supported


@dataclass
class BookSnapshot:
    """Everything read from the book, once: the grid, and which sheets accept notes."""

    grid: WorkbookGrid
    notes_supported: dict[str, bool] = field(default_factory=dict)


def read_book(book: xw.Book) -> BookSnapshot:
    """Read all sheets' values once (the remote book is a snapshot anyway)."""
    sheets: list[SheetGrid] = []
    notes_supported: dict[str, bool] = {}
    for sheet in book.sheets:
        grid, supported = read_sheet(sheet)
        sheets.append(grid)
        notes_supported[grid.name] = supported
    return BookSnapshot(WorkbookGrid(sheets=sheets, source=book.name), notes_supported)


# --------------------------------------------------------------------------- owned areas


def owned_columns_in(sheet: SheetGrid) -> dict[int, int]:
    """Owned status columns on a sheet: 0-based column → 0-based header row."""
    found: dict[int, int] = {}
    for row_index, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        for col_index, value in enumerate(row):
            if col_index not in found and owned_column_key(value) is not None:
                found[col_index] = row_index
    return found


def _owned_columns_after(sheet: SheetGrid, cells: Mapping[str, Any]) -> dict[int, int]:
    """Owned columns once this run's headers are written (a new column is headed here)."""
    columns = owned_columns_in(sheet)
    for address, value in cells.items():
        if owned_column_key(value) is not None:
            row, col = parse_a1(address)
            columns.setdefault(col, row)
    return columns


def stale_owned_cells(sheet: SheetGrid, cells: Mapping[str, Any]) -> dict[str, None]:
    """Filled cells below an owned header that this run does not write: they get cleared."""
    stale: dict[str, None] = {}
    for col, header_row in owned_columns_in(sheet).items():
        for row in range(header_row + 1, len(sheet.rows)):
            if sheet.value(row, col) is not None and a1(row, col) not in cells:
                stale[a1(row, col)] = None
    return stale


def check_owned_cells(sheet: SheetGrid, cells: Mapping[str, Any]) -> None:
    """Refuse to write any cell that is not in an owned column (a bug, never the user's)."""
    columns = _owned_columns_after(sheet, cells)
    bad = []
    for address in cells:
        row, col = parse_a1(address)
        if col not in columns or row < columns[col]:
            bad.append(address)
    if bad:
        shown = ", ".join(sorted(bad)[:5])
        raise AddinError(
            f"xlgoals would write cells it does not own on sheet '{sheet.name}': {shown}"
        )


# --------------------------------------------------------------------------- writing


def excel_value(value: Any) -> Any:
    """A value ready for xlwings: text Excel would reinterpret gets a quote prefix.

    Writing a value to a cell works like typing it: "=…" becomes a formula and "1.1"
    a date. A leading apostrophe keeps text as text (it is not part of the value).
    """
    if isinstance(value, str) and _COERCIBLE_TEXT.search(value):
        return "'" + value
    return value


def rectangles(cells: Mapping[str, Any]) -> Iterator[tuple[int, int, list[list[Any]]]]:
    """Group single cells into filled rectangles: (first_row, first_col, 2-D values), 0-based.

    Consecutive cells of a row form a run; runs with the same columns on consecutive rows
    are stacked. The owned block of a matrix becomes one write instead of one per cell.
    """
    by_row: dict[int, dict[int, Any]] = {}
    for address, value in cells.items():
        row, col = parse_a1(address)
        by_row.setdefault(row, {})[col] = value
    runs: list[tuple[int, int, int, list[Any]]] = []  # row, first col, last col, values
    for row in sorted(by_row):
        cols = sorted(by_row[row])
        start = prev = cols[0]
        for col in [*cols[1:], None]:
            if col is not None and col == prev + 1:
                prev = col
                continue
            runs.append((row, start, prev, [by_row[row][c] for c in range(start, prev + 1)]))
            if col is not None:
                start = prev = col
    open_blocks: dict[tuple[int, int], tuple[int, list[list[Any]]]] = {}
    last_row: dict[tuple[int, int], int] = {}
    for row, first, last, values in runs:
        key = (first, last)
        if key in open_blocks and last_row[key] == row - 1:
            open_blocks[key][1].append(values)
        else:
            if key in open_blocks:
                top, block = open_blocks.pop(key)
                yield top, first, block
            open_blocks[key] = (row, [values])
        last_row[key] = row
    for (first, _last), (top, block) in sorted(open_blocks.items(), key=lambda kv: kv[1][0]):
        yield top, first, block


def write_cells(sheet: xw.Sheet, cells: Mapping[str, Any]) -> None:
    """Write values (None clears) into the given cells, one range per rectangle."""
    for top, left, block in rectangles(cells):
        values = [[excel_value(v) for v in row] for row in block]
        target = sheet.range((top + 1, left + 1), (top + len(block), left + len(block[0])))
        target.value = values


def write_owned_sheet(
    book: xw.Book, name: str, rows: Sequence[Sequence[Any]], old: SheetGrid | None
) -> xw.Sheet:
    """Replace an owned sheet's values with `rows`, creating the sheet when missing."""
    if old is None:
        sheet = book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])
    else:
        sheet = book.sheets[name]
    width = max((len(row) for row in rows), default=0)
    if rows and width:
        block = [[excel_value(v) for v in row] + [None] * (width - len(row)) for row in rows]
        sheet.range((1, 1), (len(block), width)).value = block
    if old is not None:
        old_rows, old_cols = len(old.rows), old.max_cols
        if old_rows > len(rows) and old_cols:
            sheet.range((len(rows) + 1, 1), (old_rows, old_cols)).clear_contents()
        if old_cols > width and rows:
            sheet.range((1, width + 1), (min(old_rows, len(rows)) or 1, old_cols)).clear_contents()
    return sheet


def column_range(col: int) -> str:
    """Column letters for messages."""
    return column_letter(col)


def all_addresses(rows: Iterable[Sequence[Any]]) -> set[str]:
    """A1 addresses of the non-empty cells of a block anchored at A1 (for tests)."""
    return {
        a1(r, c) for r, row in enumerate(rows) for c, value in enumerate(row) if value is not None
    }


def is_owned_sheet(name: str) -> bool:
    """True for the sheets xlgoals owns (either language)."""
    return owned_sheet_key(name) is not None


def survey_sheet_name(lang: str = "da") -> str:
    """The owned sheet into which the leader pastes a survey export."""
    return owned_sheet_name("survey", lang)
