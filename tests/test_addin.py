"""The xlwings add-in, tested on Linux without Excel through xlwings' own remote book.

Each test workbook is turned into the JSON payload the Office.js client would send
(tests/xlwings_payload.py), the scripts of `workbook/lite/main.py` are called through
`xlwings.server.custom_scripts_call` exactly as xlwings Lite and xlwings Server call them,
and the reply's actions are checked: the same findings as `xlgoals check`, nothing written
outside the owned cells and sheets, and a second run replacing the first.
"""

from __future__ import annotations

import os

# xlwings reads these when it is imported: the remote engine, under its noncommercial licence.
os.environ.setdefault("XLWINGS_ON_SERVER", "true")
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import ast
import asyncio
import contextlib
import datetime as dt
import io
import json
import re
import runpy
import shutil
import subprocess
import sys
import types
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
import xlwings as xw
from xlwings.server import custom_scripts_call, custom_scripts_meta

from tests.xlwings_payload import APPLIED_FUNCS, apply_actions, payload_from_xlsx
from xlgoals import addin, desktop, lite
from xlgoals.cli import main as cli_main
from xlgoals.grid import column_index, parse_a1
from xlgoals.owned import flag_value, owned_column_key, owned_columns, owned_sheet_name

ROOT = Path(__file__).resolve().parents[1]
MAIN_PY = ROOT / "workbook" / "lite" / "main.py"
TODAY = dt.date.today()
HEADERS_DA = [
    "Politisk mål",
    "Delmål",
    "Handlemål\n(det betyder, at…)",
    "Succeskriterier\n(målet er nået, når…)",
    "Evaluering\n(målemetode)",
    "Tids- og handleplan\n(hvad skal ske? – hvornår?)",
    "Tovholder/\nansvarlig",
]
HEADERS_EN = [
    "Political goal",
    "Sub-goal",
    "Action goal",
    "Success criteria",
    "Evaluation",
    "Time and action plan",
    "Owner",
]
GOOD = [
    "(1.1.1.) der arbejdes for at sikre et bredt ejerskab til indsatsen",
    "der ved udgangen af 2027 er mindst 80 % af medlemmerne, der mener, at samarbejdet er godt",
    "Spørgeskema til medlemmerne",
    "• Primo 2027: kick-off for alle ledere\n• Ultimo 2027: evaluering",
    "Forankret i chefgruppen – Claus Herbert er ansvarlig",
]
NO_CRITERIA = [
    "(1.1.2.) der skabes bedre overgange mellem dagtilbud og skole",
    "",
    "Interview med lederne",
    "løbende",
    "Chefgruppen",
]
VAGUE = [
    "(1.2.1.) flere elever trives",
    "flere elever trives bedre",
    "",
    "Uge 10 2025: møde med skolebestyrelserne",
    "Skoleafdelingen – Mette Hansen er tovholder",
]


# --------------------------------------------------------------------------- workbooks


def build_matrix(
    path: Path,
    groups: list[tuple[str, list[list[str]]]],
    *,
    sheet: str = "Målmatrix",
    owned: bool = True,
    english: bool = False,
    user_notes: dict[str, str] | None = None,
    survey: list[list[Any]] | None = None,
) -> Path:
    """A goal matrix like the template: headers on row 4, sub-goal heading rows, C–G."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet(sheet)
    fill = book.add_format({"bg_color": "#FFFF00", "bold": True})
    ws.write(0, 0, "Political goal 1: Better schools" if english else "Politisk mål 1: Bedre skole")
    for col, text in enumerate(HEADERS_EN if english else HEADERS_DA):
        ws.write(3, col, text)
    if owned:
        for offset, column in enumerate(owned_columns()):
            ws.write(3, 7 + offset, column.header("en" if english else "da"))
    row = 4
    for heading, goals in groups:
        ws.merge_range(row, 0, row, 6, heading)
        row += 1
        for goal in goals:
            for offset, text in enumerate(goal):
                if text:
                    ws.write_string(row, 2 + offset, text, fill if offset == 0 else None)
            row += 1
    for address, text in (user_notes or {}).items():
        ws.write_comment(address, text, {"author": "Leder"})
    if survey is not None:
        data = book.add_worksheet(owned_sheet_name("survey"))
        for r, values in enumerate(survey):
            for c, value in enumerate(values):
                data.write(r, c, value)
    book.close()
    return path


def standard_groups() -> list[tuple[str, list[list[str]]]]:
    return [
        ("Delmål 1.1. Derfor vil vi styrke samarbejdet", [GOOD, NO_CRITERIA]),
        ("Delmål 1.2. Derfor vil vi styrke trivslen", [VAGUE]),
    ]


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every test workbook: the committed example and template, and built variants."""
    folder = tmp_path_factory.mktemp("workbooks")
    groups = standard_groups()
    return {
        "example": ROOT / "workbook" / "eksempel.xlsx",
        "template": ROOT / "workbook" / "skabelon.xlsx",
        "desktop_example": ROOT / "workbook" / "eksempel.xlsm",
        "problems": build_matrix(folder / "problems.xlsx", groups),
        "user_note": build_matrix(
            folder / "user_note.xlsx", groups, user_notes={"D7": "Min egen note", "C6": "Husk"}
        ),
        "no_owned_columns": build_matrix(folder / "no_owned.xlsx", groups, owned=False),
        "english": build_matrix(
            folder / "english.xlsx",
            [("Sub-goal 1.1. Therefore we will work together", [GOOD, NO_CRITERIA])],
            sheet="Goal matrix",
            english=True,
        ),
        "survey": build_matrix(
            folder / "survey.xlsx",
            groups,
            survey=[
                ["Navn", "E-mail", "Jeg oplever et godt samarbejde"],
                ["Anna Jensen", "anna@example.dk", "I høj grad"],
                ["Bo Nielsen", "bo@example.dk", "I nogen grad"],
            ],
        ),
    }


