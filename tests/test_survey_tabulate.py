"""Core tabulation on plain worksheet rows (what an xlwings Lite user pastes)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from xlgoals.survey.tabulate import (
    LabelTables,
    Options,
    as_text_cell,
    cell_text,
    code_key,
    detect_tool,
    label_tables_from_rows,
    match_key,
    normalise_label,
    tabulate,
    tabulate_grid,
)


def test_core_imports_no_pandas_openpyxl_or_xlwings() -> None:
    code = (
        "import sys, xlgoals.survey, xlgoals.survey.tabulate, xlgoals.survey.shares;"
        "bad = [m for m in ('pandas', 'openpyxl', 'xlwings', 'python_calamine', 'numpy')"
        " if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_label_normalisation() -> None:
    assert normalise_label("Enig\u00a0") == "Enig"
    assert normalise_label("  Helt \t enig \n") == "Helt enig"
    assert normalise_label("A\u030arhus") == "Århus"  # NFC
    assert match_key("I HØJ GRAD") == match_key("i høj\u00a0grad")
    assert code_key("9.0") == code_key("9") == code_key(" 9 ") == "9"
    assert code_key("AO99") == "ao99"


def test_cells_from_a_worksheet() -> None:
    assert cell_text(None) == "" and cell_text(float("nan")) == ""
    assert cell_text(4.0) == "4" and cell_text(4.5) == "4.5" and cell_text(3) == "3"
    assert cell_text(True) == "TRUE"
    assert cell_text(dt.date(2026, 3, 1)) == "2026-03-01"


def test_as_text_cell() -> None:
    for risky in ("=1+2", "+45 12", "-3", "@SUM(A1)", "\tx", "\r=1"):
        assert as_text_cell(risky) == "'" + risky
    assert as_text_cell("Enig") == "Enig"
    assert as_text_cell(None) == ""
    assert as_text_cell(5.0) == "5"


def test_tool_signatures() -> None:
    assert detect_tool(["respondentid", "statoverall_1", "q1"])[0] == "surveyxact"
    assert detect_tool(["ID", "Start time", "Completion time", "Email", "Name", "Q"])[0] == "forms"
    assert detect_tool(["Id", "Starttidspunkt", "Fuldførelsestidspunkt", "Mail", "Navn"])[0] == (
        "forms"
    )
    assert detect_tool(["Timestamp", "Q"])[0] == "google"
    assert detect_tool(["Tidsstempel", "E-mailadresse", "Q"])[0] == "google"
    assert detect_tool(["id", "submitdate", "lastpage", "startlanguage", "Q"])[0] == "limesurvey"
    assert detect_tool(["StartDate", "EndDate", "Status", "ResponseId", "Q1"])[0] == "qualtrics"
    assert detect_tool(["Navn", "Spørgsmål"])[0] == "generic"


def test_codes_decoded_and_dont_know_coded_9() -> None:
    labels = label_tables_from_rows(
        [["q1", 1, "Ja"], ["q1", 2, "Nej"], ["q1", 9, "Ved ikke"]], "Labels"
    )
    survey = tabulate(
        ["q1", "x"], [[1.0, "a"], [2, "a"], [9, "a"], ["9", "a"], [None, "a"]], labels=labels
    )
    question = survey.question("q1")
    assert [(a.label, a.count) for a in question.answers] == [("Ja", 1), ("Nej", 1)]
    assert (question.dont_know, question.blank) == (2, 1)
    assert survey.detection.values == "codes"


def test_limesurvey_structure_rows() -> None:
    rows = [
        ["class", "type/scale", "name", "text", "language"],
        ["Q", "L", "G01Q01", "<b>Trives du?</b>", "da"],
        ["A", "0", "AO01", "Ja", "da"],
        ["A", "0", "AO99", "Ved ikke", "da"],
        ["A", "0", "AO01", "Yes", "en"],
    ]
    tables = label_tables_from_rows(rows)
    assert tables.texts["g01q01"] == "Trives du?"
    assert tables.values["g01q01"] == {"ao01": "Ja", "ao99": "Ved ikke"}


def test_non_responders_are_rows_but_not_counted() -> None:
    header = [
        "respondentid",
        "statoverall_1",
        "statoverall_2",
        "statoverall_3",
        "statoverall_4",
        "statoverall_5",
        "q1",
    ]
    rows = [
        [1, 0, 0, 0, 1, 0, "Ja"],
        [2, 0, 0, 1, 0, 0, "Nej"],
        [3, 0, 1, 0, 0, 0, None],
        [4, 1, 0, 0, 0, 0, None],
        [5, 0, 0, 0, 0, 1, None],
        [None, None, None, None, None, None, None],  # padding, not a respondent
    ]
    survey = tabulate(header, rows)
    assert survey.detection.respondents == {
        "completed": 1,
        "partial": 1,
        "not_responded": 1,
        "not_invited": 1,
        "excused": 1,
    }
    question = survey.question("q1")
    assert question.blank == 0 and sum(a.count for a in question.answers) == 2


def test_title_lines_and_qualtrics_rows_in_a_grid() -> None:
    rows = [
        ["Trivsel 2026", None, None],
        [None, None, None],
        ["StartDate", "ResponseId", "Q1"],
        ["Start Date", "Response ID", "Trives du?"],
        ['{"ImportId":"startDate"}', '{"ImportId":"_recordId"}', '{"ImportId":"QID1"}'],
        ["2026-03-01", "R_1", "Ja"],
        ["2026-03-01", "R_2", "Nej"],
    ]
    survey = tabulate_grid(rows)
    d = survey.detection
    assert (d.tool, d.title_lines, d.header_rows) == ("qualtrics", 2, 3)
    assert survey.question("Q1").text == "Trives du?"
    assert "ResponseId" in d.dropped_personal


def test_free_text_and_email_columns_are_dropped() -> None:
    header = ["Q", "Hvad synes du?", "Kontakt", "Antal år"]
    rows = [
        ["Ja", "Godt", "a@b.dk", "3"],
        ["Nej", "Skidt", "", "3"],
        ["Ja", "Fint nok", "", "5"],
        ["Ja", "Bedre end sidst", "", "10"],
    ]
    survey = tabulate(header, rows)
    kinds = survey.detection.personal_kinds
    assert kinds == {"Hvad synes du?": "free_text", "Kontakt": "email"}
    assert [q.id for q in survey.questions] == ["Q", "Antal år"]


def test_options_dont_know_configurable() -> None:
    rows = [["Ja"], ["Ikke relevant"], ["Nej"]]
    default = tabulate(["Q"], rows).question("Q")
    assert default.dont_know == 1
    custom = tabulate(["Q"], rows, options=Options(dont_know=["Ved ikke"])).question("Q")
    assert custom.dont_know == 0 and len(custom.answers) == 3


def test_label_tables_merge_and_bool() -> None:
    tables = LabelTables()
    assert not tables
    tables.add_value("Q1", "1", "Ja ")
    assert tables and tables.values == {"q1": {"1": "Ja"}}


def test_codes_missing_from_the_label_table_are_warned_about() -> None:
    labels = label_tables_from_rows([["q1", 1, "Ja"], ["q1", 2, "Nej"]])
    survey = tabulate(["q1"], [[1], [2], [7], [7]], labels=labels)
    assert survey.detection.warnings == ["q1: 2 answers have a code missing from the label table"]
    assert {a.label: a.count for a in survey.question("q1").answers} == {
        "Ja": 1,
        "Nej": 1,
        "7": 2,
    }
