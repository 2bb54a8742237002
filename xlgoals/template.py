"""`xlgoals new`: the empty goal-matrix template and the seed's worked example.

Built with XlsxWriter (new files only; existing workbooks are never re-saved by a library,
see `xlsxpatch`). The build is deterministic, so the committed copies under `workbook/`
can be compared with a fresh build in the tests.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from xlgoals.grid import column_letter
from xlgoals.model import FIELD_NAMES
from xlgoals.owned import owned_columns, owned_spec

FIRST_FIELD_COL = 2  # C
HEADER_ROW = 3  # Excel row 4
MATRIX_ROWS = 1000  # rows covered by the conditional formatting below the header
BUILD_DATE = dt.datetime(2026, 1, 1)
FIELD_WIDTHS = {"action": 42, "criteria": 42, "evaluation": 22, "timeplan": 58, "owner": 22}
BUTTONS = (
    ("validate", "Valider plan", "Validate plan"),
    ("refresh", "Opdater målopfyldelse", "Refresh attainment"),
)


@cache
def _texts() -> dict[str, Any]:
    return json.loads(resources.files("xlgoals.data").joinpath("template.json").read_text("utf-8"))


@cache
def example_plan() -> dict[str, Any]:
    """The seed's worked example (political goal 1, sub-goals 1.1–1.5, action goals 1.1.1–2)."""
    data = resources.files("xlgoals.data").joinpath("example_da.json").read_text("utf-8")
    return json.loads(data)


def owned_first_col() -> int:
    """0-based column of the first owned status column (right after G)."""
    return FIRST_FIELD_COL + len(FIELD_NAMES)


def button_cells() -> dict[str, str]:
    """Cells the two sheet buttons link to (xlwings Lite/Server bind scripts to them)."""
    first = owned_first_col()
    return {
        "validate": f"{column_letter(first)}1",
        "refresh": f"{column_letter(first + 3)}1",
    }


def build_workbook(path: str | Path, *, example: bool = False, lang: str = "da") -> Path:
    """Write the template (or the worked example) to `path` and return it.

    An `.xlsm` path gets the desktop variant: form buttons bound to VBA macros that call
    xlwings' RunPython (see `xlgoals.desktop`) instead of xlwings Lite's hyperlink shapes.
    """
    path = Path(path)
    texts = _texts()[lang]
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties({"created": BUILD_DATE, "author": "xlgoals", "title": texts["sheet"]})
    sheet = workbook.add_worksheet(texts["sheet"])
    formats = _formats(workbook)
    _layout(sheet, formats, texts, lang)
    last_row = HEADER_ROW
    last_field = FIRST_FIELD_COL + len(FIELD_NAMES) - 1
    if example:
        last_row = _write_example(sheet, formats, texts)
    else:
        title = texts["title"] + texts["title_placeholder"]
        sheet.merge_range(0, 0, 0, last_field, title, formats["title"])
    _conditional_formats(sheet, formats, max(last_row, HEADER_ROW + MATRIX_ROWS))
    if path.suffix.lower() == ".xlsm":
        from xlgoals.desktop import add_desktop_macros

        add_desktop_macros(workbook, [sheet], sheet)
        sheet.set_row(0, 30)
    else:
        _buttons(sheet, texts["sheet"], lang)
    workbook.close()
    return path


def _formats(workbook: xlsxwriter.Workbook) -> dict[str, Any]:
    wrap = {"text_wrap": True, "valign": "top", "font_size": 10}
    return {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "intro": workbook.add_format({**wrap, "italic": True, "font_color": "#555555"}),
        "description": workbook.add_format(wrap),
        "header": workbook.add_format(
            {**wrap, "bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF", "border": 1}
        ),
        "owned_header": workbook.add_format(
            {**wrap, "bold": True, "bg_color": "#D9D9D9", "font_color": "#404040", "border": 1}
        ),
        "cell": workbook.add_format({**wrap, "border": 1}),
        "owned": workbook.add_format({**wrap, "font_color": "#404040"}),
        "heading": workbook.add_format({**wrap, "bold": True, "bg_color": "#DDEBF7", "border": 1}),
        "error": workbook.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
        "warning": workbook.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"}),
        "ok": workbook.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"}),
    }


