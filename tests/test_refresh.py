"""`xlgoals refresh` end to end: nothing of the user's is lost, idempotent, LibreOffice opens it."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from allparts import MATRIX, build_allparts
from openpyxl import load_workbook

from xlgoals.cli import main
from xlgoals.reader import read_workbook

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "workbook" / "eksempel.xlsx"
SURVEY = REPO / "workbook" / "eksempel-spoergeskema.csv"
OWNED_SHEETS = {"Fund (xlgoals)", "Måleplan (xlgoals)", "Overblik (xlgoals)"}


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def user_cells(path: Path, owned_columns: set[str]) -> dict[tuple[str, str], tuple[object, ...]]:
    """Every non-owned cell's value and style, as openpyxl sees them."""
    book = load_workbook(path)
    cells = {}
    for sheet in book.worksheets:
        if sheet.title in OWNED_SHEETS:
            continue
        for row in sheet.iter_rows():
            for cell in row:
                letter = "".join(ch for ch in cell.coordinate if ch.isalpha())
                if sheet.title == MATRIX and letter in owned_columns:
                    continue
                value = cell.value
                if hasattr(value, "text"):  # an array formula: compare its text and range
                    value = (value.ref, value.text)
                cells[(sheet.title, cell.coordinate)] = (
                    value,
                    cell.font.b,
                    cell.font.color.rgb if cell.font.color else None,
                    cell.fill.fgColor.rgb,
                    cell.number_format,
                    cell.comment.text if cell.comment else None,
                )
    return cells


@pytest.fixture(scope="module")
def allparts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_allparts(tmp_path_factory.mktemp("allparts") / "allparts.xlsm")


