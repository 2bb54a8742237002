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
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from xlgoals.engine import Analysis, Config, Updates, analyse, owned_updates
from xlgoals.grid import CellValue, SheetGrid, WorkbookGrid, a1, column_index, parse_a1
from xlgoals.i18n import message
from xlgoals.measure import header_keys, shows_percent
from xlgoals.model import Finding, Severity
from xlgoals.owned import (
    find_owned_sheet,
    owned_column_key,
    owned_sheet_key,
    owned_sheet_name,
    owned_spec,
)

if TYPE_CHECKING:
    import xlwings as xw

HEADER_SCAN_ROWS = 30
"""Owned column headers are looked for in the first rows, like the matrix headers."""

MAX_MERGE_READS = 500
"""xlwings Lite asks Excel for merged cells one read at a time; a sheet with more candidate
cells than this is read without the rest (each read is a round trip to Excel)."""

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
    api = getattr(sheet.impl, "api", None)
    if isinstance(api, dict) and (api.get("notes") is None or api.get("notes_supported") is False):
        # A remote book whose client sends no notes (older Excel or client): notes can be
        # neither read nor added, so xlgoals writes none.
        return noted, False
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
    grid = SheetGrid(name=sheet.name, rows=rows, noted=noted)
    grid.percent_cells = _percent_cells(sheet, rows)
    return grid, notes_supported


def _percent_cells(sheet: xw.Sheet, rows: list[list[CellValue]]) -> set[tuple[int, int]]:
    """Numbers in the measurement plan's manual-value column shown as a percentage (Excel
    stores a typed "85 %" as 0.85). Empty where the book cannot tell number formats."""
    if sheet.name not in {owned_sheet_name("measurements", lang) for lang in ("da", "en")}:
        return set()
    header = header_keys(rows[0] if rows else [])
    column = next((c for c, key in header.items() if key == "manual_value"), None)
    cells: set[tuple[int, int]] = set()
    if column is None:
        return cells
    for r, row in enumerate(rows[1:], start=1):
        if column < len(row) and isinstance(row[column], float):
            try:
                number_format = sheet.range((r + 1, column + 1)).number_format
            except (NotImplementedError, AttributeError, KeyError, TypeError):
                return set()  # a remote book sends values only
            if shows_percent(str(number_format or "")):
                cells.add((r, column))
    return cells


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


def is_remote(book: xw.Book) -> bool:
    """True for the JSON book of xlwings Lite and xlwings Server (a snapshot of values)."""
    return isinstance(book.impl.api, dict)


def merge_candidates(grid: WorkbookGrid) -> list[tuple[str, str]]:
    """(sheet, cell) of matrix field cells that may start a merge over the rows below.

    The remote book carries values only, so merged cells are asked for one by one; a merge
    of rows leaves the cells under its first cell empty, so only a filled field cell with
    an empty cell below it can start one. A matrix without merges asks nothing.
    """
    from xlgoals.matrix import read_plan

    candidates: list[tuple[str, str]] = []
    for matrix in read_plan(grid).matrices:
        sheet = grid.sheet(matrix.sheet)
        if sheet is None:
            continue
        columns = sorted({column_index(letter) for letter in matrix.columns.values()})
        for row in range(matrix.first_row - 1, min(matrix.last_row, len(sheet.rows) - 1)):
            for col in columns:
                if sheet.value(row, col) is not None and sheet.value(row + 1, col) is None:
                    candidates.append((sheet.name, a1(row, col)))
    return candidates


def add_merge(grid: WorkbookGrid, sheet_name: str, address: str | None) -> None:
    """Record a merged range ("$C$6:$C$8") in the grid, as the file readers do."""
    sheet = grid.sheet(sheet_name)
    if sheet is None or not address or ":" not in address:
        return
    first, last = address.split("!")[-1].split(":")
    (r1, c1), (r2, c2) = parse_a1(first), parse_a1(last)
    if (r1, c1) != (r2, c2) and (r1, c1, r2, c2) not in sheet.merged:
        sheet.merged.append((r1, c1, r2, c2))


def read_merges(book: xw.Book, snapshot: BookSnapshot) -> bool:
    """Desktop Excel: merged ranges of the candidate cells, read through COM/AppleScript."""
    if is_remote(book):
        return False
    for sheet_name, cell in merge_candidates(snapshot.grid):
        add_merge(snapshot.grid, sheet_name, book.sheets[sheet_name][cell].merge_area.address)
    return True


