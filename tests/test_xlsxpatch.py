"""The lossless writer keeps every part of a leader's workbook and writes only owned cells.

Each test builds real workbooks (XlsxWriter plus hand-added Excel parts, see
`allparts.py`), patches them with `xlgoals.xlsxpatch`, and reads the result back at the
zip level, with openpyxl, with python-calamine and with LibreOffice.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import re
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine
import xlsxwriter

sys.path.insert(0, str(Path(__file__).parent))

from allparts import (
    CALC,
    DATA,
    FIRST_ACTION_ROW,
    MATRIX,
    build_allparts,
)

from xlgoals.xlsxpatch import (
    BarChart,
    OwnedSheet,
    UnsupportedWorkbookError,
    WorkbookLockedError,
    WorkbookWriteError,
    excel_owner,
    patch_workbook,
)

OVERVIEW = "Overblik (xlgoals)"
MEASURE = "Måleplan (xlgoals)"
MATRIX_PART = "xl/worksheets/sheet1.xml"


# --------------------------------------------------------------------------- helpers


def raw_entries(path: Path) -> list[dict[str, object]]:
    """Every zip entry with its ZipInfo fields, raw compressed bytes and content."""
    blob = path.read_bytes()
    out = []
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            name_len, extra_len = struct.unpack_from("<HH", blob, info.header_offset + 26)
            start = info.header_offset + 30 + name_len + extra_len
            out.append(
                {
                    "name": info.filename,
                    "date_time": info.date_time,
                    "compress_type": info.compress_type,
                    "CRC": info.CRC,
                    "compress_size": info.compress_size,
                    "file_size": info.file_size,
                    "external_attr": info.external_attr,
                    "create_system": info.create_system,
                    "flag_bits": info.flag_bits,
                    "extra": info.extra,
                    "local_header": blob[info.header_offset + 4 : start],
                    "raw": blob[start : start + info.compress_size],
                    "data": zf.read(info),
                }
            )
    return out


def by_name(entries: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {str(e["name"]): e for e in entries}


def assert_untouched_identical(before: Path, after: Path, allowed: set[str]) -> list[str]:
    """Every entry not in `allowed` is byte-identical, with its ZipInfo; order is kept."""
    old, new = raw_entries(before), raw_entries(after)
    old_names = [str(e["name"]) for e in old]
    new_names = [str(e["name"]) for e in new]
    kept = [n for n in new_names if n in old_names]
    assert kept == [n for n in old_names if n in kept], "entry order changed"
    new_map = by_name(new)
    changed = []
    for entry in old:
        name = str(entry["name"])
        if name not in new_map:
            assert name in allowed, f"{name} was removed"
            changed.append(name)
            continue
        if entry == new_map[name]:
            continue
        assert name in allowed, f"{name} changed"
        changed.append(name)
    return changed


def cell_snapshot(path: Path) -> dict[tuple[str, str], tuple[object, ...]]:
    """Value and full style of every cell on every sheet, read with openpyxl."""
    wb = openpyxl.load_workbook(path)
    snap = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                value = c.value
                if isinstance(value, openpyxl.worksheet.formula.ArrayFormula):
                    value = ("array", value.ref, value.text)
                snap[(ws.title, c.coordinate)] = (
                    value,
                    c.number_format,
                    copy.copy(c.font),
                    copy.copy(c.fill),
                    copy.copy(c.border),
                    copy.copy(c.alignment),
                    copy.copy(c.protection),
                )
    return snap


def sheet_xml(path: Path, part: str = MATRIX_PART) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(part).decode("utf-8")


def calamine_rows(path: Path, sheet: str) -> list[list[object]]:
    return (
        python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    )


def calamine_value(path: Path, sheet: str, ref: str) -> object:
    rows = calamine_rows(path, sheet)
    col = ord(ref[0]) - 65
    row = int(ref[1:]) - 1
    return rows[row][col] if row < len(rows) and col < len(rows[row]) else None


def owned_columns(rows: int = 6) -> dict[str, object]:
    """Typical owned status values for the matrix rows, plus the header row."""
    cells: dict[str, object] = {}
    for i in range(rows):
        r = FIRST_ACTION_ROW + i
        cells[f"H{r}"] = "OK" if i % 2 else "Advarsel"
        cells[f"I{r}"] = 0.6 + i / 100
        cells[f"J{r}"] = (i + 1) / 10
        cells[f"K{r}"] = dt.date(2026, 6, 30)
        cells[f"L{r}"] = "primo 2026\nultimo 2027" if i == 0 else None
    return cells


def overview_sheet(progress: tuple[float, ...] = (0.5, 0.75, 1.0)) -> OwnedSheet:
    rows: list[list[object]] = [["Delmål", "Handlemål", "Fremdrift", "Opdateret"]]
    for i, value in enumerate(progress):
        rows.append([f"Delmål 1.{i + 1}", 3 + i, value, dt.date(2026, 11, 28)])
    return OwnedSheet(
        rows=rows,
        column_widths=[24, 12, 12, 14],
        number_formats={"C": "0%"},
        chart=BarChart("Fremdrift pr. delmål", "A", "C", value_format="0%", value_max=1),
    )


def measure_sheet() -> OwnedSheet:
    return OwnedSheet(
        rows=[
            ["Handlemål", "Mål", "Målt", "n"],
            ["1.1.1", ">= 60 %", 0.62, 120],
            ["1.1.2", "== 0", "=ikke en formel", True],
        ],
        column_widths=[12, 16, 10, 8],
    )


@pytest.fixture(scope="module")
def allparts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_allparts(tmp_path_factory.mktemp("allparts") / "plan.xlsm")


def fresh(allparts: Path, tmp_path: Path, name: str = "plan.xlsm") -> Path:
    target = tmp_path / name
    shutil.copyfile(allparts, target)
    return target


# --------------------------------------------------------------------------- scenarios
# Each scenario writes files; tests assert on them and the LibreOffice test opens them all.


def scenario_full(allparts: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Owned cells of every action row plus two owned sheets, on the everything workbook."""
    path = fresh(allparts, tmp_path)
    before = tmp_path / "before.xlsm"
    shutil.copyfile(path, before)
    patch_workbook(
        path,
        cells={MATRIX: owned_columns()},
        sheets={OVERVIEW: overview_sheet(), MEASURE: measure_sheet()},
    )
    return before, path