def test_refresh_keeps_every_part_it_does_not_own(
    allparts: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.xlsm"
    shutil.copy(allparts, path)
    before = parts(path)
    owned_columns = set("HIJKL") | set("OPQRS")
    cells_before = user_cells(path, owned_columns)
    code, out, _ = run(["refresh", str(path), "--today", "2026-11-01"], capsys)
    assert code == 0, out
    after = parts(path)
    # The parts a refresh may change: the matrix sheet (owned columns), the workbook's sheet
    # list, its rels and content types (new owned sheets), styles (a date style), and the
    # new owned sheets with their drawing and chart.
    allowed = {
        "xl/worksheets/sheet1.xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "[Content_Types].xml",
        "xl/styles.xml",
    }
    changed = {name for name in before if before[name] != after.get(name)}
    assert changed <= allowed, changed - allowed
    assert (
        "xl/vbaProject.bin" in after and after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    )
    new = set(after) - set(before)
    assert all(n.startswith(("xl/worksheets/", "xl/drawings/", "xl/charts/")) for n in new), new
    assert list(after)[: len(before)] == [n for n in before if n in after]  # entry order kept
    assert user_cells(path, owned_columns) == cells_before
    # The owned columns went where the user's own columns M and N are not.
    grid = read_workbook(path).sheet(MATRIX)
    assert grid is not None
    header = [str(v or "") for v in grid.rows[0]]
    assert header[12] == "" and header[13] == ""  # M, N: the user's data, untouched
    assert header[14].startswith("Markering C")


def test_refresh_is_idempotent_and_readable_everywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "eksempel.xlsx"
    shutil.copy(EXAMPLE, path)
    args = [
        "refresh",
        str(path),
        "--survey",
        str(SURVEY),
        "--survey-date",
        "2015-12-01",
        "--today",
        "2016-01-15",
    ]
    assert run(args, capsys)[0] == 0
    once = path.read_bytes()
    code, out, _ = run(args, capsys)
    assert code == 0 and "(0 celler ændret)" in out
    assert path.read_bytes() == once
    book = load_workbook(path)
    matrix = book["Målmatrix"]
    assert matrix["H6"].value == "Advarsel"
    assert matrix["I6"].value.startswith("#1: 85 % (34 af 40), 01.12.2015")
    assert matrix["I7"].value.startswith("#1: 57,9 % (22 af 38)")
    assert matrix["J7"].value.startswith("ikke opfyldt")
    assert matrix["L6"].value.startswith("31.12.2015: Der tilrettelægges")
    plan_sheet = book["Måleplan (xlgoals)"]
    rows = [[c.value for c in row] for row in plan_sheet.iter_rows()]
    assert [r[0] for r in rows[1:]] == ["1.1.1#1", "1.1.1#2", "1.1.2#1", "1.1.2#2"]
    assert [r[13] for r in rows[1:]] == ["opfyldt", "undervejs", "ikke opfyldt", "ikke opfyldt"]
    calamine = read_workbook(path)
    overview = calamine.sheet("Overblik (xlgoals)")
    assert overview is not None and overview.rows[1][3] == "ikke opfyldt"
    with zipfile.ZipFile(path) as archive:
        assert any(n.startswith("xl/charts/chart") for n in archive.namelist())
    pdf = _libreoffice_pdf(path, tmp_path)
    assert pdf.stat().st_size > 1000


def test_leader_entries_in_the_measurement_plan_survive_and_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from xlgoals.xlsxpatch import patch_workbook

    path = tmp_path / "eksempel.xlsx"
    shutil.copy(EXAMPLE, path)
    assert run(["refresh", str(path), "--today", "2016-01-15"], capsys)[0] == 0
    # A leader types a value measured by hand for target 1.1.2#1 (row 4 of the plan).
    patch_workbook(
        path,
        sheets=None,
        cells={"Måleplan (xlgoals)": {"G4": 61.5, "H4": 52, "I4": "01.12.2015"}},
        owned_sheet_names=set(),
    )
    assert run(["refresh", str(path), "--today", "2016-01-15"], capsys)[0] == 0
    book = load_workbook(path)
    row = [c.value for c in book["Måleplan (xlgoals)"][4]]
    assert row[0] == "1.1.2#1" and row[6] == 61.5 and row[7] == 52 and row[8] == "01.12.2015"
    assert row[9] == "61,5 %" and row[13] == "opfyldt"
    assert book["Målmatrix"]["I7"].value.startswith("#1: 61,5 %, 01.12.2015")


def test_values_given_with_measurements_are_shown_where_attainment_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--measurements` replaces the run's own values: the result column, the measurement
    plan and the printed count show the values the attainment was computed from."""
    path = tmp_path / "eksempel.xlsx"
    shutil.copy(EXAMPLE, path)
    given = tmp_path / "given.json"
    given.write_text(
        json.dumps(
            {
                "1.1.1#1": [
                    {"numerator": 30, "denominator": 40, "date": "2015-06-01"},
                    {"numerator": 41, "denominator": 50, "date": "2015-11-30"},
                ]
            }
        ),
        "utf-8",
    )
    args = ["refresh", str(path), "--today", "2016-01-15", "--measurements", str(given)]
    code, out, _ = run(args, capsys)
    assert code == 0
    assert "1 af 4 mål har en måling" in out
    book = load_workbook(path)
    plan = {row[0].value: [c.value for c in row] for row in book["Måleplan (xlgoals)"].iter_rows()}
    assert plan["1.1.1#1"][9] == "82 % (41 af 50)"  # the latest of the two counts
    assert plan["1.1.1#1"][10:14] == [
        50,
        dt.datetime(2015, 11, 30),
        "givet med --measurements",
        "opfyldt",
    ]
    assert plan["1.1.2#1"][9] in (None, "")
    assert book["Målmatrix"]["I6"].value == "#1: 82 % (41 af 50), 30.11.2015"


def test_dry_run_and_output_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "eksempel.xlsx"
    shutil.copy(EXAMPLE, path)
    original = path.read_bytes()
    code, out, _ = run(["refresh", str(path), "--dry-run", "--today", "2016-01-15"], capsys)
    assert (
        code == 0
        and "Prøvekørsel" in out
        and "'Målmatrix'!H6" in out.replace("Målmatrix!H6", "'Målmatrix'!H6")
    )
    assert path.read_bytes() == original
    copy = tmp_path / "kopi.xlsx"
    assert (
        run(["refresh", str(path), "--output", str(copy), "--today", "2016-01-15"], capsys)[0] == 0
    )
    assert path.read_bytes() == original and copy.exists()


def test_open_in_excel_encrypted_and_corrupt_inputs_are_left_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.xlsx"
    shutil.copy(EXAMPLE, path)
    owner = tmp_path / "~$plan.xlsx"
    owner.write_bytes(bytes([5]) + b"Mette".ljust(53, b" ") + b"\x00" * 100)
    original = path.read_bytes()
    code, _, err = run(["refresh", str(path)], capsys)
    assert code == 2 and "Mette" in err and str(path) in err
    assert path.read_bytes() == original
    owner.unlink()

    from msoffcrypto.format.ooxml import OOXMLFile

    locked = tmp_path / "locked.xlsx"
    with EXAMPLE.open("rb") as plain, locked.open("wb") as out:
        OOXMLFile(plain).encrypt("hemmelig", out)
    before = locked.read_bytes()
    code, _, err = run(["refresh", str(locked)], capsys)
    assert code == 2 and "adgangskode" in err and locked.read_bytes() == before

    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(original[: len(original) // 2])
    before = broken.read_bytes()
    code, _, err = run(["refresh", str(broken)], capsys)
    assert code == 2 and "beskadiget" in err and broken.read_bytes() == before
    assert "Traceback" not in err


def _libreoffice_pdf(path: Path, folder: Path) -> Path:
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is required: .ci/run installs libreoffice-calc"
    out = folder / "pdf"
    out.mkdir(exist_ok=True)
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{folder}/lo-profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out / (path.stem + ".pdf")


def test_bad_entries_in_the_measurement_plan_are_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """AT010: a hand value that is not a number, a question the survey does not have."""
    from xlgoals.xlsxpatch import patch_workbook

    path = tmp_path / "eksempel.xlsx"
    shutil.copy(EXAMPLE, path)
    args = ["--survey", str(SURVEY), "--survey-date", "2015-12-01", "--today", "2016-01-15"]
    assert run(["refresh", str(path), *args], capsys)[0] == 0
    edits = {"G2": "ca. firs", "E5": "Findes ikke i skemaet"}
    patch_workbook(path, cells={"Måleplan (xlgoals)": edits}, owned_sheet_names=set())
    code, out, _ = run(
        ["check", str(path), "--format", "json", "--select", "AT010", *args[-2:]], capsys
    )
    assert code == 0
    found = [(f["sheet"], f["cell"], f["message"]) for f in json.loads(out)["files"][0]["findings"]]
    # check reads no survey file, so only the hand value is judged there …
    assert found == [
        (
            "Måleplan (xlgoals)",
            "A2",
            'Måleplanen, mål 1.1.1#1: "ca. firs" i kolonnen Manuel værdi er ikke et tal',
        )
    ]
    # … refresh with the survey also judges the question, and keeps both entries as typed.
    code, out, _ = run(["refresh", str(path), *args], capsys)
    assert code == 0
    book = load_workbook(path)
    rows = [[c.value for c in row] for row in book["Måleplan (xlgoals)"].iter_rows()]
    assert rows[1][6] == "ca. firs" and rows[4][4] == "Findes ikke i skemaet"
    findings = [[c.value for c in row] for row in book["Fund (xlgoals)"].iter_rows()]
    at010 = [r[5] for r in findings if r[1] == "AT010"]
    assert at010 == [
        'Måleplanen, mål 1.1.1#1: "ca. firs" i kolonnen Manuel værdi er ikke et tal',
        'Måleplanen, mål 1.1.2#2: spørgsmålet "Findes ikke i skemaet" findes ikke i spørgeskemadata',
    ]
    assert rows[4][9] is None  # no value measured for a question that is not there


def test_personal_data_pasted_into_the_survey_sheet_is_flagged_by_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """SV001 runs in `xlgoals check` too, naming the columns but never their contents."""
    from xlgoals.xlsxpatch import OwnedSheet, patch_workbook

    path = tmp_path / "eksempel.xlsx"
    shutil.copy(EXAMPLE, path)
    pasted = [
        ["Navn", "E-mail", "Børnepolitikkens værdier er forankret"],
        ["Anna Jensen", "anna@example.dk", "Enig"],
        ["Bo Nielsen", "bo@example.dk", "Uenig"],
    ]
    patch_workbook(path, sheets={"Spørgeskemadata": OwnedSheet(rows=pasted)})
    code, out, _ = run(["check", str(path), "--select", "SV", "--format", "json"], capsys)
    assert code == 0  # a warning: below the default --fail-on error
    findings = json.loads(out)["files"][0]["findings"]
    assert [(f["rule"], f["sheet"], f["cell"]) for f in findings] == [
        ("SV001", "Spørgeskemadata", "A1")
    ]
    assert "Navn" in findings[0]["message"] and "E-mail" in findings[0]["message"]
    for secret in ("Anna Jensen", "anna@example.dk", "Bo Nielsen"):
        assert secret not in out


@pytest.mark.parametrize(
    "number_format, shown, attainment",
    [
        ("0%", "85 %", "opfyldt"),  # Excel's own percentage format
        ("0.0%", "85 %", "opfyldt"),  # a custom one
        ('0.0" %"', "0,9 %", "ikke opfyldt"),  # a quoted % is text: the cell shows 0.9 %
        ("General", "0,9 %", "ikke opfyldt"),
    ],
)
def test_a_value_typed_as_a_percentage_in_the_measurement_plan_counts_as_such(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    number_format: str,
    shown: str,
    attainment: str,
) -> None:
    """Excel stores "85 %" typed into a cell as 0.85 with a percentage format; the plan
    means 85. A plain 0.85 without that format stays 0.85 (%)."""
    path = tmp_path / "eksempel.xlsx"
    shutil.copy(EXAMPLE, path)
    assert run(["refresh", str(path), "--today", "2016-01-15"], capsys)[0] == 0
    book = load_workbook(path)  # the test plays Excel: a leader types into G2
    sheet = book["Måleplan (xlgoals)"]
    assert sheet["A2"].value == "1.1.1#1" and sheet["G1"].value.startswith("Manuel værdi")
    sheet["G2"] = 0.85
    sheet["G2"].number_format = number_format
    sheet["I2"] = "01.12.2015"
    book.save(path)
    assert run(["refresh", str(path), "--today", "2016-01-15"], capsys)[0] == 0
    row = [c.value for c in load_workbook(path)["Måleplan (xlgoals)"][2]]
    assert row[6] == 0.85  # the leader's cell is written back as typed
    assert row[9] == shown and row[13] == attainment


def test_a_read_only_plan_is_not_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A rename in a writable folder could replace a read-only file; refresh refuses and
    says how to go on, and --output still writes a copy."""
    path = tmp_path / "eksempel.xlsx"
    shutil.copy(EXAMPLE, path)
    path.chmod(0o444)
    try:
        code, _, err = run(["refresh", str(path), "--today", "2016-01-15"], capsys)
        assert code == 2
        assert "filen er skrivebeskyttet" in err and str(path) in err
        assert path.read_bytes() == EXAMPLE.read_bytes()
        copy = tmp_path / "kopi.xlsx"
        args = ["refresh", str(path), "--today", "2016-01-15", "--output", str(copy)]
        assert run(args, capsys)[0] == 0
        assert copy.read_bytes() != EXAMPLE.read_bytes()
    finally:
        path.chmod(0o644)