async def read_merges_async(book: xw.Book, snapshot: BookSnapshot) -> bool:
    """xlwings Lite: merged ranges of the candidate cells, one on-demand read each.

    xlwings Server has no on-demand reads (the book arrives in one request), so there the
    merges stay unknown (see docs/addin.md).
    """
    if not is_remote(book):
        return read_merges(book, snapshot)
    if sys.platform != "emscripten":
        return False
    candidates = merge_candidates(snapshot.grid)
    for sheet_name, cell in candidates[:MAX_MERGE_READS]:
        area = await book.sheets[sheet_name][cell].get_merge_area()
        add_merge(snapshot.grid, sheet_name, area.address)
    return len(candidates) <= MAX_MERGE_READS


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


def check_owned_cells(sheet: SheetGrid, cells: Mapping[str, Any], lang: str = "da") -> None:
    """Refuse to write any cell that is not in an owned column (a bug, never the user's)."""
    columns = _owned_columns_after(sheet, cells)
    bad = []
    for address in cells:
        row, col = parse_a1(address)
        if col not in columns or row < columns[col]:
            bad.append(address)
    if bad:
        shown = ", ".join(sorted(bad)[:5])
        raise AddinError(message("addin.not_owned", lang, sheet=sheet.name, cells=shown))


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


def is_owned_sheet(name: str) -> bool:
    """True for the sheets xlgoals owns (either language)."""
    return owned_sheet_key(name) is not None


# --------------------------------------------------------------------------- the run

VALIDATE_COLUMNS = frozenset(
    ["status", "flag_action", "flag_criteria", "flag_evaluation", "flag_timeplan", "flag_owner"]
)
"""Owned columns "Valider plan" writes; "Opdater målopfyldelse" writes every owned column."""

VALIDATE_SHEETS = frozenset(["findings", "notes"])
"""Owned sheets "Valider plan" writes; the overview and measurement plan belong to refresh."""


def workbook_lang(grid: WorkbookGrid) -> str:
    """The workbook's language: English when its owned headers or sheets are English."""
    english_marker = owned_spec()["marker"]["en"].casefold()
    for sheet in grid.sheets:
        key = owned_sheet_key(sheet.name)
        if key is not None:
            return "en" if sheet.name == owned_sheet_name(key, "en") else "da"
        for col, row in owned_columns_in(sheet).items():
            header = sheet.value(row, col)
            if isinstance(header, str) and english_marker in " ".join(header.split()).casefold():
                return "en"
    return "da"


@dataclass
class NotePlan:
    """Which notes to write and remove, and the rows of the owned notes sheet."""

    write: dict[tuple[str, str], str] = field(default_factory=dict)
    delete: set[tuple[str, str]] = field(default_factory=set)
    tracking: list[list[Any]] = field(default_factory=list)


def tracked_notes(grid: WorkbookGrid) -> set[tuple[str, str]]:
    """(sheet, cell) of every note an earlier run added, from the owned notes sheet."""
    sheet = find_owned_sheet(grid, "notes")
    tracked: set[tuple[str, str]] = set()
    if sheet is None:
        return tracked
    for row in sheet.rows[2:]:
        name, cell = [*row, None, None][:2]
        if isinstance(name, str) and isinstance(cell, str):
            try:
                parse_a1(cell)
            except ValueError:
                continue
            tracked.add((name, cell.replace("$", "").upper()))
    return tracked


def plan_notes(grid: WorkbookGrid, findings: Sequence[Finding], lang: str) -> NotePlan:
    """Notes for the cells findings are about, never on a cell with the user's own note.

    A note is xlgoals' own only if the notes sheet lists it; any other note on a cell is
    the user's (the remote book cannot read a note's text, so there is no other way to
    tell). Notes from the last run that are no longer needed are removed.
    """
    tracked = tracked_notes(grid)
    lines: dict[tuple[str, str], list[str]] = {}
    for finding in findings:
        if not finding.sheet or not finding.cell:
            continue
        sheet = grid.sheet(finding.sheet)
        if sheet is None or is_owned_sheet(sheet.name):
            continue
        key = (finding.sheet, finding.cell.replace("$", "").upper())
        if parse_a1(key[1]) in sheet.noted and key not in tracked:
            continue  # the user's note: leave it alone
        lines.setdefault(key, []).append(f"{finding.rule}: {finding.message}")
    plan = NotePlan()
    for key, texts in lines.items():
        plan.write[key] = message("addin.note", lang, lines="\n".join(texts))
    for key in tracked - set(lines):
        sheet = grid.sheet(key[0])
        if sheet is not None and parse_a1(key[1]) in sheet.noted:
            plan.delete.add(key)
    plan.tracking = [
        [message("addin.notes_explain", lang)],
        [message("addin.notes_sheet", lang), message("addin.notes_cell", lang)],
        *([sheet, cell] for sheet, cell in lines),
    ]
    return plan


