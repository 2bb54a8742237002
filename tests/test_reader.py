"""The file reader: values, merged ranges and struck-through text from real .xlsx files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Font

from xlgoals.reader import read_workbook


def test_values_types_and_merged_ranges(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Målmatrix"
    sheet["B3"] = "tekst"
    sheet["C4"] = 42
    sheet["D4"] = 0.8
    sheet["E5"] = dt.datetime(2026, 3, 1)
    sheet.merge_cells("B6:D7")
    sheet["B6"] = "flettet"
    book.save(tmp_path / "v.xlsx")
    grid = read_workbook(tmp_path / "v.xlsx")
    rows = grid.sheets[0].rows
    assert grid.sheets[0].name == "Målmatrix"
    assert rows[2][1] == "tekst" and rows[0][0] is None  # A1 stays at rows[0][0]
    assert rows[3][2] == 42 and rows[3][3] == 0.8
    assert rows[4][4] == dt.date(2026, 3, 1)  # calamine gives a date for a midnight datetime
    assert grid.sheets[0].merged == [(5, 1, 6, 3)]
    assert grid.sheets[0].value(5, 1) == "flettet"


def test_struck_through_text_is_read(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet["F2"] = CellRichText(
        TextBlock(InlineFont(strike=True), "• Håndbogen skrives primo 2015"),
        "\n• Håndbogen anvendes ultimo 2015",
    )
    sheet["F3"] = "• Hele cellen er overstreget"
    sheet["F3"].font = Font(strike=True)
    sheet["F4"] = "• Ikke overstreget"
    book.save(tmp_path / "s.xlsx")
    sheet_grid = read_workbook(tmp_path / "s.xlsx").sheets[0]
    runs = sheet_grid.rich_text[(1, 5)]
    assert [(r.text, r.strike) for r in runs] == [
        ("• Håndbogen skrives primo 2015", True),
        ("\n• Håndbogen anvendes ultimo 2015", False),
    ]
    assert (2, 5) in sheet_grid.struck_cells
    assert (1, 5) not in sheet_grid.struck_cells
    assert (3, 5) not in sheet_grid.rich_text


def test_workbook_without_strikethrough_has_no_rich_text(tmp_path: Path) -> None:
    book = Workbook()
    book.active["A1"] = "x"
    book.save(tmp_path / "n.xlsx")
    grid = read_workbook(tmp_path / "n.xlsx")
    assert grid.sheets[0].rich_text == {} and grid.sheets[0].struck_cells == set()