# --------------------------------------------------------------------------- harness


def lite_main() -> types.ModuleType:
    """`workbook/lite/main.py` as xlwings Lite loads it: one star import."""
    module = types.ModuleType("main")
    module.__dict__.update(runpy.run_path(str(MAIN_PY)))
    return module


def run_script(path: Path, script: str, **payload_options: Any) -> list[dict[str, Any]]:
    """Call a script like xlwings Lite/Server: payload → remote book → custom_scripts_call."""
    book = xw.Book(json=payload_from_xlsx(path, **payload_options))
    with contextlib.redirect_stdout(io.StringIO()):
        result = asyncio.run(
            custom_scripts_call(lite_main(), script, typehint_to_value={xw.Book: book})
        )
    return result.json()["actions"]


def cli_findings(path: Path, lang: str = "da") -> list[dict[str, Any]]:
    """`xlgoals check --format json` on the same file and the same day."""
    out = io.StringIO()
    args = ["check", str(path), "--format", "json", "--today", TODAY.isoformat(), "--lang", lang]
    with contextlib.redirect_stdout(out):
        cli_main(args)
    return json.loads(out.getvalue())["files"][0]["findings"]


def sheet_positions(path: Path, actions: list[dict[str, Any]]) -> list[str]:
    """Sheet names by position after the actions' addSheet calls."""
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    for action in actions:
        if action["func"] == "addSheet":
            names.insert(action["args"][0], action["args"][1])
    return names


def owned_sheet_rows(
    path: Path, actions: list[dict[str, Any]], key: str, lang: str = "da"
) -> list[list[Any]]:
    """The rows an owned sheet gets (values as sent, A1-anchored)."""
    names = sheet_positions(path, actions)
    position = names.index(owned_sheet_name(key, lang))
    for action in actions:
        if (
            action["func"] == "setValues"
            and action["sheet_position"] == position
            and (action["start_row"], action["start_column"]) == (0, 0)
        ):
            return action["values"]
    raise AssertionError(f"no rows written to {owned_sheet_name(key, lang)}")


def findings_in_sheet(rows: list[list[Any]]) -> set[tuple[str, str, str, str]]:
    """(rule, sheet, cell, message) of every row of the findings sheet."""
    return {(r[1], r[2], r[3], r[5].lstrip("'")) for r in rows[1:]}


def matrix_owned_columns(path: Path, sheet: str) -> dict[int, tuple[int, str]]:
    """0-based column → (0-based header row, key) of the owned columns in a saved workbook."""
    ws = openpyxl.load_workbook(path)[sheet]
    found: dict[int, tuple[int, str]] = {}
    for row in ws.iter_rows(min_row=1, max_row=30):
        for cell in row:
            key = owned_column_key(cell.value)
            if key is not None:
                found.setdefault(cell.column - 1, (cell.row - 1, key))
    return found


def run_and_apply(source: Path, target: Path, script: str) -> list[dict[str, Any]]:
    actions = run_script(source, script)
    apply_actions(source, actions, target)
    return actions


