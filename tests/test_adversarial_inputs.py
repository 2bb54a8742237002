"""Inputs a real municipality might hand `xlgoals`: each one must give a result or one clear
line naming the file (and sheet and cell), an exit code of 2, and never a crash."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from builders import HEADERS_DA, row_fields

from xlgoals.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def matrix_xlsx(path: Path, extra: dict[tuple[int, int], str] | None = None) -> Path:
    """A one-row matrix on 'Målmatrix' (xlsxwriter, so far-away cells cost nothing)."""
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Målmatrix")
    for col, header in enumerate(HEADERS_DA):
        sheet.write_string(0, 2 + col, header)
    sheet.write_string(1, 0, "Delmål 1.1 Trivsel")
    for col, text in enumerate(row_fields("(1.1.1.) Alle børn trives")):
        sheet.write_string(2, 2 + col, text)
    for (row, col), text in (extra or {}).items():
        sheet.write_string(row, col, text)
    book.close()
    return path


def prefix_namespace(path: Path) -> Path:
    """Rewrite the workbook and sheet parts as the .NET Open XML SDK writes them: <x:c …>."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    for name in ("xl/workbook.xml", "xl/worksheets/sheet1.xml"):
        text = parts[name].decode("utf-8").replace('xmlns="', 'xmlns:x="')
        parts[name] = re.sub(r"<(/?)([A-Za-z]+)(?=[\s/>])", r"<\1x:\2", text).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


@pytest.mark.parametrize("prefixed", [False, True])
def test_a_stray_far_cell_is_found_in_prefixed_xml_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], prefixed: bool
) -> None:
    path = matrix_xlsx(tmp_path / "sdk.xlsx", {(1048575, 16383): "slut"})
    if prefixed:
        prefix_namespace(path)
        assert b"<x:c " in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    code, out, _ = run(["check", str(path)], capsys)
    assert code == 2 and "XFD1048576" in out


def test_a_prefixed_workbook_reads_like_a_plain_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = prefix_namespace(matrix_xlsx(tmp_path / "sdk.xlsx"))
    code, out, _ = run(["check", str(path), "--format", "json", "--select", "MX"], capsys)
    assert code == 0 and '"id": "1.1.1"' in out


@pytest.mark.parametrize("command", ["check", "rollup", "refresh"])
@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_stray_cell_in_the_last_row_and_column_is_named_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, lang: str
) -> None:
    """A note typed in XFD1048576 made the reader allocate 17 billion cells and abort."""
    path = matrix_xlsx(tmp_path / "mål.xlsx", {(1048575, 16383): "slut"})
    before = path.read_bytes()
    code, out, err = run([command, str(path), "--lang", lang, "--today", "2025-06-01"], capsys)
    assert code == 2
    line = (out + err).strip().splitlines()[-1 if command != "check" else 1]
    assert str(path) in line and "Målmatrix" in line and "XFD1048576" in line
    assert ("celler" in line) if lang == "da" else ("cells" in line)
    assert path.read_bytes() == before


