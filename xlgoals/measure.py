"""Measurements for targets (core): the measurement-plan sheet, survey shares, hand entries.

The measurement plan is an owned sheet with one row per target. Most of its columns are
written by xlgoals; a few ("(udfyld)") are the leader's: which survey question measures
the target, which answers count as positive, and a value entered by hand (register data,
say). Those are read back before each run and written again unchanged, keyed by the target
key ('1.1.1#1'), so a refresh never loses what the leader typed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from xlgoals.attainment import Measurement, describe_target, round1, target_key
from xlgoals.grid import CellValue, WorkbookGrid
from xlgoals.i18n import message
from xlgoals.model import Plan, Target
from xlgoals.owned import find_owned_sheet, owned_spec
from xlgoals.survey.model import Question, SurveyData
from xlgoals.survey.shares import (
    MeasureError,
    ShareResult,
    Suggestion,
    measure_question,
    positive_from_cell,
    suggest_questions,
)
from xlgoals.survey.tabulate import as_text_cell, match_key
from xlgoals.textutil import cell_text

EDITABLE = ("question", "positive", "manual_value", "manual_n", "manual_date")
_DMY_RE = re.compile(r"^(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{2,4})$")


def measurement_columns() -> list[dict[str, Any]]:
    """Columns of the measurement-plan sheet (data/owned.json)."""
    return list(owned_spec()["measurement_columns"])


@dataclass(slots=True)
class TargetSetting:
    """What the leader typed for one target in the measurement plan."""

    question: str = ""
    positive: list[str] | None = None
    manual_value: CellValue = None
    manual_n: CellValue = None
    manual_date: CellValue = None
    manual_percent: bool = False
    """The manual value cell is shown as a percentage: Excel stored a typed 85 % as 0.85."""
    raw: dict[str, CellValue] = field(default_factory=dict)
    """The editable cells exactly as read, written back unchanged."""


_QUOTED_FORMAT_TEXT = re.compile(r'"[^"]*"|\\.')


def shows_percent(format_code: str) -> bool:
    """Whether an Excel number format shows a percentage: a % outside quoted text and
    escapes ('0%', '0.0%'; not '0.0" %"', where the % is only printed)."""
    return "%" in _QUOTED_FORMAT_TEXT.sub("", format_code)


def header_keys(header_row: list[CellValue]) -> dict[int, str | None]:
    """The measurement-plan column key of each header cell (Danish or English heading)."""
    names = {}
    for column in measurement_columns():
        names[column["da"].casefold()] = column["key"]
        names[column["en"].casefold()] = column["key"]
    return {c: names.get(cell_text(v).strip().casefold()) for c, v in enumerate(header_row)}


def read_settings(workbook: WorkbookGrid) -> dict[str, TargetSetting]:
    """The leader's entries in an existing measurement-plan sheet, by target key."""
    sheet = find_owned_sheet(workbook, "measurements")
    if sheet is None or not sheet.rows:
        return {}
    header = header_keys(sheet.rows[0])
    value_column = next((c for c, key in header.items() if key == "manual_value"), None)
    settings: dict[str, TargetSetting] = {}
    for row_index, row in enumerate(sheet.rows[1:], start=1):
        values = {key: row[c] if c < len(row) else None for c, key in header.items() if key}
        key = cell_text(values.get("target")).strip()
        if not key:
            continue
        raw = {name: values.get(name) for name in EDITABLE}
        settings[key] = TargetSetting(
            question=cell_text(raw["question"]).strip().lstrip("'"),
            positive=positive_from_cell(raw["positive"]),
            manual_value=raw["manual_value"],
            manual_n=raw["manual_n"],
            manual_date=raw["manual_date"],
            manual_percent=(row_index, value_column) in sheet.percent_cells,
            raw=raw,
        )
    return settings


