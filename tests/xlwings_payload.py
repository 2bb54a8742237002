"""Build the JSON payload xlwings' Office.js client sends, from an .xlsx file (tests only).

xlwings Lite and xlwings Server post the workbook as one JSON document, which the Python
side turns into a remote book with ``xw.Book(json=payload)``. The schema below follows the
Office.js client (``getBookData`` in xlwings-server's ``static/js/core/xlwingsjs/xlwings.js``)
and what xlwings' remote engine reads from it (``xlwings/pro/_xlremote.py``):

    {"client": "Office.js", "version": xlwings.__version__,
     "book": {"name", "active_sheet_index", "selection"},
     "names": [{"name", "sheet_index", "address", "scope_sheet_name",
                "scope_sheet_index", "book_scope"}],
     "sheets": [{"name", "values", "pictures", "tables",
                 "notes": [{"address"}], "notes_supported", "used_range_address"}]}

``values`` runs from A1 to the last cell of the used range, ``""`` for an empty cell, numbers
as JSON numbers, booleans, error codes as text ("#N/A"), and cells formatted as a date or
time as ISO strings the way JavaScript's ``Date.toISOString()`` writes them
("2026-04-01T00:00:00.000Z"). Formulas arrive as their cached values. The newest clients add
``notes`` (which cells carry a note; never the note's text) and ``used_range_address``.
The payload is passed through ``json.dumps``/``json.loads`` so that only what survives the
wire reaches xlwings.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter


def _iso(value: dt.datetime | dt.date | dt.time) -> str:
    """A date/time cell as JavaScript's ``Date.toISOString()`` renders it."""
    if isinstance(value, dt.time):
        value = dt.datetime.combine(dt.date(1899, 12, 30), value)
    elif not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _cell_json(value: Any) -> Any:
    """One cell value as the Office.js client serialises it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return _iso(value)
    if isinstance(value, float) and value.is_integer():
        # JSON.stringify(3.0) is "3": a whole number arrives as a JSON integer.
        return int(value)
    if isinstance(value, (int, float, str)):
        return value
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 86400
    return str(value)


def sheet_values(ws: Any) -> list[list[Any]]:
    """Values from A1 to the used range's last cell, as the client sends them."""
    last_row, last_col = ws.max_row, ws.max_column
    rows: list[list[Any]] = []
    for row in ws.iter_rows(min_row=1, max_row=last_row, max_col=last_col, values_only=True):
        rows.append([_cell_json(value) for value in row])
    return rows or [[""]]


def payload_from_xlsx(
    path: str | Path,
    *,
    active_sheet: int = 0,
    selection: str = "A1",
    notes_supported: bool = True,
    xlwings_version: str | None = None,
) -> dict[str, Any]:
    """The ``xw.Book(json=...)`` payload for the workbook at ``path``.

    Formulas are sent as their cached values (``data_only=True``), like Excel does.
    """
    import xlwings

    path = Path(path)
    values_book = openpyxl.load_workbook(path, data_only=True)
    sheets = []
    for ws in values_book.worksheets:
        notes = [
            {"address": f"${get_column_letter(cell.column)}${cell.row}"}
            for row in ws.iter_rows()
            for cell in row
            if cell.comment is not None
        ]
        min_row, min_col = ws.min_row, ws.min_column
        used = (
            f"{get_column_letter(min_col)}{min_row}:{get_column_letter(ws.max_column)}{ws.max_row}"
        )
        sheet: dict[str, Any] = {
            "name": ws.title,
            "values": sheet_values(ws),
            "pictures": [],
            "tables": [
                {
                    "name": table.name,
                    "range_address": table.ref,
                    "header_row_range_address": None,
                    "data_body_range_address": table.ref,
                    "total_row_range_address": None,
                    "show_headers": bool(table.headerRowCount),
                    "show_totals": bool(table.totalsRowCount),
                    "table_style": table.tableStyleInfo.name if table.tableStyleInfo else None,
                    "show_autofilter": table.autoFilter is not None,
                }
                for table in ws.tables.values()
            ],
            "notes": notes if notes_supported else None,
            "notes_supported": notes_supported,
            "used_range_address": used,
        }
        sheets.append(sheet)
    names = []
    for name, defined in values_book.defined_names.items():
        destinations = list(defined.destinations)
        if len(destinations) != 1:
            continue
        sheet_name, address = destinations[0]
        titles = [ws.title for ws in values_book.worksheets]
        if sheet_name not in titles:
            continue
        names.append(
            {
                "name": name,
                "sheet_index": titles.index(sheet_name),
                "address": address,
                "scope_sheet_name": None,
                "scope_sheet_index": None,
                "book_scope": True,
            }
        )
    payload = {
        "client": "Office.js",
        "version": xlwings_version or xlwings.__version__,
        "book": {"name": path.name, "active_sheet_index": active_sheet, "selection": selection},
        "names": names,
        "sheets": sheets,
    }
    return json.loads(json.dumps(payload))