def test_a_formatted_but_empty_far_cell_still_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Formatting a whole column makes <dimension> say A1:XFD1048576; that alone is fine."""
    path = tmp_path / "formatteret.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Målmatrix")
    for col, header in enumerate(HEADERS_DA):
        sheet.write_string(0, 2 + col, header)
    sheet.write_string(1, 0, "Delmål 1.1 Trivsel")
    for col, text in enumerate(row_fields("(1.1.1.) Alle børn trives")):
        sheet.write_string(2, 2 + col, text)
    sheet.write_blank(1048575, 16383, None, book.add_format({"bold": True}))
    book.close()
    code, out, _ = run(["check", str(path), "--format", "json", "--select", "MX"], capsys)
    assert code == 0
    assert '"id": "1.1.1"' in out


def survey_csv(path: Path, rows: list[list[str]], encoding: str = "cp1252") -> Path:
    """A semicolon CSV as Danish Excel saves it (cp1252, CRLF, every field quoted)."""
    lines = [";".join('"' + cell.replace('"', '""') + '"' for cell in row) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


SATISFIED = "Målet er nået, når mindst 80 % er tilfredse med samarbejdet ved udgangen af 2025."


@pytest.mark.parametrize("command", ["rollup", "refresh"])
def test_a_matched_question_without_a_known_scale_is_a_finding_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """The best-matching question's answers ('Ofte', 'Sjældent' …) are no known scale."""
    book = xlsxwriter.Workbook(tmp_path / "plan.xlsx")
    sheet = book.add_worksheet("Målmatrix")
    for col, header in enumerate(HEADERS_DA):
        sheet.write_string(0, 2 + col, header)
    sheet.write_string(1, 0, "Delmål 1.1 Samarbejde")
    fields = row_fields("(1.1.1.) Godt samarbejde", criteria=SATISFIED)
    for col, text in enumerate(fields):
        sheet.write_string(2, 2 + col, text)
    book.close()
    answers = ["Ofte", "Sjældent", "Ofte", "Aldrig", "Ofte", "Sjældent"]
    survey = survey_csv(
        tmp_path / "svar.csv",
        [["Hvor tilfreds er du med samarbejdet?"], *([a] for a in answers)],
    )
    args = [command, str(tmp_path / "plan.xlsx"), "--survey", str(survey)]
    code, _out, err = run([*args, "--today", "2025-06-01", "--survey-date", "2025-05-01"], capsys)
    assert code == 0, err
    assert "Traceback" not in err
    if command == "refresh":
        from xlgoals.reader import read_workbook

        findings = read_workbook(tmp_path / "plan.xlsx").sheet("Fund (xlgoals)")
        assert findings is not None
        texts = [" ".join(str(v) for v in row if v) for row in findings.rows]
        assert any("AT010" in t and "positive svar" in t for t in texts), texts


def test_cpr_numbers_in_answers_or_headers_drop_the_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Repeated CPR numbers look like chosen answers; they were counted and printed."""
    rows = [
        ["Barnets cpr-nr. (ddmmåå-xxxx)", "Hvor tilfreds er du?", "Kontakt (0102031234)"],
        *(
            [cpr, answer, "Ja"]
            for cpr, answer in [
                ("0102031234", "Tilfreds"),
                ("0102031234", "Tilfreds"),
                ("111111-1118", "Utilfreds"),
                ("111111-1118", "Tilfreds"),
                ("0102031234", "Meget tilfreds"),
                ("111111-1118", "Tilfreds"),
            ]
        ),
    ]
    path = survey_csv(tmp_path / "svar.csv", rows)
    code, out, _ = run(["survey", str(path), "--format", "json"], capsys)
    assert code == 0
    assert "0102031234" not in out and "111111" not in out
    detected = json.loads(out)
    assert [q["text"] for q in detected["questions"]] == ["Hvor tilfreds er du?"]
    assert set(detected["detected"]["dropped_personal_columns"]) == {
        "Barnets cpr-nr. (ddmmåå-xxxx)",
        "Kontakt (xxxxxx-xxxx)",
    }


def test_refresh_through_a_symlink_updates_the_real_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A shortcut to the shared plan was replaced by a copy; the plan itself stayed old."""
    real = matrix_xlsx(tmp_path / "Fælles mål 2025.xlsx")
    link = tmp_path / "genvej.xlsx"
    link.symlink_to(real.name)
    code, _, err = run(["refresh", str(link), "--today", "2025-06-01"], capsys)
    assert code == 0, err
    assert link.is_symlink() and link.resolve() == real.resolve()
    from xlgoals.reader import read_workbook

    assert read_workbook(real).sheet("Fund (xlgoals)") is not None


@pytest.mark.parametrize("output", ["plan.csv", "plan.xlsm", "plan"])
def test_refresh_output_must_keep_the_workbook_type(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], output: str
) -> None:
    """An .xlsx written under .csv/.xlsm is a file Excel refuses to open."""
    source = matrix_xlsx(tmp_path / "plan.xlsx")
    target = tmp_path / "ud" / output
    target.parent.mkdir()
    args = ["refresh", str(source), "--output", str(target), "--today", "2025-06-01"]
    code, out, err = run([*args, "--lang", "en"], capsys)
    assert code == 2
    assert not target.exists()
    assert str(target) in err and ".xlsx" in err and out == ""