def _number(value: CellValue) -> float | None:
    """A number from a cell: 82, 0.82 stays 0.82, '82,5' and '82,5 %' read Danish-style."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = cell_text(value).strip().replace("\u00a0", " ").rstrip("%").strip()
    if not text:
        return None
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", text):
        text = text.replace(".", "")
    text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def _date(value: CellValue, default: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value).strip()
    if not text:
        return default
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    match = _DMY_RE.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        year = year + 2000 if year < 100 else year
        try:
            return dt.date(year, month, day)
        except ValueError:
            return default
    return default


@dataclass(slots=True)
class TargetMeasure:
    """How one target was measured in this run (for the sheets and the status columns)."""

    key: str
    goal_id: str
    target: Target
    measurement: Measurement | None = None
    share: ShareResult | None = None
    question: Question | None = None
    source: str = ""
    note: str = ""
    suggestions: list[Suggestion] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PlanIssue:
    """A problem with the leader's entry in the measurement plan (rule AT010 reports it)."""

    target: str
    problem: str
    """Message key in data/messages/measure.json."""
    args: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class MeasurementRun:
    """All targets' measurements plus the problems found in the measurement plan itself."""

    targets: list[TargetMeasure]
    settings: dict[str, TargetSetting]
    issues: list[PlanIssue] = field(default_factory=list)

    def by_key(self) -> dict[str, list[Measurement]]:
        """Measurements keyed by target, as `attainment.rollup` takes them."""
        return {t.key: [t.measurement] for t in self.targets if t.measurement is not None}


def _find_question(
    surveys: Sequence[SurveyData], wanted: str
) -> tuple[SurveyData, Question] | None:
    """A question by id, else by its text (normalised), in any of the surveys."""
    for survey in surveys:
        try:
            return survey, survey.question(wanted)
        except KeyError:
            continue
    key = match_key(wanted)
    for survey in surveys:
        for question in survey.questions:
            if match_key(question.text) == key:
                return survey, question
    return None


def collect(
    plan: Plan,
    workbook: WorkbookGrid,
    surveys: Sequence[SurveyData],
    *,
    today: dt.date,
    threshold: int = 5,
    survey_dates: Sequence[dt.date] | None = None,
    lang: str = "da",
) -> MeasurementRun:
    """Measure every target: the leader's hand entry wins, then the chosen survey question.

    A question the leader named is used as named; otherwise the best text match between the
    target's subject and the survey's questions is used only when it is confident and
    clearly ahead (`survey.shares.suggest_questions`), and shown in any case.
    """
    settings = read_settings(workbook)
    dates = list(survey_dates or [])
    run = MeasurementRun(targets=[], settings=settings)
    questions = [q for survey in surveys for q in survey.questions]
    for goal in plan.action_goals():
        for index, target in enumerate(goal.targets, start=1):
            key = target_key(goal.id, index)
            item = TargetMeasure(key=key, goal_id=goal.id, target=target)
            setting = settings.get(key, TargetSetting())
            manual = _number(setting.manual_value)
            if (
                manual is not None
                and setting.manual_percent
                and not isinstance(setting.manual_value, str)
            ):
                # "85 %" typed into Excel is stored as 0.85 in a percentage-formatted cell
                manual = float(Decimal(repr(manual)) * 100)
            if setting.manual_value not in (None, "") and manual is None:
                value = cell_text(setting.manual_value)
                run.issues.append(PlanIssue(key, "measure.bad_value", (("value", value),)))
            if manual is not None:
                n = _number(setting.manual_n)
                item.measurement = Measurement(
                    value=manual,
                    n=int(n) if n is not None else None,
                    date=_date(setting.manual_date, today),
                    source=message("measure.manual_source", lang),
                )
                item.source = item.measurement.source
            elif questions and target.unit == "%":
                _measure_by_survey(item, setting, surveys, dates, today, threshold, lang, run)
            run.targets.append(item)
    return run