def _layout(sheet: Worksheet, formats: dict[str, Any], texts: dict[str, Any], lang: str) -> None:
    """Column widths, header, frozen panes and A4 landscape print set-up."""
    headers = texts["headers"]
    sheet.set_column(0, 0, 14, formats["description"])
    sheet.set_column(1, 1, 14, formats["description"])
    for offset, name in enumerate(FIELD_NAMES):
        col = FIRST_FIELD_COL + offset
        sheet.set_column(col, col, FIELD_WIDTHS[name], formats["description"])
    sheet.write(HEADER_ROW, 0, headers["political_goal"], formats["header"])
    sheet.write(HEADER_ROW, 1, headers["sub_goal"], formats["header"])
    for offset, name in enumerate(FIELD_NAMES):
        sheet.write(HEADER_ROW, FIRST_FIELD_COL + offset, headers[name], formats["header"])
    first = owned_first_col()
    for offset, column in enumerate(owned_columns()):
        col = first + offset
        # Flag columns only drive the conditional formatting of C–G: kept out of sight.
        options = {"hidden": True} if column.flag_for else {}
        sheet.set_column(col, col, 8 if column.flag_for else 22, formats["owned"], options)
        sheet.write(HEADER_ROW, col, column.header(lang), formats["owned_header"])
    sheet.set_row(HEADER_ROW, 48)
    sheet.freeze_panes(HEADER_ROW + 1, FIRST_FIELD_COL)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(HEADER_ROW)
    visible = [c for c in owned_columns() if not c.flag_for]
    sheet.print_area(0, 0, HEADER_ROW + MATRIX_ROWS, first + len(visible) - 1)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    sheet.merge_range(2, 0, 2, FIRST_FIELD_COL + 4, texts["intro"], formats["intro"])
    sheet.set_row(2, 30)


def _write_example(sheet: Worksheet, formats: dict[str, Any], texts: dict[str, Any]) -> int:
    """The seed's plan: title, description, sub-goal heading rows and the two action goals.

    The plan's own words stay Danish (they are the source document's); the title's label
    follows the template language ("Politisk mål 1: " / "Political goal 1: ").
    """
    plan = example_plan()
    political = plan["political_goal"]
    last = FIRST_FIELD_COL + 4
    sheet.merge_range(0, 0, 0, last, texts["title"] + political["title"], formats["title"])
    sheet.merge_range(1, 0, 1, last, political["description"], formats["description"])
    sheet.set_row(1, 30)
    row = HEADER_ROW + 1
    for sub in plan["sub_goals"]:
        sheet.merge_range(row, 0, row, last, sub["heading"], formats["heading"])
        sheet.set_row(row, 30)
        row += 1
        for goal in sub["action_goals"]:
            for offset, name in enumerate(FIELD_NAMES):
                sheet.write_string(row, FIRST_FIELD_COL + offset, goal[name], formats["cell"])
            sheet.set_row(row, 165)
            row += 1
    return row - 1


def _conditional_formats(sheet: Worksheet, formats: dict[str, Any], last_row: int) -> None:
    """Colours driven by owned cells, so writers only ever write values."""
    first_data = HEADER_ROW + 1
    spec = owned_spec()
    flags = spec["flag_values"]
    columns = owned_columns()
    first_owned = owned_first_col()
    by_key = {column.key: first_owned + i for i, column in enumerate(columns)}
    for column in columns:
        if not column.flag_for:
            continue
        target = FIRST_FIELD_COL + FIELD_NAMES.index(column.flag_for)
        flag_col = column_letter(by_key[column.key])
        for severity in ("error", "warning"):
            words = ",".join(f'${flag_col}{first_data + 1}="{w}"' for w in flags[severity].values())
            sheet.conditional_format(
                first_data,
                target,
                last_row,
                target,
                {"type": "formula", "criteria": f"=OR({words})", "format": formats[severity]},
            )
    status_col = by_key["status"]
    for key, fmt in (("error", "error"), ("warning", "warning"), ("ok", "ok")):
        for word in spec["status_values"][key].values():
            sheet.conditional_format(
                first_data,
                status_col,
                last_row,
                status_col,
                {"type": "cell", "criteria": "==", "value": f'"{word}"', "format": formats[fmt]},
            )


def _buttons(sheet: Worksheet, sheet_name: str, lang: str) -> None:
    """The two sheet buttons: shapes with an internal hyperlink (xlwings Lite/Server)."""
    cells = button_cells()
    first = owned_first_col()
    for index, (key, danish, english) in enumerate(BUTTONS):
        sheet.insert_textbox(
            0,
            first + 3 * index,
            danish if lang == "da" else english,
            {
                "width": 170,
                "height": 34,
                "x_offset": 2,
                "y_offset": 2,
                "font": {"bold": True, "color": "white", "size": 11},
                "align": {"vertical": "middle", "horizontal": "center"},
                "fill": {"color": "#1F4E78"},
                "line": {"none": True},
                "url": f"internal:'{sheet_name}'!{cells[key]}",
                "tip": danish if lang == "da" else english,
                "object_position": 3,
            },
        )
    sheet.set_row(0, 30)