@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_formula_error_in_the_matrix_is_named_not_called_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    """VLOOKUP'ed criteria showing #N/A were reported as 'criteria missing' (CP002)."""
    path = tmp_path / "opslag.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Målmatrix")
    for col, header in enumerate(HEADERS_DA):
        sheet.write_string(0, 2 + col, header)
    sheet.write_string(1, 0, "Delmål 1.1 Trivsel")
    for col, text in enumerate(row_fields("(1.1.1.) Alle børn trives")):
        sheet.write_string(2, 2 + col, text)
    sheet.write_formula(2, 3, "=VLOOKUP(C3,Kriterier!A:B,2,FALSE)", None, "#N/A")
    sheet.write_formula(2, 6, "=1/0", None, "#DIV/0!")
    book.close()
    code, out, _ = run(["check", str(path), "--format", "json", "--lang", lang], capsys)
    findings = json.loads(out)["files"][0]["findings"]
    rules = {(f["rule"], f["cell"]) for f in findings}
    assert ("CP007", "D3") in rules and ("CP007", "G3") in rules
    assert not {("CP002", "D3"), ("CP005", "G3")} & rules
    # nothing else is read into the failing cells ('#DIV/0!' is no target ≥ 0 and no owner)
    assert {rule for rule, cell in rules if cell in ("D3", "G3")} == {"CP007"}
    text = next(f["message"] for f in findings if f["cell"] == "D3" and f["rule"] == "CP007")
    assert "#N/A" in text and ("formlen" in text if lang == "da" else "formula" in text)
    assert code == 1


def test_a_folder_of_mixed_files_counts_the_unreadable_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One good plan, an old .xls renamed .xlsx, an empty .XLSM and a CSV: the summary said
    '0 fejl' although two workbooks were never read."""
    folder = tmp_path / "Børn og unge"
    folder.mkdir()
    matrix_xlsx(folder / "Mål 2025.xlsx")
    (folder / "gammel.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    (folder / "TOM.XLSM").write_bytes(b"")
    (folder / "svar.csv").write_text("a;b\n1;2\n", "utf-8")
    code, out, _ = run(["check", str(folder)], capsys)
    assert code == 2
    assert "gammel.xlsx" in out and "TOM.XLSM" in out and "svar.csv" not in out
    assert out.strip().splitlines()[-1] == "2 projektmappe(r) kunne ikke læses"


@pytest.mark.parametrize("owned", ["Fund (xlgoals)", "Overblik (xlgoals)", "Måleplan (xlgoals)"])
def test_refresh_never_overwrites_a_users_sheet_with_an_owned_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], owned: str
) -> None:
    """A sheet the user made and named like xlgoals' own was silently replaced."""
    path = tmp_path / "plan.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Målmatrix")
    for col, header in enumerate(HEADERS_DA):
        sheet.write_string(0, 2 + col, header)
    sheet.write_string(1, 0, "Delmål 1.1 Trivsel")
    for col, text in enumerate(row_fields("(1.1.1.) Alle børn trives")):
        sheet.write_string(2, 2 + col, text)
    notes = book.add_worksheet(owned)
    notes.write_string(0, 0, "Mine noter fra mødet 3. marts")
    book.close()
    before = path.read_bytes()
    code, out, err = run(["refresh", str(path), "--today", "2025-06-01"], capsys)
    assert code == 2 and out == ""
    assert str(path) in err and owned in err and "omdøb" in err
    assert path.read_bytes() == before
    # a sheet xlgoals wrote itself is recognised and replaced as before
    path.unlink()
    matrix_xlsx(path)
    assert run(["refresh", str(path), "--today", "2025-06-01"], capsys)[0] == 0
    assert run(["refresh", str(path), "--today", "2025-06-02"], capsys)[0] == 0