def snapshot(path: Path) -> dict[str, Any]:
    """Every sheet's values and notes, to compare two runs."""
    book = openpyxl.load_workbook(path)
    return {
        ws.title: {
            "values": [[c.value for c in row] for row in ws.iter_rows()],
            "notes": {
                c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if c.comment
            },
        }
        for ws in book.worksheets
    }


# --------------------------------------------------------------------------- the scripts


def test_main_py_is_one_star_import_and_lists_both_scripts() -> None:
    assert MAIN_PY.read_text("utf-8").splitlines()[0].startswith("from xlgoals.lite import *")
    meta = {entry["function_name"]: entry for entry in custom_scripts_meta(lite_main())}
    assert set(meta) == {"valider_plan", "opdater_maalopfyldelse"}
    assert meta["valider_plan"]["name"] == "Valider plan"
    assert meta["opdater_maalopfyldelse"]["name"] == "Opdater målopfyldelse"
    assert meta["valider_plan"]["button"] == lite.VALIDATE_BUTTON
    assert meta["opdater_maalopfyldelse"]["button"] == lite.REFRESH_BUTTON


def test_buttons_match_the_template_hyperlinks() -> None:
    """The template's shapes link to exactly the cells the scripts are bound to."""
    from xlgoals.template import button_cells

    cells = button_cells()
    assert f"{lite.MATRIX_SHEET}!{cells['validate']}" == lite.VALIDATE_BUTTON
    assert f"{lite.MATRIX_SHEET}!{cells['refresh']}" == lite.REFRESH_BUTTON
    for name in ("skabelon.xlsx", "eksempel.xlsx"):
        with zipfile.ZipFile(ROOT / "workbook" / name) as archive:
            rels = [n for n in archive.namelist() if n.startswith("xl/drawings/_rels/")]
            targets = b"".join(archive.read(n) for n in rels).decode("utf-8")
        for button in (lite.VALIDATE_BUTTON, lite.REFRESH_BUTTON):
            sheet, cell = button.split("!")
            assert f"#'{sheet}'!{cell}" in targets, (name, button)


@pytest.mark.parametrize(
    "name",
    [
        "example",
        "template",
        "desktop_example",
        "problems",
        "user_note",
        "no_owned_columns",
        "english",
    ],
)
def test_validate_shows_the_same_findings_as_check(
    name: str, workbooks: dict[str, Path], tmp_path: Path
) -> None:
    path = workbooks[name]
    lang = "en" if name == "english" else "da"  # the add-in speaks the workbook's language
    expected = cli_findings(path, lang)
    actions = run_script(path, "valider_plan")
    rows = owned_sheet_rows(path, actions, "findings", lang)
    assert findings_in_sheet(rows) == {
        (f["rule"], f["sheet"] or "", f["cell"] or "", f["message"]) for f in expected
    }
    assert len(rows) - 1 == len(expected)

    # Cell for cell: each finding on a matrix field (C–G) is flagged in its row's flag column.
    after = tmp_path / "after.xlsx"
    apply_actions(path, actions, after)
    book = openpyxl.load_workbook(after)
    worst: dict[tuple[str, str], str] = {}
    rank = {"info": 0, "warning": 1, "error": 2}
    for finding in expected:
        key = (finding["sheet"], finding["cell"])
        if finding["cell"] and rank[finding["severity"]] > rank.get(worst.get(key, ""), -1):
            worst[key] = finding["severity"]
    flag_keys = {"C": "flag_action", "D": "flag_criteria", "E": "flag_evaluation"}
    flag_keys |= {"F": "flag_timeplan", "G": "flag_owner"}
    checked = 0
    for (sheet, cell), severity in worst.items():
        letters = "".join(ch for ch in cell if ch.isalpha())
        if letters not in flag_keys:
            continue
        columns = {key: col for col, (_, key) in matrix_owned_columns(after, sheet).items()}
        row = int("".join(ch for ch in cell if ch.isdigit()))
        flag = book[sheet].cell(row, columns[flag_keys[letters]] + 1).value
        assert flag == flag_value(severity, lang), (sheet, cell)
        checked += 1
    if name in ("problems", "user_note", "no_owned_columns"):
        assert checked >= 3  # the built problems do land on C–G cells