def _measure_by_survey(
    item: TargetMeasure,
    setting: TargetSetting,
    surveys: Sequence[SurveyData],
    dates: list[dt.date],
    today: dt.date,
    threshold: int,
    lang: str,
    run: MeasurementRun,
) -> None:
    questions = [q for survey in surveys for q in survey.questions]
    item.suggestions = suggest_questions(item.target.subject, questions)
    found = None
    if setting.question:
        found = _find_question(surveys, setting.question)
        if found is None:
            problem = "measure.unknown_question"
            run.issues.append(PlanIssue(item.key, problem, (("question", setting.question),)))
            return
    elif item.suggestions and item.suggestions[0].apply:
        found = _find_question(surveys, item.suggestions[0].question_id)
    if found is None:
        return
    survey, question = found
    item.question = question
    try:
        share = measure_question(question, setting.positive, threshold=threshold)
    except MeasureError:
        # answers that are no known scale ('Ofte', 'Aldrig' …): the leader names the
        # positive ones in the plan; until then the target stays unmeasured
        problem = "measure.no_scale"
        run.issues.append(PlanIssue(item.key, problem, (("question", question.id),)))
        item.note = message(problem, lang, question=question.id)
        return
    item.share = share
    positive = "; ".join(share.positive)
    item.source = message(
        "measure.survey_source",
        lang,
        source=survey.source,
        question=question.id,
        positive=positive,
    )
    if share.share is None:
        item.note = message("measure.too_few", lang, n=share.n, threshold=threshold)
        return
    position = surveys.index(survey)
    measured_on = dates[position] if position < len(dates) else today
    item.measurement = Measurement(
        numerator=share.numerator,
        denominator=share.denominator,
        n=share.n,
        date=measured_on,
        source=item.source,
    )


def measured_text(item: TargetMeasure, lang: str) -> str:
    """'82 % (41 af 50)', '3,5', or the reason there is no value."""
    if item.measurement is None:
        return item.note
    # half up on the exact value, as progress is rounded: a typed 0.85 shows as 0,9
    number = round1(item.measurement.exact())
    text = f"{number:.1f}".rstrip("0").rstrip(".")
    if lang == "da":
        text = text.replace(".", ",")
    unit = " %" if item.target.unit == "%" else ""
    measured = item.measurement
    if measured.numerator is not None and measured.denominator is not None:
        of = "af" if lang == "da" else "of"
        return f"{text}{unit} ({measured.numerator} {of} {measured.denominator})"
    return f"{text}{unit}"


def measurement_sheet(
    run: MeasurementRun, results: dict[str, str], lang: str = "da"
) -> list[list[Any]]:
    """Rows of the measurement-plan sheet: header, then one row per target.

    The leader's editable cells are written back exactly as read.
    """
    columns = measurement_columns()
    keys = [column["key"] for column in columns]
    rows: list[list[Any]] = [[c[lang] for c in columns]]
    for item in run.targets:
        setting = run.settings.get(item.key) or _NO_SETTING  # read only
        suggestion = ""
        if item.suggestions and not setting.question:
            best = item.suggestions[0]
            suggestion = message(
                "measure.suggestion", lang, question=best.text, confidence=best.confidence
            )
        measurement = item.measurement
        values: dict[str, Any] = {
            "target": item.key,
            "action_goal": item.goal_id,
            "target_text": describe_target(item.target, lang),
            "subject": item.target.subject,
            "measured": measured_text(item, lang) or None,
            "n": measurement.n if measurement is not None else None,
            "measured_on": measurement.date if measurement is not None else None,
            "source": item.source,
            "attainment": results.get(item.key, ""),
            "suggestion": suggestion,
        }
        values.update(setting.raw)
        row = [values.get(key) for key in keys]
        rows.append([as_text_cell(v) if isinstance(v, str) else v for v in row])
    return rows


_NO_SETTING = TargetSetting()
"""The entries of a target the leader has typed nothing for (shared, never changed)."""
