"""Shares: exact fractions, don't-know out of the denominator, anonymity, suggestions."""

from __future__ import annotations

from fractions import Fraction

import pytest

from xlgoals.model import Comparator, Target
from xlgoals.survey.model import SurveyData
from xlgoals.survey.shares import (
    MeasureError,
    choose_question,
    format_percent,
    measure,
    meets_target,
    percent_fraction,
    positive_from_cell,
    positive_to_cell,
    suggest_questions,
)
from xlgoals.survey.tabulate import tabulate


def survey_of(columns: dict[str, list[str]]) -> SurveyData:
    """A survey from answer lists per question (rows built like a pasted sheet)."""
    header = list(columns)
    height = max(len(v) for v in columns.values())
    rows = [[columns[h][i] if i < len(columns[h]) else "" for h in header] for i in range(height)]
    return tabulate(header, rows)


def grad(top: int, high: int, rest: int, dont_know: int = 0, blank: int = 0) -> list[str]:
    # every row needs some answer so it is a respondent: blanks are padded by a 2nd column
    return (
        ["I meget høj grad"] * top
        + ["I høj grad"] * high
        + ["I nogen grad"] * rest
        + ["Ved ikke"] * dont_know
        + [""] * blank
    )


def test_exact_boundary_80_percent_met() -> None:
    survey = survey_of({"Q1": grad(1000, 3000, 1000, dont_know=37)})
    result = measure(survey, "Q1", None)
    assert (result.numerator, result.denominator, result.n) == (4000, 5000, 5000)
    assert result.share == Fraction(4, 5)
    assert result.meets(Comparator.GE, 80) is True
    assert result.meets(">=", "80") is True
    assert result.meets(Comparator.GT, 80) is False
    assert result.share_incl_dont_know == Fraction(4000, 5037)


def test_0_7995_is_not_80_percent() -> None:
    survey = survey_of({"Q1": grad(0, 1599, 401)})
    result = measure(survey, "Q1", None)
    assert result.share == Fraction(1599, 2000)
    assert format_percent(result.share) == "80 %"  # prints as 80 % …
    assert result.meets(Comparator.GE, 80) is False  # … but does not meet it


def test_0_5972_is_not_60_percent() -> None:
    survey = survey_of({"Q1": grad(20, 23, 29)})
    result = measure(survey, "Q1", None)
    assert result.share == Fraction(43, 72)
    assert format_percent(result.share, 2) == "59,72 %"
    assert result.meets(Comparator.GE, 60) is False
    assert result.meets(Comparator.GE, 59.72) is True  # 0.59722… ≥ 0.5972
    assert result.meets(Comparator.GE, "59,73") is False
    assert result.meets(Comparator.LT, 60) is True


def test_percent_fraction_is_exact() -> None:
    assert percent_fraction(80) == Fraction(4, 5)
    assert percent_fraction(79.95) == Fraction(7995, 10000)
    assert percent_fraction("59,72") == Fraction(5972, 10000)


def test_dont_know_and_blank_leave_the_denominator() -> None:
    survey = survey_of(
        {
            "Q1": grad(3, 2, 2, dont_know=3, blank=2),
            "pad": ["x"] * 12,
        }
    )
    result = measure(survey, "Q1", None)
    assert (result.numerator, result.denominator, result.dont_know, result.blank) == (5, 7, 3, 2)
    assert result.share == Fraction(5, 7)
    assert result.share_incl_dont_know == Fraction(5, 10)


def test_dont_know_list_is_configurable() -> None:
    answers = ["Ja"] * 4 + ["Nej"] * 2 + ["Ikke relevant"] * 3
    survey = survey_of({"Q": answers})
    default = measure(survey, "Q", None)
    assert (default.numerator, default.denominator, default.dont_know) == (4, 6, 3)
    # the leader decides "Ikke relevant" is an answer after all
    custom = measure(survey, "Q", {"Ja"}, dont_know=["Ved ikke"])
    assert (custom.numerator, custom.denominator, custom.dont_know) == (4, 9, 0)


def test_anonymity_threshold() -> None:
    survey = survey_of({"Q1": grad(2, 1, 1, dont_know=3)})
    result = measure(survey, "Q1", None)
    assert result.too_few and result.n == 4
    assert result.share is None and result.share_incl_dont_know is None
    assert result.meets(Comparator.GE, 50) is None
    assert result.display() == "for få svar"
    assert result.display("en") == "too few answers"
    assert result.as_dict()["numerator"] is None
    lower = measure(survey, "Q1", None, threshold=3)
    assert not lower.too_few and lower.display() == "75 % (n=4)"