@pytest.mark.parametrize("name", ["problems", "user_note", "no_owned_columns", "english", "survey"])
@pytest.mark.parametrize("script", ["valider_plan", "opdater_maalopfyldelse"])
def test_no_action_touches_a_user_cell(
    name: str, script: str, workbooks: dict[str, Path], tmp_path: Path
) -> None:
    """Writes land only in owned columns (below their header) and owned sheets; no formats;
    notes only on cells without the user's note."""
    path = workbooks[name]
    actions = run_script(path, script)
    after = tmp_path / "after.xlsx"
    apply_actions(path, actions, after)  # fails on any action beyond values, sheets, notes
    names = sheet_positions(path, actions)
    original = openpyxl.load_workbook(path)
    user_noted = {
        (ws.title, c.coordinate)
        for ws in original.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.comment
    }
    for action in actions:
        assert action["func"] in APPLIED_FUNCS
        if action["func"] in ("addSheet", "activateSheet"):
            continue
        sheet = names[action["sheet_position"]]
        if addin.is_owned_sheet(sheet):
            assert sheet != owned_sheet_name("survey"), "the pasted survey is never written"
            continue
        if action["func"] in ("addNote", "setNoteText", "deleteNote"):
            cell = action["args"][0].replace("$", "")
            assert (sheet, cell) not in user_noted, action
            continue
        owned = matrix_owned_columns(after, sheet)
        for col in range(action["start_column"], action["start_column"] + action["column_count"]):
            assert col in owned, (sheet, action)
            header_row = owned[col][0]
            assert action["start_row"] >= header_row, (sheet, action)
    # The user's cells C–G keep their values.
    for ws in original.worksheets:
        for row in ws.iter_rows(min_col=1, max_col=7):
            for cell in row:
                assert openpyxl.load_workbook(after)[ws.title][cell.coordinate].value == cell.value


def test_user_note_is_left_alone_and_findings_still_listed(
    workbooks: dict[str, Path], tmp_path: Path
) -> None:
    path = workbooks["user_note"]
    actions = run_script(path, "valider_plan")
    note_cells = {a["args"][0] for a in actions if a["func"].endswith("Note")}
    assert "$D7" not in note_cells and "$D$7" not in note_cells
    rows = owned_sheet_rows(path, actions, "findings")
    assert any(r[3] == "D7" for r in rows[1:]), "the finding on D7 is still listed"
    tracked = owned_sheet_rows(path, actions, "notes")
    assert ["Målmatrix", "D7"] not in tracked[2:]
    assert tracked[2:], "xlgoals' own notes are tracked"


@pytest.mark.parametrize("script", ["valider_plan", "opdater_maalopfyldelse"])
def test_second_run_replaces_the_first(
    script: str, workbooks: dict[str, Path], tmp_path: Path
) -> None:
    path = workbooks["problems"]
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    run_and_apply(path, first, script)
    run_and_apply(first, second, script)
    assert snapshot(second) == snapshot(first)
    book = openpyxl.load_workbook(second)
    assert book.sheetnames.count(owned_sheet_name("findings")) == 1


def test_fixed_problem_disappears_on_the_next_run(
    workbooks: dict[str, Path], tmp_path: Path
) -> None:
    """Fixing a cell clears its flag, its note and its row in the findings sheet."""
    path = workbooks["problems"]
    first, fixed, second = tmp_path / "first.xlsx", tmp_path / "fixed.xlsx", tmp_path / "2.xlsx"
    run_and_apply(path, first, "valider_plan")
    before = openpyxl.load_workbook(first)
    assert before["Målmatrix"]["D7"].comment is not None  # empty criterion noted
    before["Målmatrix"]["D7"] = "der ved udgangen af 2027 har 90 % af børnene en god overgang"
    before.save(fixed)
    run_and_apply(fixed, second, "valider_plan")
    after = openpyxl.load_workbook(second)
    assert after["Målmatrix"]["D7"].comment is None
    columns = {key: col for col, (_, key) in matrix_owned_columns(second, "Målmatrix").items()}
    assert after["Målmatrix"].cell(7, columns["flag_criteria"] + 1).value is None
    findings = after[owned_sheet_name("findings")]
    rows = [[c.value for c in row] for row in findings.iter_rows()]
    listed = [r for r in rows[1:] if any(v is not None for v in r)]
    assert not any(r[3] == "D7" and r[1] == "CP002" for r in listed)
    assert len(listed) == len(cli_findings(fixed))  # no stale rows left below


