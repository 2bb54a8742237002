"""Real-world export variants: the counts below are written by hand from the answer lists in
tests/survey_exports.py (variants section), not taken from the code's output."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from tests import survey_exports as sx
from xlgoals.survey.readers import read_survey
from xlgoals.survey.shares import measure

# export → {question id: (answers, dont_know, blank)}, respondents by status, tool,
#          columns that must be dropped as personal data, columns that must not be questions
VARIANTS: dict[str, dict[str, object]] = {
    "forms_danish": {
        "questions": {
            sx.FORMS_DA_Q: ({"Helt enig": 2, "Enig": 3, "Uenig": 1}, 1, 1),
            sx.FORMS_DA_MULTI: ({"Helt enig": 3, "Enig": 4, "Uenig": 2}, 1, 1),
        },
        "respondents": {"completed": 8},
        "tool": "forms",
        "personal": ["Id", "Mail", "Navn"],
        "not_questions": [
            "Starttidspunkt",
            "Fuldførelsestidspunkt",
            "Tidspunkt for seneste ændring",
        ],
    },
    "forms_quiz_english": {
        "questions": {
            # respondent 8 answered neither question: a row, but not a response
            sx.FORMS_QUIZ_Q: ({"Goal A": 4, "Goal B": 2, "Goal C": 1}, 0, 0),
            sx.FORMS_DA_Q: ({"Helt enig": 2, "Enig": 3, "Uenig": 1}, 1, 0),
        },
        "respondents": {"completed": 7, "not_responded": 1},
        "tool": "forms",
        "personal": ["ID", "Email", "Name"],
        "not_questions": [
            "Last modified time",
            "Total points",
            "Quiz feedback",
            f"Points - {sx.FORMS_QUIZ_Q}",
            f"Feedback - {sx.FORMS_QUIZ_Q}",
        ],
    },
    "google_danish": {
        "questions": {
            f"{sx.GOOGLE_GRID} [Samarbejde]": ({"Helt enig": 2, "Enig": 3, "Uenig": 1}, 1, 1),
            f"{sx.GOOGLE_GRID} [Information]": (
                {
                    "Helt enig": 1,
                    "Enig": 4,
                    "Hverken enig eller uenig": 1,
                    "Uenig": 1,
                    "Helt uenig": 1,
                },
                0,
                0,
            ),
            sx.GOOGLE_CHECKBOX: ({"Chefgruppe": 3, "Dialogmøder": 4, "Kompetenceteam": 4}, 0, 1),
            sx.GOOGLE_COMMA_SINGLE: ({"Ja": 4, "Ja, delvist": 2, "Nej": 2}, 0, 0),
        },
        "respondents": {"completed": 8},
        "tool": "google",
        "personal": ["Mailadresse"],
        "not_questions": ["Tidsstempel", "Score"],
    },
    "surveyxact_dataset": {
        "questions": {
            "s_1": (
                {"I meget høj grad": 2, "I høj grad": 3, "I nogen grad": 1, "I mindre grad": 1},
                1,
                0,
            ),
            "s_2_1": ({"Helt enig": 2, "Enig": 3, "Hverken enig eller uenig": 1}, 1, 1),
            "s_2_2": ({"Helt enig": 1, "Enig": 3, "Uenig": 1}, 1, 2),
        },
        "respondents": {"completed": 7, "partial": 1, "not_responded": 2},
        "tool": "surveyxact",
        "personal": ["respondentid", "email", "name", "s_3"],
        "not_questions": ["created", "closetime", "lastchanged", "background_afdeling"],
    },
    "limesurvey_full": {
        "questions": {
            sx.LSF_Q1: ({"I meget høj grad": 1, "I høj grad": 3, "I nogen grad": 1}, 1, 1),
            sx.LSF_Q2: ({"Helt enig": 1, "Enig": 3, "Uenig": 1}, 1, 1),
        },
        "respondents": {"completed": 6, "partial": 1, "not_responded": 1},
        "tool": "limesurvey",
        "personal": ["Response ID", "Seed", "Token", "IP address"],
        "not_questions": [
            "Date submitted",
            "Last page",
            "Start language",
            "Date started",
            "Date last action",
        ],
    },
    "limesurvey_array": {
        "questions": {
            "G01Q01[SQ001]": ({"Helt enig": 1, "Enig": 2, "Hverken enig eller uenig": 1}, 1, 1),
            "G01Q01[SQ002]": ({"Helt enig": 1, "Enig": 3, "Uenig": 1, "Helt uenig": 1}, 0, 0),
            "G01Q02": ({"Dialogmøder": 3, "Chefgruppe": 1, "Andet": 2}, 0, 0),
        },
        "respondents": {"completed": 6},
        "tool": "limesurvey",
        "personal": ["id", "token", "seed", "G01Q02[other]"],
        "not_questions": ["submitdate", "lastpage", "startlanguage"],
    },
    "qualtrics_numeric": {
        "questions": {
            "Q1_1": ({"1": 2, "2": 2, "3": 1, "4": 1}, 0, 0),
            "Q1_2": ({"1": 1, "2": 3, "3": 1}, 0, 1),
            "Q2": ({"1": 3, "2": 3, "3": 3}, 0, 1),
        },
        "respondents": {"completed": 5, "partial": 1, "excluded": 1},
        "tool": "qualtrics",
        "personal": ["IPAddress", "ResponseId", "RecipientEmail", "ExternalReference"],
        "not_questions": ["Q_RecaptchaScore", "Status", "Finished", "Progress"],
    },
    "danish_quirks_utf8": {
        "questions": {
            "Trivsel": ({"Helt enig": 2, "Enig": 3, "Uenig": 1}, 1, 1),
            "Trivsel (2)": (
                {"I meget høj grad": 1, "I høj grad": 3, "I nogen grad": 2, "Slet ikke": 1},
                1,
                0,
            ),
            "Afdeling": ({"Familie": 4, "Skole": 4}, 0, 0),
            "Timer pr. uge": ({"1.234,5": 2, "37,0": 3, "15,25": 2, "1.000": 1}, 0, 0),
        },
        "respondents": {"completed": 8},
        "tool": "generic",
        "personal": ["Navn", "Kommentar"],
        "not_questions": ["sep=;", "I alt"],
    },
    "multi_sheet": {
        "questions": {
            sx.MS_Q1: (
                {"I meget høj grad": 1, "I høj grad": 3, "I nogen grad": 1, "Slet ikke": 1},
                1,
                1,
            ),
            sx.MS_Q2: ({"Helt enig": 2, "Enig": 4, "Uenig": 1}, 0, 1),
            "Afdeling": ({"Familie": 4, "Skole": 4}, 0, 0),
        },
        "respondents": {"completed": 8},
        "tool": "generic",
        "personal": ["Navn", "E-mail"],
        "not_questions": ["Spørgsmål", "Andel positive"],
    },
}
VARIANTS["surveyxact_float_csv"] = VARIANTS["surveyxact_dataset"]
VARIANTS["surveyxact_labels"] = VARIANTS["surveyxact_dataset"]
VARIANTS["surveyxact_danish_csv"] = VARIANTS["surveyxact_dataset"]
VARIANTS["danish_quirks_cp1252"] = VARIANTS["danish_quirks_utf8"]


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return sx.variant_exports(tmp_path_factory.mktemp("variants"))


@pytest.mark.parametrize("key", sorted(VARIANTS))
def test_variant_counts(variants: dict[str, Path], key: str) -> None:
    case = VARIANTS[key]
    survey = read_survey(variants[key])
    d = survey.detection
    assert d.tool == case["tool"]
    assert d.respondents == case["respondents"]
    for column in case["personal"]:  # type: ignore[union-attr]
        assert column in d.dropped_personal, column
    ids = [q.id for q in survey.questions]
    for column in case["not_questions"]:  # type: ignore[union-attr]
        assert column not in ids, column
    expected = case["questions"]
    assert sorted(ids) == sorted(expected), ids  # type: ignore[arg-type]
    for qid, (answers, dont_know, blank) in expected.items():  # type: ignore[union-attr]
        question = survey.question(qid)
        assert {a.label: a.count for a in question.answers} == answers, qid
        assert (question.dont_know, question.blank) == (dont_know, blank), qid


def test_forms_multi_select_share(variants: dict[str, Path]) -> None:
    survey = read_survey(variants["forms_danish"])
    # rows with Helt enig or Enig among their choices: 1, 2, 4, 6, 8 of 6 valid rows
    result = measure(survey, sx.FORMS_DA_MULTI, None, threshold=1)
    assert (result.numerator, result.denominator) == (5, 6)


def test_surveyxact_shares_and_texts(variants: dict[str, Path]) -> None:
    for key in ("surveyxact_dataset", "surveyxact_float_csv", "surveyxact_danish_csv"):
        survey = read_survey(variants[key])
        assert survey.detection.values == "codes"
        assert survey.question("s_2_1").text == sx.SXV_TEXTS["s_2_1"]
        result = measure(survey, "s_1", None)
        assert result.share == Fraction(5, 7)
        assert result.share_incl_dont_know == Fraction(5, 8)


def test_limesurvey_array_texts(variants: dict[str, Path]) -> None:
    survey = read_survey(variants["limesurvey_array"])
    assert survey.detection.values == "codes"
    assert survey.question("G01Q01[SQ002]").text == "Hvor enig er du? [Information]"


def test_qualtrics_matrix_texts(variants: dict[str, Path]) -> None:
    survey = read_survey(variants["qualtrics_numeric"])
    assert survey.question("Q1_1").text == f"{sx.GOOGLE_GRID} - Samarbejde"
    assert survey.detection.header_rows == 3


def test_danish_quirks_detection(variants: dict[str, Path]) -> None:
    for key, encoding in (
        ("danish_quirks_utf8", "UTF-8 with BOM"),
        ("danish_quirks_cp1252", "Windows-1252"),
    ):
        d = read_survey(variants[key]).detection
        assert (d.delimiter, d.encoding) == (";", encoding)


def test_multi_sheet_picks_the_answers(variants: dict[str, Path]) -> None:
    survey = read_survey(variants["multi_sheet"])
    assert survey.detection.sheet == "Svar"
    assert survey.detection.title_lines == 2  # merged title and an empty row


def test_comma_split_only_for_repeated_capitalised_options() -> None:
    from xlgoals.survey.tabulate import comma_joined

    checkbox = {"Dialogmøder, Chefgruppe": 2, "Chefgruppe": 1, "Dialogmøder": 3}
    assert comma_joined(checkbox)
    assert not comma_joined({"Ja": 3, "Ja, delvist": 2, "Nej": 1})  # one option with a comma
    assert not comma_joined({"Godt, men for lange møder": 1, "Fint": 2})  # typed text
    assert not comma_joined({"Bedre ledelse, Mere tid": 1, "Fint": 2})  # parts seen once
    assert not comma_joined({"Helt enig": 2, "Enig, Uenig": 1})  # a scale is single-choice
    # Qualtrics joins recode values with ','; a typed Danish number is not a choice list
    assert comma_joined({"1,3": 2, "1,2,3": 1, "2": 1}, ",")
    assert not comma_joined({"37,5": 3, "37": 2, "5": 1, "4,5": 2}, ",")


def _pasted_rows(path: Path, sheet: str | None) -> list[list[object]]:
    """What an xlwings Lite user has after pasting the export (or its answer sheet)."""
    import csv
    import io

    import openpyxl

    from xlgoals.survey.readers import decode_text, sniff_delimiter

    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        return [list(r) for r in book[sheet or book.sheetnames[0]].iter_rows(values_only=True)]
    text, _ = decode_text(path.read_bytes())
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text)))


@pytest.mark.parametrize("key", sorted(VARIANTS))
def test_variant_core_path_gives_identical_counts(variants: dict[str, Path], key: str) -> None:
    from xlgoals.survey.readers import find_companions
    from xlgoals.survey.tabulate import label_tables_from_rows, tabulate_grid

    path = variants[key]
    fast = read_survey(path)
    labels = find_companions(path, fast.detection.tool)
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        for name in ("Labels", "Variables"):
            if name in book.sheetnames:
                rows = [list(r) for r in book[name].iter_rows(values_only=True)]
                labels.merge(label_tables_from_rows(rows, name))
    core = tabulate_grid(_pasted_rows(path, fast.detection.sheet), labels=labels)
    assert [q.model_dump() for q in core.questions] == [q.model_dump() for q in fast.questions]
    assert core.detection.respondents == fast.detection.respondents
    assert core.detection.dropped_personal == fast.detection.dropped_personal


def test_no_personal_data_from_any_variant(
    variants: dict[str, Path], caplog: pytest.LogCaptureFixture
) -> None:
    import argparse
    import io
    import logging

    from xlgoals.survey import cli

    caplog.set_level(logging.DEBUG)
    secrets = [*sx.V_NAMES, *sx.V_EMAILS, "10.1.2.", "172.16.0.", "MED-", "R_0", "tkanna"]
    secrets += [str(825478400 + i) for i in range(10)] + ["Hilsen", "Godt år"]
    outputs: list[tuple[str, str]] = []
    for key, path in variants.items():
        for fmt in ("text", "json"):
            args = argparse.Namespace(file=str(path), labels=None, format=fmt, lang="da")
            out, err = io.StringIO(), io.StringIO()
            assert cli.run(args, out, err) == 0, key
            outputs.append((f"{key} {fmt}", out.getvalue() + err.getvalue()))
        survey = read_survey(path)
        outputs.append((f"{key} model", survey.model_dump_json()))
    outputs.append(("logs", caplog.text))
    for where, text in outputs:
        for secret in secrets:
            assert secret.casefold() not in text.casefold(), f"{secret!r} leaked into {where}"


def test_surveyxact_label_export_is_not_reported_as_codes(variants: dict[str, Path]) -> None:
    survey = read_survey(variants["surveyxact_labels"])
    assert survey.detection.values == "labels"
    assert survey.detection.warnings == []
    codes = read_survey(variants["surveyxact_dataset"])
    # the same counts as the code export (only the question texts are missing: no Variables)
    assert [q.model_dump(exclude={"text"}) for q in survey.questions] == [
        q.model_dump(exclude={"text"}) for q in codes.questions
    ]


def test_sep_hint_line_names_the_delimiter(tmp_path: Path) -> None:
    # '|' is not among the sniffed delimiters: only the hint line can make this file readable
    path = tmp_path / "pipe.csv"
    rows = ["sep=|", "Afdeling|Jeg er godt informeret"]
    rows += [f"{d}|{a}" for d, a in zip("ABABABA", ["Enig", "Enig", "Uenig"] * 3, strict=False)]
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    survey = read_survey(path)
    assert survey.detection.delimiter == "|"
    answers = survey.question("Jeg er godt informeret").answers
    assert {a.label: a.count for a in answers} == {"Enig": 5, "Uenig": 2}
