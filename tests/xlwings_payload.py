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
            "notes": notes if notes_supported else [],
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