def _column_keys(sheet: SheetGrid, cells: Mapping[str, Any]) -> dict[int, str]:
    """0-based column → owned column key, from the headers in the grid or being written."""
    keys: dict[int, str] = {}
    for col, row in owned_columns_in(sheet).items():
        key = owned_column_key(sheet.value(row, col))
        if key is not None:
            keys[col] = key
    for address, value in cells.items():
        key = owned_column_key(value)
        if key is not None:
            keys[parse_a1(address)[1]] = key
    return keys


@dataclass
class RunPlan:
    """Everything one button press writes, decided before the first write."""

    analysis: Analysis
    lang: str
    cells: dict[str, dict[str, Any]] = field(default_factory=dict)
    sheets: dict[str, list[list[Any]]] = field(default_factory=dict)
    links: dict[str, list[tuple[int, str, str]]] = field(default_factory=dict)
    """Owned sheet → (0-based row, target sheet, target cell) of each link to a cell."""
    notes: NotePlan = field(default_factory=NotePlan)
    notes_supported: bool = True


def _findings_links(rows: list[list[Any]], lang: str) -> list[tuple[int, str, str]]:
    """Rows of the findings sheet whose finding names a sheet and a cell."""
    if not rows:
        return []
    header = rows[0]
    try:
        sheet_col = header.index(message("findings.sheet", lang))
        cell_col = header.index(message("findings.cell", lang))
    except ValueError:
        return []
    links = []
    for index, row in enumerate(rows[1:], start=1):
        sheet, cell = row[sheet_col], row[cell_col]
        if isinstance(sheet, str) and sheet and isinstance(cell, str) and cell:
            links.append((index, sheet, cell))
    return links


def plan_run(
    snapshot: BookSnapshot,
    *,
    today: dt.date,
    refresh: bool,
    config: Config | None = None,
) -> RunPlan:
    """Decide every value to write for "Valider plan" (refresh=False) or the refresh."""
    grid = snapshot.grid
    lang = config.lang if config is not None else workbook_lang(grid)
    config = config or Config(lang=lang)
    analysis = analyse(grid, today=today, config=config)
    updates: Updates = owned_updates(grid, analysis, lang=lang)
    findings_name = owned_sheet_name("findings", lang)
    run = RunPlan(analysis=analysis, lang=lang)
    for sheet_name, cells in updates.cells.items():
        sheet = grid.sheet(sheet_name)
        if sheet is None:
            continue
        check_owned_cells(sheet, cells, lang)
        everything = {**stale_owned_cells(sheet, cells), **cells}
        keys = _column_keys(sheet, cells)
        header_rows = {row for row in owned_columns_in(sheet).values()}
        header_rows |= {parse_a1(a)[0] for a, v in cells.items() if owned_column_key(v)}
        chosen = {}
        for address, value in everything.items():
            row, col = parse_a1(address)
            if refresh or row in header_rows or keys.get(col) in VALIDATE_COLUMNS:
                chosen[address] = value
        run.cells[sheet_name] = chosen
    for name, rows in updates.sheets.items():
        if refresh or owned_sheet_key(name) in VALIDATE_SHEETS:
            run.sheets[name] = rows
    if refresh and find_owned_sheet(grid, "survey") is None:
        run.sheets[owned_sheet_name("survey", lang)] = []  # an empty sheet to paste into
    if findings_name in run.sheets:
        run.links[findings_name] = _findings_links(run.sheets[findings_name], lang)
    run.notes_supported = (
        all(snapshot.notes_supported.values()) if snapshot.notes_supported else True
    )
    if run.notes_supported:
        run.notes = plan_notes(grid, analysis.findings, lang)
        run.sheets[owned_sheet_name("notes", lang)] = run.notes.tracking
    return run


def _link_formula(sheet: str, cell: str) -> str:
    """=HYPERLINK to a cell of this workbook (English syntax, as .formula expects)."""
    target = "#'" + sheet.replace("'", "''") + "'!" + cell
    return f'=HYPERLINK("{target.replace(chr(34), chr(34) * 2)}","{cell}")'


