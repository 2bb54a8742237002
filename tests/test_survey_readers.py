"""Readers on synthetic exports of every tool: detection, counts, personal data dropped."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from tests import survey_exports as sx
from xlgoals.survey.readers import (
    SurveyReadError,
    decode_text,
    find_companions,
    read_survey,
    sniff_delimiter,
)
from xlgoals.survey.tabulate import as_text_cell, tabulate_grid

COMPLETED = {"completed"}
FULL_STATUS = {"completed": 12, "partial": 2, "not_responded": 3}

# export → (question ids q1..q3 (None: not in the export), counted statuses, respondents,
#           tool, personal columns that must be dropped)
CASES: dict[str, tuple] = {
    "surveyxact_xlsx": (
        ["q1", "q2", "q3"],
        sx.COUNTED,
        FULL_STATUS,
        "surveyxact",
        ["respondentid", "name", "email", "kommentar"],
    ),
    "surveyxact_csv": (
        ["q1", "q2", "q3"],
        sx.COUNTED,
        FULL_STATUS,
        "surveyxact",
        ["respondentid", "name", "email", "kommentar"],
    ),
    "forms_xlsx": (
        [sx.Q1, sx.Q2, sx.Q3],
        COMPLETED,
        {"completed": 12},
        "forms",
        ["ID", "Email", "Name", sx.Q4],
    ),
    "google_csv": (
        [sx.Q1, sx.Q2, sx.Q3],
        COMPLETED,
        {"completed": 12},
        "google",
        ["Email Address", sx.Q4],
    ),
    "limesurvey_csv": (
        ["G01Q01", "G01Q02", "G01Q03"],
        sx.COUNTED,
        FULL_STATUS,
        "limesurvey",
        ["id", "token", "seed", "ipaddr", "G01Q04"],
    ),
    "qualtrics_csv": (
        ["Q1", "Q2", "Q3"],
        sx.COUNTED,
        {"completed": 12, "partial": 2, "excluded": 1},
        "qualtrics",
        [
            "IPAddress",
            "ResponseId",
            "RecipientLastName",
            "RecipientFirstName",
            "RecipientEmail",
            "ExternalReference",
            "LocationLatitude",
            "LocationLongitude",
            "Q4_TEXT",
        ],
    ),
    "danish_cp1252": (
        [sx.Q1, sx.Q2, None],
        COMPLETED,
        {"completed": 12},
        "generic",
        ["Navn", "E-mail"],
    ),
    "danish_utf8_bom": (
        [sx.Q1, sx.Q2, None],
        COMPLETED,
        {"completed": 12},
        "generic",
        ["Navn", "E-mail"],
    ),
    "utf16le_tab": (
        [sx.Q1, sx.Q2, sx.Q3],
        COMPLETED,
        {"completed": 12},
        "generic",
        ["Navn", "E-mail"],
    ),
    "utf16be_tab": (
        [sx.Q1, sx.Q2, sx.Q3],
        COMPLETED,
        {"completed": 12},
        "generic",
        ["Navn", "E-mail"],
    ),
}


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return sx.all_exports(tmp_path_factory.mktemp("exports"))


@pytest.mark.parametrize("key", sorted(CASES))
def test_counts_match_the_respondents(exports: dict[str, Path], key: str) -> None:
    ids, statuses, respondents, tool, personal = CASES[key]
    survey = read_survey(exports[key])
    assert survey.detection.tool == tool
    assert survey.detection.respondents == respondents
    assert survey.detection.counted == sum(respondents[s] for s in statuses if s in respondents)
    for column in personal:
        assert column in survey.detection.dropped_personal
    for index, question_id in enumerate(ids):
        if question_id is None:
            continue
        question = survey.question(question_id)
        want = sx.expected(index + 1, statuses, sx.DONT_KNOW)
        got = {a.label: a.count for a in question.answers}
        assert got == want["answers"], (key, question_id)
        assert question.dont_know == want["dont_know"]
        assert question.blank == want["blank"]


@pytest.mark.parametrize("key", ["surveyxact_xlsx", "surveyxact_csv", "limesurvey_csv"])
def test_codes_are_decoded_with_their_label_tables(exports: dict[str, Path], key: str) -> None:
    survey = read_survey(exports[key])
    assert survey.detection.values == "codes"
    q1 = survey.questions[0]
    assert q1.text == sx.Q1  # question text from Variables / structure, HTML removed
    assert [a.label for a in q1.answers] == [
        "I meget høj grad",
        "I høj grad",
        "I nogen grad",
        "I mindre grad",
        "Slet ikke",
    ]
    assert q1.scale == "grad_da"
    # 9 (SurveyXact) and AO99 (LimeSurvey) decode to a don't-know label
    assert [a.label for a in q1.dont_know_answers] == ["Ved ikke"]


def test_qualtrics_header_rows_and_texts(exports: dict[str, Path]) -> None:
    survey = read_survey(exports["qualtrics_csv"])
    d = survey.detection
    assert (d.header_rows, d.title_lines, d.delimiter, d.encoding) == (3, 0, ",", "UTF-8 with BOM")
    assert survey.question("Q2").text == sx.Q2
    # the preview row's "Slet ikke" must not be counted
    assert {a.label: a.count for a in survey.question("Q1").answers}["Slet ikke"] == 1


def test_danish_excel_csv_details(exports: dict[str, Path]) -> None:
    for key, encoding in (("danish_cp1252", "Windows-1252"), ("danish_utf8_bom", "UTF-8 with BOM")):
        survey = read_survey(exports[key])
        d = survey.detection
        assert (d.delimiter, d.encoding, d.title_lines) == (";", encoding, 3)
        enig = [a for a in survey.question(sx.Q2).answers if a.label.casefold() == "enig"]
        assert len(enig) == 1 and enig[0].label == "Enig"  # 'Enig ', 'Enig\xa0', ' Enig'
        scores = {a.label: a.count for a in survey.question(sx.DK_SCORE).answers}
        assert scores == {
            "1,0": 1,
            "1,5": 1,
            "2,5": 1,
            "3,0": 3,
            "3,5": 1,
            "4,0": 1,
            "4,5": 3,
            "5,0": 1,
        }
        assert {a.label: a.count for a in survey.question(sx.DK_DEPT).answers} == {
            "Dagtilbud": 2,
            "Familie": 5,
            "Skole": 5,
        }


def test_formula_like_cells_stay_text(exports: dict[str, Path], tmp_path: Path) -> None:
    survey = read_survey(exports["danish_utf8_bom"])
    codes = {a.label: a.count for a in survey.question(sx.DK_CODE).answers}
    assert codes == {"=1+2": 4, "+45": 2, "-": 3, "@SUM(A1)": 2, "TAB": 1}
    # any writer using as_text_cell stores them as text, never as formulas
    import xlsxwriter

    path = tmp_path / "out.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Målinger")
    labels = [*codes, "\t=1+2", "almindelig tekst"]
    for row, label in enumerate(labels):
        sheet.write(row, 0, as_text_cell(label))  # write() turns '=…' into formulas
    book.close()
    read_back = openpyxl.load_workbook(path)["Målinger"]
    for row, label in enumerate(labels, start=1):
        cell = read_back.cell(row, 1)
        assert cell.data_type == "s", label
        assert not str(cell.value).startswith("=")
        assert str(cell.value).lstrip("'") == label


def test_multi_select_split_on_semicolon(exports: dict[str, Path]) -> None:
    survey = read_survey(exports["forms_xlsx"])
    question = survey.question(sx.FORMS_MULTI)
    assert question.multi
    options: dict[str, int] = {}
    for answer in sx.FORMS_MULTI_ANSWERS:
        for part in filter(None, answer.split(";")):
            options[part] = options.get(part, 0) + 1
    assert {a.label: a.count for a in question.answers} == options
    assert question.blank == sx.FORMS_MULTI_ANSWERS.count("")
    assert question.answered == len(sx.FORMS_MULTI_ANSWERS) - question.blank


def _worksheet_rows(path: Path) -> list[list[object]]:
    """The cells an xlwings Lite user would have after pasting the export into a sheet."""
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        sheet = book["Dataset"] if "Dataset" in book.sheetnames else book.worksheets[0]
        return [list(r) for r in sheet.iter_rows(values_only=True)]
    text, _ = decode_text(path.read_bytes())
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text)))


@pytest.mark.parametrize("key", sorted(CASES))
def test_core_path_gives_identical_counts(exports: dict[str, Path], key: str) -> None:
    path = exports[key]
    fast = read_survey(path)
    labels = find_companions(path, fast.detection.tool)
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        from xlgoals.survey.tabulate import label_tables_from_rows

        for name in ("Labels", "Variables"):
            if name in book.sheetnames:
                rows = [list(r) for r in book[name].iter_rows(values_only=True)]
                labels.merge(label_tables_from_rows(rows, name))
    core = tabulate_grid(_worksheet_rows(path), labels=labels)
    assert [q.model_dump() for q in core.questions] == [q.model_dump() for q in fast.questions]
    assert core.detection.respondents == fast.detection.respondents
    assert core.detection.dropped_personal == fast.detection.dropped_personal
    assert core.detection.header_rows == fast.detection.header_rows
    assert core.detection.title_lines == fast.detection.title_lines


def test_labels_option_and_bad_label_file(exports: dict[str, Path], tmp_path: Path) -> None:
    source = exports["limesurvey_csv"]
    lonely = tmp_path / "export.csv"
    lonely.write_bytes(source.read_bytes())
    undecoded = read_survey(lonely)
    assert undecoded.detection.values == "labels"
    assert {a.label for a in undecoded.question("G01Q01").answers} >= {"AO01", "AO02"}
    structure = source.parent / "limesurvey_survey_123456.txt"
    decoded = read_survey(lonely, labels=structure)
    assert decoded.detection.values == "codes"
    assert decoded.question("G01Q01").dont_know == 2
    empty = tmp_path / "empty-labels.csv"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(SurveyReadError, match=r"empty-labels\.csv"):
        read_survey(lonely, labels=empty)


def test_quoted_fields_with_separators_and_newlines(exports: dict[str, Path]) -> None:
    # Google's comment column holds ',' and line breaks; the rows must still line up.
    survey = read_survey(exports["google_csv"])
    assert survey.detection.respondents == {"completed": 12}
    assert sum(a.count for a in survey.question(sx.Q3).answers) == 11


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "legacy .xls"),
        (b"PK\x03\x04broken zip", "xlsx"),
        (bytes(range(256)) * 8, "binary data"),
        (
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            "Excel 2003 XML",
        ),
    ],
)
def test_bad_files_give_clear_messages(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "svar.xls"
    path.write_bytes(content)
    with pytest.raises(SurveyReadError) as info:
        read_survey(path)
    assert "svar.xls" in str(info.value) and message in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SurveyReadError, match=r"nope\.csv: file not found"):
        read_survey(tmp_path / "nope.csv")


def test_encodings_are_detected() -> None:
    text = "Navn;Spørgsmål\nÅse;Enig\n"
    assert decode_text(text.encode("utf-8")) == (text, "utf-8")
    assert decode_text(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8-sig")
    assert decode_text(text.encode("cp1252")) == (text, "cp1252")
    assert decode_text(b"\xff\xfe" + text.encode("utf-16-le")) == (text, "utf-16-le")
    assert decode_text(b"\xfe\xff" + text.encode("utf-16-be")) == (text, "utf-16-be")
    assert decode_text(text.encode("utf-16-le")) == (text, "utf-16-le")  # no BOM


def test_large_file_decoded_by_pandas_and_late_cp1252_byte(tmp_path: Path) -> None:
    # > 1 MB: only the start is decoded for detection, pandas decodes the rest; a cp1252
    # byte far into the file must switch the whole file to cp1252, not fail or garble.
    header = "Afdeling;Jeg er godt informeret om handleplanen\r\n"
    answers = ["Helt enig", "Enig", "Uenig", "Ved ikke"]
    body = [f"Afd{i % 7};{answers[i % 4]}\r\n" for i in range(80_000)]
    utf8 = tmp_path / "stor-utf8.csv"
    utf8.write_bytes((header + "".join(body) + "Skole;Enig\r\n").encode("utf-8"))
    late = tmp_path / "stor-cp1252.csv"
    late.write_bytes((header + "".join(body) + "Børnehave;Enig\r\n").encode("cp1252"))
    assert utf8.stat().st_size > 1_000_000
    for path, encoding, place in ((utf8, "UTF-8", "Skole"), (late, "Windows-1252", "Børnehave")):
        survey = read_survey(path)
        assert survey.detection.encoding == encoding
        question = survey.question("Jeg er godt informeret om handleplanen")
        assert {a.label: a.count for a in question.answers} == {
            "Helt enig": 20_000,
            "Enig": 20_001,
            "Uenig": 20_000,
        }
        assert question.dont_know == 20_000
        departments = {a.label: a.count for a in survey.question("Afdeling").answers}
        assert departments[place] == 1
        core = tabulate_grid(_worksheet_rows(path))
        assert [q.model_dump() for q in core.questions] == [
            q.model_dump() for q in survey.questions
        ]


LEGACY_XLS = Path(__file__).parent / "data" / "survey" / "forms-legacy.xls"


def test_legacy_xls_reads_like_the_xlsx(exports: dict[str, Path]) -> None:
    # forms-legacy.xls is sx.forms_xlsx() saved by LibreOffice as "MS Excel 97" (README)
    legacy = read_survey(LEGACY_XLS)
    modern = read_survey(exports["forms_xlsx"])
    assert legacy.detection.container == "xls"
    assert legacy.detection.tool == "forms"
    assert [q.model_dump() for q in legacy.questions] == [q.model_dump() for q in modern.questions]
    assert legacy.detection.dropped_personal == modern.detection.dropped_personal


def test_unterminated_quote_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "afbrudt.csv"
    path.write_text('Afdeling;Spørgsmål\nSkole;Enig\nSkole;"Enig\nFamilie;Uenig\n', "utf-8")
    with pytest.raises(SurveyReadError) as info:
        read_survey(path)
    assert str(info.value).startswith("afbrudt.csv: ")


def test_labels_from_a_workbook(tmp_path: Path) -> None:
    import xlsxwriter

    data = tmp_path / "data.csv"
    data.write_text("Afd;v1\nA;1\nB;2\nA;1\nB;1\nA;9\nB;2\n", encoding="utf-8")
    labels = tmp_path / "koder.xlsx"
    book = xlsxwriter.Workbook(labels)
    sheet = book.add_worksheet("Labels")
    for row, values in enumerate([["v1", 1, "Ja"], ["v1", 2, "Nej"], ["v1", 9, "Ved ikke"]]):
        sheet.write_row(row, 0, values)
    texts = book.add_worksheet("Variables")
    texts.write_row(0, 0, ["Variable", "Label"])
    texts.write_row(1, 0, ["v1", "Har du deltaget i et dialogmøde?"])
    book.close()
    survey = read_survey(data, labels=labels)
    question = survey.question("v1")
    assert question.text == "Har du deltaget i et dialogmøde?"
    assert {a.label: a.count for a in question.answers} == {"Ja": 3, "Nej": 2}
    assert question.dont_know == 1 and question.scale == "ja_nej_da"
    assert survey.detection.label_source == "koder.xlsx"


def test_unusable_companion_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    path = sx.surveyxact_csv_set(tmp_path)
    (tmp_path / "labels_1325978.csv").write_text("\n\n", encoding="utf-8")
    survey = read_survey(path)
    assert survey.detection.warnings == [
        "companion file not used: labels_1325978.csv: no labels or question texts found"
    ]
    assert survey.question("q1").text == sx.Q1  # structure file still used
    # without the label table the codes stay codes, 9 ("Ved ikke") included
    assert {a.label for a in survey.question("q1").answers} == {"1", "2", "3", "4", "5", "9"}