def test_desktop_entry_points_use_the_caller(workbooks: dict[str, Path]) -> None:
    """`validate_plan_caller()` as RunPython calls it, with a mock caller (the remote book:
    desktop Excel's COM engine itself needs Windows or macOS with Excel)."""
    path = workbooks["problems"]
    expected = run_script(path, "valider_plan")
    book = xw.Book(json=payload_from_xlsx(path))
    book.set_mock_caller()
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            addin.validate_plan_caller()
    finally:
        del xw.Book._mock_caller
    assert book.json()["actions"] == expected
    book = xw.Book(json=payload_from_xlsx(path))
    book.set_mock_caller()
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            addin.refresh_attainment_caller()
    finally:
        del xw.Book._mock_caller
    assert book.json()["actions"] == run_script(path, "opdater_maalopfyldelse")


def test_refresh_warns_about_personal_data_in_the_pasted_survey(
    workbooks: dict[str, Path],
) -> None:
    path = workbooks["survey"]
    rows = owned_sheet_rows(path, run_script(path, "opdater_maalopfyldelse"), "findings")
    personal = [r for r in rows[1:] if r[1] == "SV001"]
    assert len(personal) == 1
    assert personal[0][2] == owned_sheet_name("survey")
    assert "Navn" in personal[0][5] and "E-mail" in personal[0][5]
    for value in ("Anna Jensen", "anna@example.dk", "Bo Nielsen"):
        assert value not in json.dumps(run_script(path, "opdater_maalopfyldelse"))
    # The same rule runs in "Valider plan" and in `xlgoals check`: the warning is the same.
    validate_rows = owned_sheet_rows(path, run_script(path, "valider_plan"), "findings")
    assert [r[1:] for r in validate_rows[1:] if r[1] == "SV001"] == [r[1:] for r in personal]


def test_refresh_creates_an_empty_survey_sheet_to_paste_into(workbooks: dict[str, Path]) -> None:
    path = workbooks["problems"]
    actions = run_script(path, "opdater_maalopfyldelse")
    names = sheet_positions(path, actions)
    position = names.index(owned_sheet_name("survey"))
    assert [a["func"] for a in actions if a["sheet_position"] == position] == []
    assert owned_sheet_name("survey") not in sheet_positions(path, run_script(path, "valider_plan"))


def build_merged(path: Path) -> Path:
    """Action goal 1.1.1 merged over two rows, its time plan written in two cells."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Målmatrix")
    for col, text in enumerate(HEADERS_DA):
        ws.write(3, col, text)
    ws.merge_range(4, 0, 4, 6, "Delmål 1.1. Derfor vil vi styrke samarbejdet")
    for col in (2, 3, 4, 6):
        ws.merge_range(5, col, 6, col, GOOD[col - 2])
    ws.write(5, 5, "• Primo 2027: kick-off for alle ledere")
    ws.write(6, 5, "• Ultimo 2027: evaluering")
    ws.write_row(7, 2, NO_CRITERIA)
    book.close()
    return path


class _JsProxy:
    def __init__(self, value: Any) -> None:
        self.value = value

    def to_py(self) -> Any:
        return self.value


class FakeLiteClient:
    """The part of xlwings Lite's JavaScript client that on-demand reads use, answered
    from the workbook file (merged ranges only)."""

    def __init__(self, path: Path) -> None:
        self.book = openpyxl.load_workbook(path)
        self.calls: list[tuple[str, str]] = []

    async def getRangeData(self, sheet: str, address: str, keys: list[str]) -> _JsProxy:
        self.calls.append((sheet, address))
        cell = address.replace("$", "")
        area = None
        for merged in self.book[sheet].merged_cells.ranges:
            if cell in merged:
                area = "$" + merged.coord.replace(":", ":$")
                area = re.sub(r"([A-Z]+)(\d)", r"\1$\2", area)
        return _JsProxy({"merge_area": area})


def test_lite_asks_excel_for_merged_cells(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In xlwings Lite the scripts ask Excel, cell by cell, for the merges the JSON book
    lacks, so a matrix with merged action goals gives the same findings as the CLI."""
    path = build_merged(tmp_path / "merged.xlsx")
    expected = {(f["rule"], f["sheet"], f["cell"], f["message"]) for f in cli_findings(path)}
    server_rows = owned_sheet_rows(path, run_script(path, "valider_plan"), "findings")
    assert findings_in_sheet(server_rows) != expected  # xlwings Server cannot ask

    client = FakeLiteClient(path)
    pyodide = types.ModuleType("pyodide")
    ffi = types.ModuleType("pyodide.ffi")
    ffi.to_js = lambda value, **_: value  # type: ignore[attr-defined]
    ffi.JsNull = type("JsNull", (), {})  # type: ignore[attr-defined]
    pyodide.ffi = ffi  # type: ignore[attr-defined]
    js = types.ModuleType("js")
    js.xlwings = client  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pyodide", pyodide)
    monkeypatch.setitem(sys.modules, "pyodide.ffi", ffi)
    monkeypatch.setitem(sys.modules, "js", js)
    monkeypatch.setattr(sys, "platform", "emscripten")
    rows = owned_sheet_rows(path, run_script(path, "valider_plan"), "findings")
    assert findings_in_sheet(rows) == expected
    assert 0 < len(client.calls) <= 5  # only cells with an empty cell below are asked