def scenario_zip64(allparts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The everything workbook re-zipped as a real ZIP64 archive, then patched."""
    source = tmp_path / "zip64-source.xlsm"
    with monkeypatch.context() as m:
        m.setattr(zipfile, "ZIP64_LIMIT", 1000)
        m.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 5)
        with zipfile.ZipFile(allparts) as zin, zipfile.ZipFile(source, "w") as zout:
            for info in zin.infolist():
                zout.writestr(info, zin.read(info), compress_type=info.compress_type)
    path = tmp_path / "zip64.xlsm"
    patch_workbook(
        source,
        cells={MATRIX: {"H4": "OK", "I4": 0.5}},
        sheets={OVERVIEW: overview_sheet()},
        output=path,
    )
    return path


def scenario_calc_emptied(tmp_path: Path) -> Path:
    """A workbook whose only formula is overwritten: calcChain must go, with rel and type."""
    path = tmp_path / "calc.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Ark1")
    ws.write_formula("A1", "=1+1", None, 2)
    wb.close()
    _add_calc_chain(path, '<c r="A1" i="1"/>')
    patch_workbook(path, cells={"Ark1": {"A1": "tekst"}})
    return path


def scenario_owned_cycle(allparts: Path, tmp_path: Path) -> list[Path]:
    """Create an owned sheet with a chart, replace it, then replace it without a chart."""
    first = fresh(allparts, tmp_path, "cycle1.xlsm")
    patch_workbook(first, cells={}, sheets={OVERVIEW: overview_sheet()})
    second = tmp_path / "cycle2.xlsm"
    patch_workbook(first, sheets={OVERVIEW: overview_sheet((0.1, 0.2, 0.3, 0.4))}, output=second)
    third = tmp_path / "cycle3.xlsm"
    patch_workbook(second, sheets={OVERVIEW: measure_sheet()}, output=third)
    return [first, second, third]


def scenario_pitfalls(tmp_path: Path) -> Path:
    """A plain workbook with gaps in rows and cells, written in between."""
    path = tmp_path / "gaps.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Ark1")
    bold = wb.add_format({"bold": True})
    ws.write("A1", "hoved", bold)
    ws.write("D1", "d1")
    ws.write("A5", "a5")
    ws.write("C5", "c5")
    ws.write("A9", "a9")
    ws.write_datetime("E9", dt.datetime(2025, 5, 1), wb.add_format({"num_format": "d. mmm yyyy"}))
    ws.write("F9", 7, bold)
    wb.close()
    patch_workbook(
        path,
        cells={
            "Ark1": {
                "B1": "mellem",  # between two cells
                "F1": "efter",  # after the last cell
                "B3": 3,  # a new row between rows 1 and 5
                "B5": "  foran og bagved  ",
                "G5": "g5",  # grows the row's spans
                "E9": dt.date(2027, 12, 31),  # already date-styled
                "F9": None,  # cleared, style kept
                "Z12": "=SUM(A1:A3)",  # a new last row, far right: text, not a formula
                "A20": True,
                "B20": -0.000125,
                "C20": 10**15,
            }
        },
    )
    return path


def scenario_prefixed(tmp_path: Path) -> Path:
    """A worksheet whose XML uses an `x:` prefix for the main namespace."""
    path = tmp_path / "prefixed.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Ark1")
    ws.write("A1", "a1")
    ws.write("A3", 3)
    wb.close()
    parts = _read_parts(path)
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    xml = xml.replace('xmlns="http://schemas', 'xmlns:x="http://schemas', 1)
    xml = re.sub(r"<(/?)(?!\?)(\w)", r"<\1x:\2", xml)
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    _write_parts(path, parts)
    patch_workbook(path, cells={"Ark1": {"B1": "ny", "A2": 2.5, "C3": "c3"}})
    return path


def _read_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def _write_parts(path: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def _add_calc_chain(path: Path, entries: str) -> None:
    parts = _read_parts(path)
    parts["xl/calcChain.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{entries}</calcChain>"
    ).encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/calcChain" Target="calcChain.xml"/></Relationships>',
    )
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    ct = (
        parts["[Content_Types].xml"]
        .decode()
        .replace(
            "</Types>",
            '<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.calcChain+xml"/></Types>',
        )
    )
    parts["[Content_Types].xml"] = ct.encode()
    _write_parts(path, parts)


# --------------------------------------------------------------------------- the big one


def test_everything_survives_a_patch(allparts: Path, tmp_path: Path) -> None:
    before, after = scenario_full(allparts, tmp_path)
    expected_changes = {
        MATRIX_PART,
        "xl/styles.xml",  # one date style appended
        "xl/workbook.xml",  # two <sheet> elements
        "xl/_rels/workbook.xml.rels",
        "[Content_Types].xml",
    }
    changed = assert_untouched_identical(before, after, expected_changes)
    assert set(changed) == expected_changes
    old_names = {str(e["name"]) for e in raw_entries(before)}
    added = [str(e["name"]) for e in raw_entries(after) if e["name"] not in old_names]
    assert added == [
        "xl/worksheets/sheet5.xml",
        "xl/worksheets/_rels/sheet5.xml.rels",
        "xl/drawings/drawing2.xml",
        "xl/drawings/_rels/drawing2.xml.rels",
        "xl/charts/chart2.xml",
        "xl/worksheets/sheet6.xml",
    ]
    # the parts the issue names are all there, unchanged
    names = by_name(raw_entries(after))
    for part in (
        "xl/vbaProject.bin",
        "xl/drawings/vmlDrawing1.vml",  # form button with its macro link, notes
        "xl/drawings/drawing1.xml",  # text boxes with hyperlinks, image, chart
        "xl/media/image1.png",
        "xl/charts/chart1.xml",
        "xl/comments1.xml",
        "xl/threadedComments/threadedComment1.xml",
        "xl/persons/person.xml",
        "xl/tables/table1.xml",
        "xl/webextensions/webextension1.xml",
        "xl/webextensions/taskpanes.xml",
        "customXml/item1.xml",
        "customXml/itemProps1.xml",
        "xl/calcChain.xml",
        "xl/worksheets/sheet2.xml",  # the protected sheet
    ):
        assert part in names
    assert b"say_hello" in names["xl/drawings/vmlDrawing1.vml"]["data"]  # type: ignore[operator]

    # the matrix sheet: outside <sheetData> only <dimension> may differ, and every
    # untouched cell keeps its exact XML
    old_xml, new_xml = sheet_xml(before), sheet_xml(after)
    strip_dim = re.compile(r"<dimension [^>]*/>")
    old_head, _, rest = old_xml.partition("<sheetData>")
    new_head, _, new_rest = new_xml.partition("<sheetData>")
    assert strip_dim.sub("", old_head) == strip_dim.sub("", new_head)
    assert rest.partition("</sheetData>")[2] == new_rest.partition("</sheetData>")[2]
    assert 'mc:Ignorable="x14ac xr xr2 xr3"' in new_head
    written = set(owned_columns())
    for cell in re.findall(r"<c r=\"[A-Z]+\d+\".*?(?:/>|</c>)", old_xml):
        ref = re.match(r'<c r="([A-Z]+\d+)"', cell).group(1)  # type: ignore[union-attr]
        if ref not in written:
            assert cell in new_xml, f"cell {ref} changed"
    assert 't="str"' not in new_xml

    # every user cell unchanged: values and styles, on every sheet
    old_cells, new_cells = cell_snapshot(before), cell_snapshot(after)
    for key, old in old_cells.items():
        if key[0] == MATRIX and key[1] in written:
            continue
        assert new_cells[key] == old, key

    # the new values, read back by openpyxl and python-calamine
    wb = openpyxl.load_workbook(after)
    ws = wb[MATRIX]
    assert ws["H4"].value == "Advarsel"
    assert ws["I5"].value == pytest.approx(0.61)
    assert ws["K4"].value == dt.datetime(2026, 6, 30)
    assert ws["K4"].is_date
    assert ws["L4"].value == "primo 2026\nultimo 2027"
    assert ws["L5"].value is None
    assert calamine_value(after, MATRIX, "H5") == "OK"
    assert calamine_value(after, MATRIX, "J9") == pytest.approx(0.6)
    assert calamine_value(after, MATRIX, "K9") in (dt.date(2026, 6, 30), dt.datetime(2026, 6, 30))
    # owned sheets, after the user's sheets
    assert wb.sheetnames[-2:] == [OVERVIEW, MEASURE]
    overview = wb[OVERVIEW]
    assert [c.value for c in overview[1]] == ["Delmål", "Handlemål", "Fremdrift", "Opdateret"]
    assert overview["A1"].font.b
    assert overview.freeze_panes == "A2"
    assert overview["C3"].number_format == "0%"
    assert overview.column_dimensions["A"].width == pytest.approx(24, abs=1)
    measure = wb[MEASURE]
    assert measure["C3"].value == "=ikke en formel"
    assert measure["C3"].data_type == "s"
    assert measure["D3"].value is True
    assert calamine_rows(after, OVERVIEW)[1][:3] == ["Delmål 1.1", 3, 0.5]
    chart = names["xl/charts/chart2.xml"]["data"].decode()  # type: ignore[union-attr]
    assert "<c:barChart>" in chart
    assert "'Overblik (xlgoals)'!$C$2:$C$4" in chart
    assert "'Overblik (xlgoals)'!$A$2:$A$4" in chart


def test_patching_twice_gives_the_same_bytes(allparts: Path, tmp_path: Path) -> None:
    _, once = scenario_full(allparts, tmp_path)
    first = once.read_bytes()
    mtime = once.stat().st_mtime_ns
    report = patch_workbook(
        once,
        cells={MATRIX: owned_columns()},
        sheets={OVERVIEW: overview_sheet(), MEASURE: measure_sheet()},
    )
    assert not report.changed and report.changes == []
    assert once.read_bytes() == first
    assert once.stat().st_mtime_ns == mtime  # an unchanged file is not rewritten
    # two copies made from the same original are identical too
    a, b = tmp_path / "a.xlsm", tmp_path / "b.xlsm"
    for out in (a, b):
        patch_workbook(
            allparts,
            cells={MATRIX: owned_columns()},
            sheets={OVERVIEW: overview_sheet()},
            output=out,
        )
    assert a.read_bytes() == b.read_bytes()


def test_dry_run_lists_changes_and_writes_nothing(allparts: Path, tmp_path: Path) -> None:
    path = fresh(allparts, tmp_path)
    original = path.read_bytes()
    report = patch_workbook(
        path,
        cells={MATRIX: {"H4": "Fejl", "N5": 3, "G4": "Skoleleder"}},
        sheets={OVERVIEW: overview_sheet()},
        dry_run=True,
    )
    assert path.read_bytes() == original
    assert list(tmp_path.iterdir()) == [path]
    assert not report.written and report.dry_run
    by_cell = {(c.sheet, c.cell): c for c in report.changes}
    assert by_cell[(MATRIX, "H4")].old is None
    assert by_cell[(MATRIX, "H4")].new == "Fejl"
    assert by_cell[(MATRIX, "N5")].old == 41  # the formula's cached value
    assert (MATRIX, "G4") not in by_cell  # same text as the user's: no change
    assert by_cell[(OVERVIEW, "C2")].new == 0.5
    assert report.sheets_created == [OVERVIEW]
    lines = report.lines("da")
    assert "nyt ark: Overblik (xlgoals)" in lines
    assert "Handleplan!H4: None -> 'Fejl'" in lines


def test_output_writes_a_copy(allparts: Path, tmp_path: Path) -> None:
    path = fresh(allparts, tmp_path)
    original = path.read_bytes()
    out = tmp_path / "kopi.xlsm"
    report = patch_workbook(path, cells={MATRIX: {"H4": "OK"}}, output=out)
    assert path.read_bytes() == original
    assert report.written and report.output == str(out)
    assert openpyxl.load_workbook(out)[MATRIX]["H4"].value == "OK"
    # nothing to change: the copy is the original, byte for byte
    same = tmp_path / "same.xlsm"
    patch_workbook(path, cells={MATRIX: {"G4": "Skoleleder"}}, output=same)
    assert same.read_bytes() == original


# --------------------------------------------------------------------------- cell pitfalls


def test_rows_and_cells_go_in_order_and_grow_dimension_and_spans(tmp_path: Path) -> None:
    path = scenario_pitfalls(tmp_path)
    xml = sheet_xml(path)
    rows = [int(r) for r in re.findall(r'<row r="(\d+)"', xml)]
    assert rows == sorted(rows) == [1, 3, 5, 9, 12, 20]
    for row_xml in re.findall(r"<row .*?</row>", xml):
        cols = [
            openpyxl.utils.column_index_from_string(c)
            for c in re.findall(r'<c r="([A-Z]+)\d+"', row_xml)
        ]
        assert cols == sorted(cols)
    assert '<dimension ref="A1:Z20"/>' in xml
    assert re.search(r'<row r="1" spans="1:6"', xml)
    assert re.search(r'<row r="5" spans="1:7"', xml)
    assert re.search(r'<row r="9" spans="1:6"', xml)  # nothing new there
    ws = openpyxl.load_workbook(path)["Ark1"]
    assert [ws[c].value for c in ("A1", "B1", "D1", "F1")] == ["hoved", "mellem", "d1", "efter"]
    assert ws["A1"].font.b
    assert ws["B3"].value == 3 and ws["B3"].data_type == "n"
    assert ws["A20"].value is True
    assert ws["B20"].value == -0.000125
    assert ws["C20"].value == 10**15


def test_text_is_never_a_formula_and_uses_inline_strings(tmp_path: Path) -> None:
    path = scenario_pitfalls(tmp_path)
    xml = sheet_xml(path)
    assert '<c r="Z12" t="inlineStr"><is><t>=SUM(A1:A3)</t></is></c>' in xml
    assert "<f>" not in xml and 't="str"' not in xml
    ws = openpyxl.load_workbook(path)["Ark1"]
    assert ws["Z12"].value == "=SUM(A1:A3)" and ws["Z12"].data_type == "s"
    assert calamine_value(path, "Ark1", "Z12") == "=SUM(A1:A3)"


def small_workbook(path: Path, **options: object) -> Path:
    """A one-sheet workbook ("Ark1" with A1 = "x")."""
    wb = xlsxwriter.Workbook(str(path), options)
    wb.add_worksheet("Ark1").write("A1", "x", wb.add_format({"italic": True}))
    wb.close()
    return path


ESCAPES = {
    "B1": "  foran og bagved  ",
    "B2": "linje 1\nlinje 2",
    "B3": 'a < b & "c" > d',
    "B4": "styretegn \x01 og \x1f",
    "B5": "bogstavelig _x0041_ tekst",
    "B6": "vognretur\r\nlinjeskift",
    "B7": "emoji 😀 og æøå",
    "B8": "enkelt",
}


def scenario_escapes(tmp_path: Path) -> Path:
    path = small_workbook(tmp_path / "esc.xlsx")
    patch_workbook(path, cells={"Ark1": ESCAPES})
    return path


def scenario_long_text(tmp_path: Path) -> tuple[Path, list[str]]:
    path = small_workbook(tmp_path / "long.xlsx")
    report = patch_workbook(path, cells={"Ark1": {"A2": "å" * 40000}})
    return path, report.warnings


def scenario_1904(tmp_path: Path) -> Path:
    path = small_workbook(tmp_path / "mac.xlsx", date_1904=True)
    patch_workbook(path, cells={"Ark1": {"B1": dt.date(2026, 3, 31)}})
    return path


def test_whitespace_escaping_and_control_characters(tmp_path: Path) -> None:
    path = scenario_escapes(tmp_path)
    values = ESCAPES
    xml = sheet_xml(path)
    assert '<t xml:space="preserve">  foran og bagved  </t>' in xml
    assert '<t xml:space="preserve">linje 1\nlinje 2</t>' in xml
    assert "<t>enkelt</t>" in xml
    assert 'a &lt; b &amp; "c" &gt; d' in xml
    assert "styretegn _x0001_ og _x001F_" in xml
    assert "bogstavelig _x005F_x0041_ tekst" in xml
    assert "vognretur_x000D_\nlinjeskift" in xml
    rows = calamine_rows(path, "Ark1")
    assert [r[1] for r in rows] == list(values.values())
    ws = openpyxl.load_workbook(path)["Ark1"]
    assert ws["B3"].value == values["B3"]
    assert ws["B7"].value == values["B7"]


def test_text_is_capped_at_excels_limit(tmp_path: Path) -> None:
    path, warnings = scenario_long_text(tmp_path)
    value = openpyxl.load_workbook(path)["Ark1"]["A2"].value
    assert len(value) == 32767 and value.endswith("…")
    assert any("32767" in w for w in warnings)


DATES = {
    "A1": dt.date(2026, 3, 31),
    "C1": dt.date(2026, 4, 1),
    "C2": dt.datetime(2026, 4, 1, 12, 30),
}


def scenario_dates(tmp_path: Path) -> tuple[Path, str]:
    """Text and a number (no style change), then dates (a date style appended once)."""
    path = small_workbook(tmp_path / "dates.xlsx")
    styles_before = _read_parts(path)["xl/styles.xml"].decode()
    patch_workbook(path, cells={"Ark1": {"B1": "tekst", "B2": 5}})
    assert _read_parts(path)["xl/styles.xml"].decode() == styles_before  # no date: no change
    patch_workbook(path, cells={"Ark1": DATES})
    return path, styles_before


def test_dates_get_a_date_style_added_once(tmp_path: Path) -> None:
    path, styles_before = scenario_dates(tmp_path)
    styles_after = _read_parts(path)["xl/styles.xml"].decode()
    count = lambda xml: len(re.findall(r"<xf ", xml.split("<cellXfs")[1].split("</cellXfs>")[0]))  # noqa: E731
    assert count(styles_after) == count(styles_before) + 3  # italic+date, date, datetime
    ws = openpyxl.load_workbook(path)["Ark1"]
    assert ws["A1"].value == dt.datetime(2026, 3, 31) and ws["A1"].is_date
    assert ws["A1"].font.i  # the user's font stays
    assert ws["C1"].is_date and ws["C2"].value == dt.datetime(2026, 4, 1, 12, 30)
    # a cell that already has a date format keeps it
    path2 = scenario_pitfalls(tmp_path)
    ws2 = openpyxl.load_workbook(path2)["Ark1"]
    assert ws2["E9"].value == dt.datetime(2027, 12, 31)
    assert ws2["E9"].number_format == "d. mmm yyyy"


def test_clearing_a_cell_removes_its_value_and_keeps_its_style(tmp_path: Path) -> None:
    path = scenario_pitfalls(tmp_path)
    xml = sheet_xml(path)
    assert re.search(r'<c r="F9" s="\d+"/>', xml)
    ws = openpyxl.load_workbook(path)["Ark1"]
    assert ws["F9"].value is None and ws["F9"].font.b


def test_overwriting_a_formula_removes_its_calc_chain_entry(allparts: Path, tmp_path: Path) -> None:
    path = fresh(allparts, tmp_path)
    patch_workbook(path, cells={MATRIX: {"N4": 1, "N6": "x"}, CALC: {"B2": 9}})
    chain = _read_parts(path)["xl/calcChain.xml"].decode()
    refs = re.findall(r'<c r="(\w+)"( i="\d+")?/>', chain)
    # N4 carried i="1"; its successor N5 now carries it
    assert refs == [
        ("N5", ' i="1"'),
        ("N7", ""),
        ("N8", ""),
        ("N9", ""),
        ("B1", ' i="4"'),
        ("B3", ""),
        ("C1", ""),
    ]
    xml = sheet_xml(path)
    assert re.search(r'<c r="N4"><v>1</v></c>', xml)
    assert "LEN(C4)" not in xml and "LEN(C5)" in xml
    assert '<f t="shared" si="0"/>' in sheet_xml(path, "xl/worksheets/sheet4.xml")  # B3 kept


def test_a_calc_chain_left_empty_is_removed_with_its_rel_and_type(tmp_path: Path) -> None:
    path = scenario_calc_emptied(tmp_path)
    parts = _read_parts(path)
    assert "xl/calcChain.xml" not in parts
    assert b"calcChain" not in parts["xl/_rels/workbook.xml.rels"]
    assert b"calcChain" not in parts["[Content_Types].xml"]
    assert openpyxl.load_workbook(path)["Ark1"]["A1"].value == "tekst"


def test_refuses_a_shared_formula_master(allparts: Path, tmp_path: Path) -> None:
    path = fresh(allparts, tmp_path)
    original = path.read_bytes()
    with pytest.raises(WorkbookWriteError) as err:
        patch_workbook(path, cells={CALC: {"B1": 5}})
    assert err.value.sheet == CALC and err.value.cell == "B1"
    assert "shared formula" in str(err.value) and "B1:B3" in str(err.value)
    assert "delt formel" in err.value.message("da")
    assert path.read_bytes() == original


def test_refuses_part_of_an_array_formula(allparts: Path, tmp_path: Path) -> None:
    path = fresh(allparts, tmp_path)
    with pytest.raises(WorkbookWriteError, match="array formula in E1:E3"):
        patch_workbook(path, cells={DATA: {"E2": 5}})


def test_refuses_a_merged_non_anchor_cell(allparts: Path, tmp_path: Path) -> None:
    path = fresh(allparts, tmp_path)
    original = path.read_bytes()
    with pytest.raises(WorkbookWriteError) as err:
        patch_workbook(path, cells={MATRIX: {"H4": "OK", "D3": "x"}})
    assert err.value.cell == "D3" and "B3" in str(err.value)
    assert "flettede" in err.value.message("da")
    assert path.read_bytes() == original
    # the anchor is fine, and clearing a covered cell (empty anyway) is harmless
    patch_workbook(path, cells={MATRIX: {"B3": "Delmål 1.1 (nyt navn)", "D3": None}})
    assert openpyxl.load_workbook(path)[MATRIX]["B3"].value == "Delmål 1.1 (nyt navn)"


def test_refuses_changing_a_table_header(allparts: Path, tmp_path: Path) -> None:
    path = fresh(allparts, tmp_path)
    with pytest.raises(WorkbookWriteError, match="header of the table 'Maalinger'") as err:
        patch_workbook(path, cells={DATA: {"B1": "Ny overskrift"}})
    assert err.value.cell == "B1"
    # the same header text, and the table's data cells, are fine
    patch_workbook(path, cells={DATA: {"B1": "Værdi", "B2": 0.65}})
    assert openpyxl.load_workbook(path)[DATA]["B2"].value == 0.65


def test_sheet_names_match_case_insensitively_like_excel(allparts: Path, tmp_path: Path) -> None:
    path = fresh(allparts, tmp_path)
    patch_workbook(path, cells={"HANDLEPLAN": {"H4": "OK"}})
    assert openpyxl.load_workbook(path)[MATRIX]["H4"].value == "OK"


def test_prefixed_worksheet_xml(tmp_path: Path) -> None:
    path = scenario_prefixed(tmp_path)
    xml = sheet_xml(path)
    assert '<x:c r="B1" t="inlineStr"><x:is><x:t>ny</x:t></x:is></x:c>' in xml
    assert '<x:row r="2"><x:c r="A2"><x:v>2.5</x:v></x:c></x:row>' in xml
    assert calamine_rows(path, "Ark1") == [["a1", "ny", ""], [2.5, "", ""], [3, "", "c3"]]


def test_bad_values_and_references_are_refused_clearly(allparts: Path, tmp_path: Path) -> None:
    path = fresh(allparts, tmp_path)
    original = path.read_bytes()
    with pytest.raises(WorkbookWriteError, match="finite numbers") as err:
        patch_workbook(path, cells={MATRIX: {"H4": float("nan")}})
    assert err.value.cell == "H4" and str(path) in str(err.value)
    with pytest.raises(WorkbookWriteError, match="not an A1 cell reference"):
        patch_workbook(path, cells={MATRIX: {"H-4": 1}})
    with pytest.raises(WorkbookWriteError, match="no such sheet"):
        patch_workbook(path, cells={"Findes ikke": {"A1": 1}})
    with pytest.raises(WorkbookWriteError, match="does not own"):
        patch_workbook(path, sheets={MATRIX: measure_sheet()})
    with pytest.raises(WorkbookWriteError, match="type object"):
        patch_workbook(path, cells={MATRIX: {"H4": object()}})
    assert path.read_bytes() == original


# --------------------------------------------------------------------------- owned sheets


def test_owned_sheets_are_replaced_whole_without_leftovers(allparts: Path, tmp_path: Path) -> None:
    first, second, third = scenario_owned_cycle(allparts, tmp_path)
    a, b, c = (by_name(raw_entries(p)) for p in (first, second, third))
    assert "xl/charts/chart2.xml" in a and "xl/charts/chart2.xml" in b
    assert set(a) == set(b)  # same part names reused on replacement
    assert [n for n in b] == [n for n in a]  # and in the same order
    assert b"0.4" in b["xl/charts/chart2.xml"]["data"]  # type: ignore[operator]
    # replaced by a sheet without a chart: drawing, chart and their rels are gone
    for gone in (
        "xl/charts/chart2.xml",
        "xl/drawings/drawing2.xml",
        "xl/drawings/_rels/drawing2.xml.rels",
        "xl/worksheets/_rels/sheet5.xml.rels",
    ):
        assert gone not in c
    ct = c["[Content_Types].xml"]["data"].decode()  # type: ignore[union-attr]
    assert "chart2" not in ct and "drawing2" not in ct
    assert "xl/charts/chart1.xml" in c and "xl/drawings/drawing1.xml" in c  # the user's own
    assert openpyxl.load_workbook(third)[OVERVIEW]["A2"].value == "1.1.1"
    wb_xml = c["xl/workbook.xml"]["data"].decode()  # type: ignore[union-attr]
    assert wb_xml.count("Overblik (xlgoals)") == 1


def test_a_later_refresh_reports_exactly_the_owned_cells_that_change(
    allparts: Path, tmp_path: Path
) -> None:
    path = fresh(allparts, tmp_path)
    rows: list[list[object]] = [
        ["Fund", "Celle", "Antal", "Dato"],
        ["advarsel", "F5", 3, dt.date(2026, 1, 31)],
        ["fejl", "F6", 2.0, None],
        ["A & B <c>", "_x0041_ og \x01", 1.5, dt.date(2026, 2, 1)],
    ]
    patch_workbook(path, sheets={MEASURE: OwnedSheet(rows=rows)})
    later = copy.deepcopy(rows)
    later[1][2] = 4  # changed number
    later[2] = later[2][:2]  # C3 dropped (D3 was empty)
    later[3][0] = "A & B <d>"  # changed text that needs XML escaping
    later.append(["ny", "F9", None, None])  # a new row
    report = patch_workbook(path, sheets={MEASURE: OwnedSheet(rows=later)}, dry_run=True)
    assert [(c.sheet, c.cell, c.old, c.new) for c in report.changes] == [
        (MEASURE, "C2", 3, 4),
        (MEASURE, "C3", 2, None),  # 2.0 is stored as 2, and reads back so
        (MEASURE, "A4", "A & B <c>", "A & B <d>"),
        (MEASURE, "A5", None, "ny"),
        (MEASURE, "B5", None, "F9"),
    ]
    assert report.sheets_replaced == [MEASURE]
    # the unchanged cells compare equal by value: the same rows again change nothing
    again = patch_workbook(path, sheets={MEASURE: OwnedSheet(rows=rows)})
    assert not again.changed and again.changes == []


def test_owned_sheet_resaved_by_another_program_is_compared_by_value(
    allparts: Path, tmp_path: Path
) -> None:
    path = fresh(allparts, tmp_path)
    patch_workbook(path, sheets={OVERVIEW: overview_sheet()})
    resaved = tmp_path / "resaved.xlsm"
    book = openpyxl.load_workbook(path, keep_vba=True)  # shared strings, other styles
    book.save(resaved)
    report = patch_workbook(resaved, sheets={OVERVIEW: overview_sheet()}, dry_run=True)
    assert report.sheets_replaced == [OVERVIEW]
    assert report.changes == []  # every value is the same, only the XML differs
    report = patch_workbook(
        resaved, sheets={OVERVIEW: overview_sheet((0.5, 0.8, 1.0))}, dry_run=True
    )
    assert [(c.cell, c.old, c.new) for c in report.changes] == [("C3", 0.75, 0.8)]


def test_duplicate_cells_in_an_old_owned_sheet_compare_by_the_last(
    allparts: Path, tmp_path: Path
) -> None:
    path = fresh(allparts, tmp_path)
    sheet = OwnedSheet(rows=[["Delmål"], ["1.1"]])
    patch_workbook(path, sheets={MEASURE: sheet})
    with zipfile.ZipFile(path) as zf:
        part = next(
            n
            for n in zf.namelist()
            if n.startswith("xl/worksheets/sheet") and b">1.1<" in zf.read(n)
        )
    entries = raw_entries(path)
    damaged = tmp_path / "dup.xlsm"
    with zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in entries:
            data = entry["data"]
            if entry["name"] == part:
                cell = b'<c r="A2" t="inlineStr"><is><t>1.1</t></is></c>'
                dup = b'<c r="A2" t="inlineStr"><is><t>gammel</t></is></c>'
                data = data.replace(cell, cell + dup)  # type: ignore[union-attr]
            out.writestr(str(entry["name"]), data)  # type: ignore[arg-type]
    report = patch_workbook(damaged, sheets={MEASURE: sheet}, dry_run=True)
    assert [(c.cell, c.old, c.new) for c in report.changes] == [("A2", "gammel", "1.1")]


# --------------------------------------------------------------------------- bad inputs


def test_refuses_a_workbook_open_in_excel(allparts: Path, tmp_path: Path) -> None:
    path = fresh(allparts, tmp_path)
    original = path.read_bytes()
    name = "Søren Sørensen"
    owner = bytes([len(name)]) + name.encode("cp1252").ljust(53, b" ")
    owner += struct.pack("<H", len(name)) + name.encode("utf-16-le")
    owner = owner.ljust(165, b"\x20")
    (tmp_path / f"~${path.name}").write_bytes(owner)
    assert excel_owner(path) == name
    with pytest.raises(WorkbookLockedError) as err:
        patch_workbook(path, cells={MATRIX: {"H4": "OK"}})
    assert "open in Excel by Søren Sørensen" in str(err.value)
    assert "åben i Excel af Søren Sørensen" in err.value.message("da")
    assert path.read_bytes() == original
    # a copy elsewhere may still be written, and a dry run is fine
    patch_workbook(path, cells={MATRIX: {"H4": "OK"}}, output=tmp_path / "kopi.xlsm")
    patch_workbook(path, cells={MATRIX: {"H4": "OK"}}, dry_run=True)
    assert path.read_bytes() == original


def test_refuses_encrypted_corrupt_and_strict_files(allparts: Path, tmp_path: Path) -> None:
    encrypted = tmp_path / "krypteret.xlsx"
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000)
    truncated = tmp_path / "afkortet.xlsm"
    truncated.write_bytes(allparts.read_bytes()[:-3000])
    text = tmp_path / "tekst.xlsx"
    text.write_text("ikke en projektmappe")
    strict = tmp_path / "strict.xlsx"
    wb = xlsxwriter.Workbook(str(strict))
    wb.add_worksheet("Ark1").write("A1", 1)
    wb.close()
    parts = _read_parts(strict)
    for name in list(parts):
        parts[name] = (
            parts[name]
            .replace(
                b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                b"http://purl.oclc.org/ooxml/spreadsheetml/main",
            )
            .replace(
                b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                b"http://purl.oclc.org/ooxml/officeDocument/relationships",
            )
        )
    _write_parts(strict, parts)
    cases = {
        encrypted: "encrypted",
        truncated: "zip archive",
        text: "not a zip archive",
        strict: "Strict Open XML",
    }
    for path, reason in cases.items():
        original = path.read_bytes()
        with pytest.raises(UnsupportedWorkbookError) as err:
            patch_workbook(path, cells={"Ark1": {"A1": 2}})
        assert reason in str(err.value)
        assert str(path) in str(err.value) and str(path) in err.value.message("da")
        assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in cases)


def test_refuses_a_workbook_with_a_damaged_part(allparts: Path, tmp_path: Path) -> None:
    path = fresh(allparts, tmp_path)
    blob = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/theme/theme1.xml")
    name_len, extra_len = struct.unpack_from("<HH", blob, info.header_offset + 26)
    at = info.header_offset + 30 + name_len + extra_len + info.compress_size // 2
    blob[at] ^= 0xFF
    path.write_bytes(bytes(blob))
    with pytest.raises(UnsupportedWorkbookError, match=r"xl/theme/theme1\.xml") as err:
        patch_workbook(path, cells={MATRIX: {"H4": "OK"}})
    assert "beskadiget" in err.value.message("da")
    assert path.read_bytes() == bytes(blob)


def test_the_1904_date_system(tmp_path: Path) -> None:
    path = scenario_1904(tmp_path)
    assert openpyxl.load_workbook(path)["Ark1"]["B1"].value == dt.datetime(2026, 3, 31)
    assert "<v>44650</v>" in sheet_xml(path)  # 46112 in the 1900 system


def test_a_failed_write_leaves_the_original_and_no_temp_file(
    allparts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = fresh(allparts, tmp_path)
    original = path.read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(WorkbookWriteError, match="No space left on device") as err:
        patch_workbook(path, cells={MATRIX: {"H4": "OK"}})
    assert "originalen er uændret" in err.value.message("da")
    assert path.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_zip64_archives(allparts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = scenario_zip64(allparts, tmp_path, monkeypatch)
    source = tmp_path / "zip64-source.xlsm"
    assert b"PK\x06\x06" in source.read_bytes()  # the input was a real ZIP64 archive
    # a small workbook needs no ZIP64 fields; LibreOffice cannot open ZIP64 archives, so
    # they are dropped, while every untouched entry keeps its compressed bytes and info
    assert b"PK\x06\x06" not in path.read_bytes()
    old, new = by_name(raw_entries(source)), by_name(raw_entries(path))
    for name, entry in old.items():
        if name in (
            MATRIX_PART,
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "[Content_Types].xml",
            "xl/styles.xml",
        ):
            continue
        for key in (
            "raw",
            "data",
            "CRC",
            "date_time",
            "compress_type",
            "compress_size",
            "file_size",
            "external_attr",
        ):
            assert new[name][key] == entry[key], (name, key)
    assert list(new)[: len(old)] == list(old)
    ws = openpyxl.load_workbook(path)[MATRIX]
    assert ws["H4"].value == "OK" and ws["I4"].value == 0.5
    assert calamine_value(path, MATRIX, "H4") == "OK"
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None


class _Unseekable(io.RawIOBase):
    """A write-only stream: zipfile then streams entries with data descriptors."""

    def __init__(self, sink: io.BytesIO) -> None:
        self.sink = sink

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        return self.sink.write(data)


def scenario_streamed(tmp_path: Path) -> tuple[Path, Path]:
    """A workbook whose entries carry data descriptors (as streaming zip writers make)."""
    plain = tmp_path / "plain.xlsx"
    wb = xlsxwriter.Workbook(str(plain))
    wb.add_worksheet("Ark1").write_column("A1", ["a", "b", "c"])
    wb.close()
    sink = io.BytesIO()
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(_Unseekable(sink), "w") as zout:
        for info in zin.infolist():
            with zout.open(info.filename, "w") as handle:
                handle.write(zin.read(info))
    source = tmp_path / "streamed.xlsx"
    source.write_bytes(sink.getvalue())
    out = tmp_path / "streamed-patched.xlsx"
    patch_workbook(source, cells={"Ark1": {"B2": "ny"}}, output=out)
    return source, out


def test_entries_with_data_descriptors_are_copied_verbatim(tmp_path: Path) -> None:
    source, out = scenario_streamed(tmp_path)
    assert all(i.flag_bits & 0x8 for i in zipfile.ZipFile(source).infolist())
    old_blob, new_blob = source.read_bytes(), out.read_bytes()
    old, new = zipfile.ZipFile(source), zipfile.ZipFile(out)
    central_start = struct.unpack_from("<I", old_blob, old_blob.rfind(b"PK\x05\x06") + 16)[0]
    for info in old.infolist():
        if info.filename == MATRIX_PART:
            continue
        after = new.getinfo(info.filename)
        later = [i.header_offset for i in old.infolist() if i.header_offset > info.header_offset]
        nxt = min([*later, central_start])
        region = old_blob[info.header_offset : nxt]  # header, data and descriptor
        assert new_blob[after.header_offset : after.header_offset + len(region)] == region
    assert new.getinfo(MATRIX_PART).flag_bits & 0x8 == 0
    assert calamine_rows(out, "Ark1") == [["a", ""], ["b", "ny"], ["c", ""]]


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice (soffice) is required: .ci/run installs libreoffice-calc"
    return found


def _soffice_convert(files: list[Path], target: str, out: Path, profile: Path) -> None:
    cmd = [
        _soffice(),
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        target,
        "--outdir",
        str(out),
        *map(str, files),
    ]
    subprocess.run(cmd, capture_output=True, timeout=240, check=False)


def test_workbooks_saved_by_libreoffice_and_openpyxl(allparts: Path, tmp_path: Path) -> None:
    """Other writers spell the same XML differently (true/false, attribute order, no spans)."""
    by_lo = tmp_path / "lo" / "plan.xlsx"
    _soffice_convert([allparts], "xlsx", by_lo.parent, tmp_path / "profile")
    by_openpyxl = tmp_path / "openpyxl.xlsx"
    openpyxl.load_workbook(allparts).save(by_openpyxl)
    patched = []
    for source in (by_lo, by_openpyxl):
        assert source.exists()
        out = source.with_name(source.stem + "-patched.xlsx")
        patch_workbook(
            source, cells={MATRIX: owned_columns()}, sheets={OVERVIEW: overview_sheet()}, output=out
        )
        changed = assert_untouched_identical(
            source,
            out,
            {
                MATRIX_PART,
                "xl/styles.xml",
                "xl/workbook.xml",
                "xl/_rels/workbook.xml.rels",
                "[Content_Types].xml",
            },
        )
        assert MATRIX_PART in changed
        ws = openpyxl.load_workbook(out)[MATRIX]
        assert ws["H4"].value == "Advarsel" and ws["K4"].value == dt.datetime(2026, 6, 30)
        assert ws["C4"].value.startswith("(1.1.1.)")
        assert calamine_value(out, MATRIX, "I5") == pytest.approx(0.61)
        assert calamine_rows(out, OVERVIEW)[3][0] == "Delmål 1.3"
        patched.append(out)
    _soffice_convert(patched, "pdf", tmp_path / "pdf", tmp_path / "profile")
    for out in patched:
        assert (tmp_path / "pdf" / (out.stem + ".pdf")).stat().st_size > 1000


# --------------------------------------------------------------------------- LibreOffice


def test_libreoffice_opens_every_written_file(
    allparts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    soffice = _soffice()
    files: list[Path] = []
    for i, make in enumerate(
        [
            lambda d: [scenario_full(allparts, d)[1]],
            lambda d: [scenario_zip64(allparts, d, monkeypatch)],
            lambda d: [scenario_calc_emptied(d)],
            lambda d: scenario_owned_cycle(allparts, d),
            lambda d: [scenario_pitfalls(d)],
            lambda d: [scenario_prefixed(d)],
            lambda d: [scenario_streamed(d)[1]],
            lambda d: [scenario_escapes(d)],
            lambda d: [scenario_long_text(d)[0]],
            lambda d: [scenario_1904(d)],
            lambda d: [scenario_dates(d)[0]],
        ]
    ):
        folder = tmp_path / f"s{i}"
        folder.mkdir()
        for made in make(folder):
            target = tmp_path / "all" / f"s{i}-{made.name}"
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(made, target)
            files.append(target)
    profile = (tmp_path / "lo-profile").as_uri()
    out = tmp_path / "pdf"
    csv = tmp_path / "csv"
    base = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore"]
    subprocess.run(
        [*base, "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
        capture_output=True,
        timeout=240,
        check=False,
    )
    for f in files:
        pdf = out / (f.stem + ".pdf")
        assert pdf.exists() and pdf.stat().st_size > 1000, f"LibreOffice could not open {f.name}"
    # LibreOffice also reads the new values: export every sheet of the main file as CSV
    main = files[0]
    subprocess.run(
        [
            *base,
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(csv),
            str(main),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    matrix_csv = (csv / f"{main.stem}-{MATRIX}.csv").read_text("utf-8")
    assert "Advarsel" in matrix_csv and "primo 2026" in matrix_csv
    overview_csv = (csv / f"{main.stem}-{OVERVIEW}.csv").read_text("utf-8")
    assert "Delmål 1.3" in overview_csv and "100%" in overview_csv
    measure_csv = (csv / f"{main.stem}-{MEASURE}.csv").read_text("utf-8")
    assert "=ikke en formel" in measure_csv