def apply_run(book: xw.Book, snapshot: BookSnapshot, run: RunPlan) -> None:
    """Write a RunPlan: owned cells, owned sheets, links and xlgoals' own notes."""
    grid = snapshot.grid
    active = book.sheets.active.name
    for sheet_name, cells in run.cells.items():
        write_cells(book.sheets[sheet_name], cells)
    added = False
    for name, rows in run.sheets.items():
        old = grid.sheet(name)
        added = added or old is None
        sheet = write_owned_sheet(book, name, rows, old)
        links = run.links.get(name, [])
        if links:
            col = rows[0].index(message("findings.cell", run.lang))
            first, last = links[0][0], links[-1][0]
            by_row = {row: (target_sheet, cell) for row, target_sheet, cell in links}
            block = []
            for row in range(first, last + 1):
                if row in by_row:
                    block.append([_link_formula(*by_row[row])])
                else:
                    block.append([excel_value(rows[row][col])])
            sheet.range((first + 1, col + 1), (last + 1, col + 1)).formula = block
    if added:
        book.sheets[active].activate()  # desktop Excel activates a new sheet; go back
    for sheet_name, cell in sorted(run.notes.delete):
        note = book.sheets[sheet_name][cell].note
        if note is not None:
            note.delete()
    for (sheet_name, cell), text in run.notes.write.items():
        target = book.sheets[sheet_name][cell]
        if parse_a1(cell) in (grid.sheet(sheet_name) or SheetGrid(sheet_name, [])).noted:
            note = target.note
            if note is not None:
                note.text = text
                continue
        # The snapshot says the cell has no note. Range.add_note would check again by
        # scanning the sheet's notes, which makes a thousand notes quadratic.
        target.impl.add_note(text)


def _finish(
    book: xw.Book,
    snapshot: BookSnapshot,
    *,
    refresh: bool,
    today: dt.date | None,
    config: Config | None,
) -> Analysis:
    run = plan_run(snapshot, today=today or dt.date.today(), refresh=refresh, config=config)
    apply_run(book, snapshot, run)
    counts = {severity: 0 for severity in Severity}
    for finding in run.analysis.findings:
        counts[finding.severity] += 1
    print(
        message(
            "addin.summary",
            run.lang,
            errors=counts[Severity.ERROR],
            warnings=counts[Severity.WARNING],
            infos=counts[Severity.INFO],
            sheet=owned_sheet_name("findings", run.lang),
        )
    )
    return run.analysis


def validate_plan(
    book: xw.Book, *, today: dt.date | None = None, config: Config | None = None
) -> Analysis:
    """ "Valider plan": check every row; findings go to the status and flag columns, the
    findings sheet and notes on the cells they are about. Returns the analysis."""
    snapshot = read_book(book)
    read_merges(book, snapshot)
    return _finish(book, snapshot, refresh=False, today=today, config=config)


def refresh_attainment(
    book: xw.Book, *, today: dt.date | None = None, config: Config | None = None
) -> Analysis:
    """ "Opdater målopfyldelse": as validate_plan, plus the survey sheet's measurements,
    attainment, milestones and the roll-up sheets. Returns the analysis."""
    snapshot = read_book(book)
    read_merges(book, snapshot)
    return _finish(book, snapshot, refresh=True, today=today, config=config)


async def validate_plan_async(
    book: xw.Book, *, today: dt.date | None = None, config: Config | None = None
) -> Analysis:
    """validate_plan for xlwings Lite, which can also ask Excel for merged cells."""
    snapshot = read_book(book)
    await read_merges_async(book, snapshot)
    return _finish(book, snapshot, refresh=False, today=today, config=config)


async def refresh_attainment_async(
    book: xw.Book, *, today: dt.date | None = None, config: Config | None = None
) -> Analysis:
    """refresh_attainment for xlwings Lite (merged cells included)."""
    snapshot = read_book(book)
    await read_merges_async(book, snapshot)
    return _finish(book, snapshot, refresh=True, today=today, config=config)


def validate_plan_caller() -> None:
    """Desktop Excel: `RunPython "import xlgoals.addin; xlgoals.addin.validate_plan_caller()"`."""
    import xlwings as xw

    validate_plan(xw.Book.caller())


def refresh_attainment_caller() -> None:
    """Desktop Excel: the "Opdater målopfyldelse" button's RunPython call."""
    import xlwings as xw

    refresh_attainment(xw.Book.caller())