def test_without_notes_support_no_notes_are_written(workbooks: dict[str, Path]) -> None:
    """An Excel without notes in its API (ExcelApi < 1.18): the findings sheet only."""
    path = workbooks["problems"]
    actions = run_script(path, "valider_plan", notes_supported=False)
    assert not [a for a in actions if "Note" in a["func"]]
    assert owned_sheet_name("notes") not in sheet_positions(path, actions)
    expected = cli_findings(path)
    assert len(owned_sheet_rows(path, actions, "findings")) == len(expected) + 1


def test_text_that_excel_would_reinterpret_is_written_as_text() -> None:
    assert addin.excel_value("=SUM(A1)") == "'=SUM(A1)"
    assert addin.excel_value("1.1.1") == "'1.1.1"
    assert addin.excel_value("+45 1234") == "'+45 1234"
    assert addin.excel_value("OK") == "OK"
    assert addin.excel_value(3.0) == 3.0


def test_rectangles_group_cells_into_few_writes() -> None:
    cells = {f"{col}{row}": f"{col}{row}" for row in range(5, 9) for col in "HIJ"}
    cells["L5"] = "x"
    blocks = list(addin.rectangles(cells))
    assert (4, column_index("H"), [[f"{c}{r}" for c in "HIJ"] for r in range(5, 9)]) in blocks
    assert (4, column_index("L"), [["x"]]) in blocks
    assert len(blocks) == 2
    covered = {
        (top + r, left + c)
        for top, left, block in blocks
        for r, row in enumerate(block)
        for c, _ in enumerate(row)
    }
    assert covered == {parse_a1(a) for a in cells}


# --------------------------------------------------------------------------- Pyodide


ADDIN_PATH_FORBIDDEN = {
    "openpyxl",
    "python_calamine",
    "pandas",
    "xlsxwriter",
    "threading",
    "subprocess",
    "multiprocessing",
    "concurrent",
}