@pytest.mark.parametrize(
    ("answers", "positive"),
    [
        (
            ["I meget høj grad", "I høj grad", "I nogen grad", "Slet ikke", "I mindre grad"],
            ("i meget høj grad", "i høj grad"),
        ),
        (
            ["Helt enig", "Enig", "Uenig", "Hverken enig eller uenig", "Helt uenig"],
            ("helt enig", "enig"),
        ),
        (["Ja", "Nej", "Ja", "Ja", "Nej"], ("ja",)),
        (["Strongly agree", "Agree", "Disagree", "Agree", "Agree"], ("strongly agree", "agree")),
    ],
)
def test_default_positive_set_is_top_two(answers: list[str], positive: tuple[str, ...]) -> None:
    survey = survey_of({"Q": answers})
    result = measure(survey, "Q", None)
    assert tuple(p.casefold() for p in result.positive) == positive
    assert result.numerator == sum(1 for a in answers if a.casefold() in positive)


def test_positive_labels_match_normalised() -> None:
    survey = survey_of({"Q": ["Enig\u00a0", "enig", "Helt enig", "Uenig", " Enig "]})
    result = measure(survey, "Q", {"ENIG"})
    assert (result.numerator, result.denominator) == (3, 5)
    assert measure(survey, "Q", {"Måske"}).unmatched_positive == ("Måske",)


def test_no_scale_needs_explicit_positive() -> None:
    survey = survey_of({"Afdeling": ["Skole", "Familie", "Skole", "Skole", "Familie"]})
    with pytest.raises(MeasureError, match="Afdeling"):
        measure(survey, "Afdeling", None)
    assert measure(survey, "Afdeling", ["Skole"]).share == Fraction(3, 5)
    with pytest.raises(MeasureError, match="Q9"):
        measure(survey, "Q9", None)


def test_multi_select_counts_respondents_not_ticks() -> None:
    survey = survey_of({"Fora": ["A;B;", "A;", "B;C;", "C;", "", "A;B;C;", "Ved ikke;"]})
    question = survey.question("Fora")
    assert question.multi and question.answered == 5 and question.dont_know == 1
    result = measure(survey, "Fora", {"A", "B"})
    assert (result.numerator, result.denominator) == (4, 5)


SUBJECT = "medlemmerne i kompetenceteamene mener, at de har en fælles tilgang til opgaven"


def test_suggestions_rank_by_similarity_with_confidence() -> None:
    survey = survey_of(
        {
            "Q1": grad(1, 1, 1),
            "Q2": ["Ja", "Nej", "Ja"],
            "Q3": ["Enig", "Enig", "Uenig"],
        }
    )
    survey.question("Q1").text = "Jeg oplever, at vi i kompetenceteamet har en fælles tilgang"
    survey.question("Q2").text = "Har du deltaget i et dialogmøde?"
    survey.question("Q3").text = "Håndbogen er let at bruge"
    suggestions = suggest_questions(SUBJECT, survey.questions)
    assert suggestions[0].question_id == "Q1"
    assert suggestions[0].confidence > suggestions[1].confidence
    assert 0 <= suggestions[-1].confidence < suggestions[0].confidence <= 1
    chosen, how, _ = choose_question(SUBJECT, survey)
    assert (chosen, how) == ("Q1", "suggested")
    # below the threshold nothing is applied silently …
    chosen, how, shown = choose_question(SUBJECT, survey, threshold=0.99)
    assert (chosen, how) == (None, "none") and shown[0].question_id == "Q1"
    assert not any(s.apply for s in shown)
    # … and the workbook's explicit choice always wins
    assert choose_question(SUBJECT, survey, explicit="q3")[:2] == ("Q3", "explicit")


def test_unrelated_subject_is_not_applied() -> None:
    survey = survey_of({"Q2": ["Ja", "Nej", "Ja"]})
    survey.question("Q2").text = "Har du deltaget i et dialogmøde?"
    suggestions = suggest_questions("antallet af anbringelser halveres", survey.questions)
    assert suggestions and not suggestions[0].apply


def test_meets_target_from_column_d() -> None:
    survey = survey_of({"Q1": grad(1000, 3000, 1000)})
    result = measure(survey, "Q1", None)  # exactly 4/5
    assert meets_target(result, Target(comparator=">=", value=80, unit="%")) is True
    assert meets_target(result, Target(comparator=">", value=80, unit="%")) is False
    assert meets_target(result, Target(comparator="==", value=100, unit="%")) is False
    ranged = Target(comparator=">=", value=70, value_max=80, unit="%")
    assert meets_target(result, ranged) is True
    with pytest.raises(MeasureError, match="count"):
        meets_target(result, Target(comparator=">=", value=3, unit="count"))
    few = measure(survey_of({"Q1": grad(1, 1, 1)}), "Q1", None)
    assert meets_target(few, Target(comparator=">=", value=50, unit="%")) is None


def test_positive_answers_round_trip_through_a_plan_cell() -> None:
    assert positive_from_cell("Helt enig; Enig") == ["Helt enig", "Enig"]
    assert positive_from_cell("I meget høj grad\nI høj grad\n") == [
        "I meget høj grad",
        "I høj grad",
    ]
    assert positive_from_cell(None) is None and positive_from_cell("  ") is None
    cell = positive_to_cell(["-1", "Enig"])
    assert cell == "'-1; Enig"  # starts with '-': written as text
    assert positive_from_cell(cell) == ["-1", "Enig"]