# --------------------------------------------------------------------------- the reply

_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
_HYPERLINK_TEXT = re.compile(r',"((?:[^"]|"")*)"\)$')
APPLIED_FUNCS = frozenset(
    [
        "setValues",
        "setFormula",
        "addSheet",
        "rangeClearContents",
        "addNote",
        "setNoteText",
        "deleteNote",
        "activateSheet",
    ]
)
"""The actions xlgoals may send; anything else makes :func:`apply_actions` fail."""


def _excel_input(value: Any) -> tuple[Any, bool]:
    """(stored value, is formula) for a value written like typing it, as Excel does."""
    if value == "" or value is None:
        return None, False
    if isinstance(value, str):
        if value.startswith("'"):
            return value[1:], False
        if value.startswith("="):
            return value, True
        if _ISO_DATETIME.match(value):
            return dt.datetime.fromisoformat(value.rstrip("Z")), False
    return value, False


def apply_actions(source: str | Path, actions: list[dict[str, Any]], target: str | Path) -> None:
    """Play the actions of a script's reply onto a copy of the workbook, like the client.

    The Office.js client runs each action against the open workbook; this does the same
    with openpyxl so that a second run can be fed the workbook as the first run left it.
    A formula's cached value is what Excel would show (a HYPERLINK shows its friendly
    name), because the next payload carries values only.
    """
    from openpyxl.comments import Comment

    book = openpyxl.load_workbook(source)
    for action in actions:
        func = action["func"]
        if func not in APPLIED_FUNCS:
            raise AssertionError(f"unexpected action {func}: {action}")
        if func == "addSheet":
            position, name = action["args"][0], action["args"][1]
            book.create_sheet(name, position)
            continue
        if func == "activateSheet":
            book.active = int(action["args"][0])
            continue
        ws = book.worksheets[action["sheet_position"]]
        row0, col0 = action["start_row"], action["start_column"]
        if func in ("setValues", "setFormula"):
            for r, row in enumerate(action["values"]):
                for c, raw in enumerate(row):
                    value, formula = _excel_input(raw)
                    if formula:
                        match = _HYPERLINK_TEXT.search(value)
                        value = match.group(1).replace('""', '"') if match else value
                    ws.cell(row0 + r + 1, col0 + c + 1).value = value
        elif func == "rangeClearContents":
            for r in range(action["row_count"]):
                for c in range(action["column_count"]):
                    ws.cell(row0 + r + 1, col0 + c + 1).value = None
        elif func in ("addNote", "setNoteText"):
            cell = ws[action["args"][0].replace("$", "")]
            if func == "addNote" and cell.comment is not None:
                raise AssertionError(f"addNote on a cell that has a note: {action}")
            cell.comment = Comment(action["args"][1], "xlgoals")
        elif func == "deleteNote":
            ws[action["args"][0].replace("$", "")].comment = None
    book.save(target)