def test_addin_path_imports_nothing_pyodide_lacks(
    workbooks: dict[str, Path], tmp_path: Path
) -> None:
    """Run both scripts in a fresh interpreter from a JSON payload: calamine and openpyxl
    never get imported, and no xlgoals module on the path imports threads, processes or
    the file libraries (xlwings itself imports pandas and threading; Pyodide has both)."""
    payload = tmp_path / "payload.json"
    payload.write_text(json.dumps(payload_from_xlsx(workbooks["survey"])), "utf-8")
    code = f"""
import asyncio, json, runpy, sys, types
import xlwings as xw
from xlwings.server import custom_scripts_call
module = types.ModuleType("main")
module.__dict__.update(runpy.run_path({str(MAIN_PY)!r}))
for script in ("valider_plan", "opdater_maalopfyldelse"):
    book = xw.Book(json=json.load(open({str(payload)!r}, encoding="utf-8")))
    asyncio.run(custom_scripts_call(module, script, typehint_to_value={{xw.Book: book}}))
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in
      ("xlgoals", "openpyxl", "python_calamine", "xlsxwriter"))))
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    modules = json.loads(done.stdout.strip().splitlines()[-1])
    assert not [m for m in modules if not m.startswith("xlgoals")], modules
    assert "xlgoals.survey.tabulate" in modules  # the refresh path really ran
    for name in modules:
        spec_path = ROOT / (name.replace(".", "/") + ".py")
        if not spec_path.exists():
            spec_path = ROOT / name.replace(".", "/") / "__init__.py"
        tree = ast.parse(spec_path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported = [node.module]
            else:
                continue
            for module in imported:
                assert module.split(".")[0] not in ADDIN_PATH_FORBIDDEN, (name, module)


# --------------------------------------------------------------------------- desktop VBA


def test_vba_compression_round_trips_through_oletools() -> None:
    from oletools.olevba import decompress_stream

    samples = [b"", b"a", desktop.XLGOALS_MODULE.encode(), bytes(range(256)) * 40]
    samples.append(desktop._xlwings_file("xlwings.bas").read_bytes())
    for data in samples:
        packed = desktop.compress(data)
        assert desktop.decompress(packed) == data
        assert bytes(decompress_stream(bytearray(packed))) == data


def test_vba_project_is_read_by_olevba(tmp_path: Path) -> None:
    import olefile
    from oletools.olevba import VBA_Parser

    data = desktop.vba_project(["Sheet1", "Sheet2"])
    assert data == desktop.vba_project(["Sheet1", "Sheet2"]), "deterministic"
    ole = olefile.OleFileIO(io.BytesIO(data))
    project = ole.openstream("PROJECT").read().decode("cp1252")
    project_id = project.split('"')[1]
    fields = dict(line.split("=", 1) for line in project.splitlines() if line[:3] in ("CMG", "DPB"))
    assert desktop.decrypt(fields["CMG"].strip('"'), project_id) == b"\x00\x00\x00\x00"
    assert desktop.decrypt(fields["DPB"].strip('"'), project_id) == b"\x00"
    assert ole.openstream("VBA/_VBA_PROJECT").read() == b"\xcc\x61\xff\xff\x00\x00\x00"
    path = tmp_path / "vbaProject.bin"
    path.write_bytes(data)
    modules = {vba_name: code for _, _, vba_name, code in VBA_Parser(str(path)).extract_macros()}
    assert set(modules) == {
        "ThisWorkbook.cls",
        "Sheet1.cls",
        "Sheet2.cls",
        "xlwings.bas",
        "Dictionary.cls",
        "xlgoals.bas",
    }
    assert (
        'RunPython "import xlgoals.addin; xlgoals.addin.validate_plan_caller()"'
        in (modules["xlgoals.bas"])
    )
    assert "Public Function RunPython" in modules["xlwings.bas"]


def test_desktop_xlsm_has_buttons_bound_to_the_macros(tmp_path: Path) -> None:
    path = tmp_path / "desktop.xlsm"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Målmatrix")
    other = book.add_worksheet("Noter")
    desktop.add_desktop_macros(book, [sheet, other], sheet)
    book.close()
    with zipfile.ZipFile(path) as archive:
        vml = archive.read("xl/drawings/vmlDrawing1.vml").decode("utf-8")
        assert "vbaProject.bin" in " ".join(archive.namelist())
    assert "[0]!ValidatePlan" in vml and "[0]!RefreshAttainment" in vml
    assert "Valider plan" in vml and "Opdater målopfyldelse" in vml
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: cannot check it opens the file")
    out = tmp_path / "ods"
    profile = (tmp_path / "lo_profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless"]
    subprocess.run(
        [*command, "--convert-to", "ods", "--outdir", str(out), str(path)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    subprocess.run(
        [*command, "--convert-to", "pdf", "--outdir", str(out), str(path)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert (out / "desktop.pdf").read_bytes().startswith(b"%PDF")
    with zipfile.ZipFile(out / "desktop.ods") as archive:
        module = archive.read("Basic/VBAProject/xlgoals.xml").decode("utf-8")
        content = archive.read("content.xml").decode("utf-8")
    assert "Sub ValidatePlan()" in module and "Sub RefreshAttainment()" in module
    assert "VBAProject.xlgoals.ValidatePlan" in content
    assert "VBAProject.xlgoals.RefreshAttainment" in content


@pytest.mark.parametrize("name, example", [("skabelon.xlsm", False), ("eksempel.xlsm", True)])
def test_committed_desktop_workbooks_match_a_fresh_build(
    name: str, example: bool, tmp_path: Path
) -> None:
    """workbook/*.xlsm are what `xlgoals new FILE.xlsm` builds (the VBA project embeds
    the installed xlwings' VBA module, so its bytes follow the xlwings version)."""
    from oletools.olevba import VBA_Parser

    fresh = desktop.build_desktop_workbook(tmp_path / name, example=example)
    committed = ROOT / "workbook" / name
    with zipfile.ZipFile(fresh) as new, zipfile.ZipFile(committed) as old:
        assert new.namelist() == old.namelist()
        for part in new.namelist():
            if part != "xl/vbaProject.bin":
                assert new.read(part) == old.read(part), part

    def modules(path: Path) -> dict[str, str]:
        return {n: code for _, _, n, code in VBA_Parser(str(path)).extract_macros()}

    assert modules(fresh)["xlgoals.bas"] == modules(committed)["xlgoals.bas"]
    assert set(modules(fresh)) == set(modules(committed))


def test_wheel_is_pure_python_and_keeps_calamine_off_pyodide(tmp_path: Path) -> None:
    """xlwings Lite installs the wheel with micropip: it must be py3-none-any, and
    python-calamine (not in Pyodide, not pure Python) must be skipped under emscripten."""
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-q", "-w", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    (wheel,) = tmp_path.glob("xlgoals-*.whl")
    assert wheel.name.endswith("-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = next(archive.read(n) for n in names if n.endswith(".dist-info/METADATA"))
    assert "xlgoals/data/vba/Dictionary.cls" in names
    assert "xlgoals/lite.py" in names
    requires = [
        line for line in metadata.decode().splitlines() if line.startswith("Requires-Dist:")
    ]
    calamine = [line for line in requires if "python-calamine" in line]
    assert calamine and all("sys_platform != 'emscripten'" in line for line in calamine)


SERVER_CHECK = """
import json, sys
from fastapi.testclient import TestClient
from xlwings_server.config import settings
from xlwings_server.main import main_app

client = TestClient(main_app)
meta = client.get(f"{settings.app_path}/xlwings/custom-scripts-meta").json()
payload = json.load(open(sys.argv[1], encoding="utf-8"))
reply = client.post(f"{settings.app_path}/xlwings/custom-scripts-call/valider_plan", json=payload)
print(json.dumps({"status": reply.status_code, "meta": meta, "reply": reply.json()}))
"""


def test_xlwings_server_app_runs_the_scripts(workbooks: dict[str, Path], tmp_path: Path) -> None:
    """POST the payload to xlwings Server's own FastAPI app, whose `custom_scripts` package
    is the one line of workbook/lite/main.py (run in a fresh interpreter: the app imports
    `custom_scripts` from the project folder when it is first imported)."""
    from importlib.util import find_spec

    if find_spec("xlwings_server") is None or find_spec("fastapi") is None:
        pytest.skip("xlwings-server is not installed (pip install -e '.[test]' installs it)")
    project = tmp_path / "server"
    (project / "custom_scripts").mkdir(parents=True)
    (project / "custom_functions").mkdir()
    shutil.copy(MAIN_PY, project / "custom_scripts" / "__init__.py")
    (project / "custom_functions" / "__init__.py").write_text("", "utf-8")
    payload = tmp_path / "payload.json"
    payload.write_text(json.dumps(payload_from_xlsx(workbooks["problems"])), "utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(project), str(ROOT)])}
    done = subprocess.run(
        [sys.executable, "-c", SERVER_CHECK, str(payload)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["status"] == 200
    assert {m["function_name"] for m in result["meta"]} == {
        "valider_plan",
        "opdater_maalopfyldelse",
    }
    assert result["reply"]["actions"] == run_script(workbooks["problems"], "valider_plan")


class _FormattedRange:
    def __init__(self, number_format: str) -> None:
        self.number_format = number_format


class _DesktopSheet:
    """What `addin._percent_cells` asks of a desktop sheet: its name and number formats."""

    def __init__(self, name: str, formats: dict[tuple[int, int], str]) -> None:
        self.name = name
        self.formats = formats

    def range(self, cell: tuple[int, int]) -> _FormattedRange:
        return _FormattedRange(self.formats.get(cell, "General"))


def test_desktop_percentages_in_the_manual_value_column_are_found() -> None:
    """Desktop Excel tells number formats: "85 %" typed in the plan (0.85) is marked; the
    remote book (Lite, Server) cannot tell, and then nothing is marked."""
    from xlgoals.addin import _percent_cells

    rows = [
        ["Mål-nøgle", "Manuel værdi (udfyld)"],
        ["1.1.1#1", 0.85],
        ["1.1.2#1", 61.5],
        ["1.1.3#1", 0.9],
    ]
    formats = {(2, 2): "0%", (3, 2): "General", (4, 2): '0.0" %"'}  # the last % is only text
    sheet = _DesktopSheet("Måleplan (xlgoals)", formats)
    assert _percent_cells(sheet, rows) == {(1, 1)}  # type: ignore[arg-type]
    assert _percent_cells(_DesktopSheet("Målmatrix", {(2, 2): "0%"}), rows) == set()  # type: ignore[arg-type]
