"""The core pipeline: grid → plan → findings → the owned cells to write.

Every surface (CLI, lossless file writer, xlwings add-in) calls `analyse` and then
`owned_updates`, so they all show the same findings on the same cells.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from xlgoals.attainment import (
    NodeResult,
    Rollup,
    latest_measurement,
    parse_measurements,
    rollup,
)
from xlgoals.attainment import labels as attainment_labels
from xlgoals.criteria import parse_targets
from xlgoals.errors import XlgoalsError
from xlgoals.grid import SheetGrid, WorkbookGrid, a1, column_index, column_letter, parse_a1
from xlgoals.i18n import message
from xlgoals.matrix import read_plan
from xlgoals.measure import MeasurementRun, collect, measured_text, measurement_sheet
from xlgoals.milestones import attach_milestones, milestone_state, next_milestone
from xlgoals.model import (
    FIELD_NAMES,
    ActionGoal,
    Finding,
    MatrixLocation,
    Plan,
    Severity,
    Target,
)
from xlgoals.owned import find_owned_sheet, flag_value, owned_columns, owned_sheet_name, owned_spec
from xlgoals.rules.base import RuleConfig, RuleContext, run_rules, selected_rules
from xlgoals.survey.model import SurveyData
from xlgoals.survey.tabulate import tabulate_grid
from xlgoals.textutil import day_text, shorten

CELL_QUOTE = 80
"""Characters of a milestone quoted in a status cell."""


@dataclass(slots=True)
class Config:
    """What a run is asked to do; filled from the command line or `[tool.xlgoals]`."""

    lang: str = "da"
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    plan_year: int | None = None
    rules: RuleConfig = field(default_factory=RuleConfig)


@dataclass(slots=True)
class Analysis:
    """The plan read from a workbook, its measurements, roll-up and findings.

    The roll-up (with its explanations) is computed when first asked for: `xlgoals check`
    never needs it unless there are measurements for the AT rules.
    """

    plan: Plan
    findings: list[Finding]
    today: dt.date
    measurements: MeasurementRun | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    measured: dict[str, Any] = field(default_factory=dict)
    max_age_days: int = 365
    _rollup: Rollup | None = None

    @property
    def rollup(self) -> Rollup:
        """Attainment of every target rolled up to the political goal (computed once)."""
        if self._rollup is None:
            self._rollup = self.extra.get("rollup") or rollup(
                self.plan,
                self.measured,
                self.today,
                max_age_days=self.max_age_days,
                fill_targets_first=False,
            )
        return self._rollup


def analyse(
    workbook: WorkbookGrid,
    *,
    today: dt.date,
    config: Config | None = None,
    surveys: Sequence[SurveyData] = (),
    survey_dates: Sequence[dt.date] | None = None,
    measurements: Mapping[str, Any] | None = None,
) -> Analysis:
    """Read the plan, enrich it, measure its targets, roll up and run the selected rules.

    Milestones come from column F, targets from column D (the plan year dates yearless
    words). Measurements come from `measurements` when given (target key → values);
    otherwise from the measurement-plan sheet's hand entries and from `surveys` plus any
    export pasted into the workbook's survey sheet. The AT rules only speak when there is
    something measured to speak about.
    """
    config = config or Config()
    plan = read_plan(workbook, plan_year=config.plan_year)
    attach_milestones(plan, workbook)
    for goal in plan.action_goals():
        for milestone in goal.milestones:
            milestone.state = milestone_state(milestone, today, config.rules.due_soon_days)
    reference = dt.date(plan.plan_year, 1, 1) if plan.plan_year else None
    # Criteria read to no target: the SM rules would read them again (rules.smart
    # .goal_targets keeps its parses under this key), so hand them the answer.
    no_targets: dict[str, list[Target]] = {}
    for goal in plan.action_goals():
        if goal.criteria.text.strip():
            goal.targets = list(_targets(goal.criteria.text, reference))
            if not goal.targets:
                no_targets[f"{goal.criteria.sheet}!{goal.criteria.cell}"] = []
    pasted = pasted_survey(workbook)
    all_surveys = [*surveys, *([pasted] if pasted is not None else [])]
    dates = [*(survey_dates or [today] * len(surveys)), today]
    run = collect(
        plan,
        workbook,
        all_surveys,
        today=today,
        threshold=config.rules.anonymity_threshold,
        survey_dates=dates,
        lang=config.lang,
    )
    by_key: Mapping[str, Any] = measurements if measurements is not None else run.by_key()
    parsed = parse_measurements(by_key) if by_key else {}
    if measurements is not None:
        _show_given_measurements(run, parsed, today, config.lang)
    extra: dict[str, Any] = {
        "measurement_run": run,
        "pasted_survey": pasted,
        "targets": no_targets,
    }
    if measurements is not None or all_surveys or parsed:
        # The AT rules judge the roll-up: compute it now.
        extra["target_measurements"] = parsed
        extra["rollup"] = rollup(
            plan,
            parsed,
            today,
            max_age_days=config.rules.stale_after_days,
            fill_targets_first=False,
        )
    ctx = RuleContext(
        plan=plan,
        workbook=workbook,
        today=today,
        lang=config.lang,
        config=config.rules,
        extra=extra,
    )
    rules = selected_rules(config.select, config.ignore)
    findings = sorted(_without_error_echoes(run_rules(ctx, rules)), key=_finding_order(workbook))
    return Analysis(
        plan=plan,
        findings=findings,
        today=today,
        measurements=run,
        extra=ctx.extra,
        measured=parsed,
        max_age_days=config.rules.stale_after_days,
    )


def _show_given_measurements(
    run: MeasurementRun, given: Mapping[str, Any], today: dt.date, lang: str
) -> None:
    """Given `measurements` replace the run's own (hand entries, surveys) for the roll-up, so
    the run shows them too: the result column, the measurement plan and the CLI's count say
    what the attainment was computed from."""
    for item in run.targets:
        latest = latest_measurement(given.get(item.key), today)
        item.measurement = latest
        item.share = None
        item.question = None
        item.note = ""
        item.source = (latest.source or message("measure.given_source", lang)) if latest else ""


@lru_cache(maxsize=4096)
def _targets(text: str, reference: dt.date | None) -> tuple[Target, ...]:
    """parse_targets, remembered: a batch of plans from one administration repeats texts.

    The parser is a pure function of (text, reference); goals with the same text share the
    Target objects, which nothing after the parser changes.
    """
    return tuple(parse_targets(text, reference))


def pasted_survey(workbook: WorkbookGrid) -> SurveyData | None:
    """Answer counts of an export pasted into the owned survey sheet (xlwings Lite has no
    file access, so leaders paste there); None when the sheet is missing or empty."""
    sheet = find_owned_sheet(workbook, "survey")
    if sheet is not None and any(v not in (None, "") for row in sheet.rows for v in row):
        return tabulate_grid(sheet.rows, source=sheet.name)
    return None


def _finding_order(workbook: WorkbookGrid) -> Any:
    """Sort key: sheet order, then row, then column, then rule code."""
    sheet_index = {sheet.name: i for i, sheet in enumerate(workbook.sheets)}

    def key(finding: Finding) -> tuple[int, int, int, str]:
        row, col = _cell_position(finding.cell) if finding.cell else (-1, 0)
        return (sheet_index.get(finding.sheet or "", -1), row, col, finding.rule)

    return key


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """A native bar chart on an owned sheet: categories and values are 0-based columns of
    the sheet's rows, over `rows` (1-based, inclusive) — the file writer draws it."""

    title: str
    category_col: int
    value_col: int
    first_row: int
    last_row: int


@dataclass(slots=True)
class Updates:
    """Values for owned cells (sheet → {A1: value}) and whole owned sheets (name → rows)."""

    cells: dict[str, dict[str, Any]] = field(default_factory=dict)
    sheets: dict[str, list[list[Any]]] = field(default_factory=dict)
    charts: dict[str, ChartSpec] = field(default_factory=dict)


def owned_updates(workbook: WorkbookGrid, analysis: Analysis, lang: str = "da") -> Updates:
    """The owned cells and sheets that show `analysis` in the workbook.

    Every owned cell of every matrix row is written (empty when there is nothing to say),
    so a run replaces the previous run's feedback instead of adding to it.
    """
    updates = Updates()
    columns = owned_columns()
    by_cell = _worst_by(analysis.findings, lambda f: (f.sheet, f.cell))
    by_row = _worst_by(analysis.findings, lambda f: (f.sheet, _row_of(f.cell)))
    nodes = _action_nodes(analysis)
    measured_by_goal: dict[str, list[Any]] = {}
    for item in analysis.measurements.targets if analysis.measurements else []:
        measured_by_goal.setdefault(item.goal_id, []).append(item)
    status_words = owned_spec()["status_values"]
    # Texts by severity, looked up once instead of per row and column.
    status_text: dict[Severity | None, str] = {None: status_words["ok"][lang]}
    flag_text: dict[Severity, str] = {}
    for severity in Severity:
        status = "ok" if severity == Severity.INFO else severity.value
        status_text[severity] = status_words[status][lang]
        flag_text[severity] = flag_value(severity.value, lang)
    keys = [column.key for column in columns]
    flagged = [(column.key, column.flag_for) for column in columns if column.flag_for]
    for matrix in analysis.plan.matrices:
        sheet = workbook.sheet(matrix.sheet)
        if sheet is None:
            continue
        col_of = _owned_column_positions(sheet, matrix, columns)
        letter_of = {key: column_letter(col) for key, col in col_of.items()}
        cells = updates.cells.setdefault(matrix.sheet, {})
        if matrix.header_row is not None:
            for column in columns:
                cells[a1(matrix.header_row - 1, col_of[column.key])] = column.header(lang)
        goals = {g.row: g for g in analysis.plan.action_goals() if g.sheet == matrix.sheet}
        for row in range(matrix.first_row, matrix.last_row + 1):
            goal = goals.get(row)
            values: dict[str, Any] = dict.fromkeys(keys)
            if goal is not None:
                severity = by_row.get((goal.sheet, goal.row))
                values["status"] = status_text[severity]
                for key, flag_for in flagged:
                    cell = goal.field(flag_for)
                    found = by_cell.get((cell.sheet, cell.cell))
                    values[key] = flag_text[found] if found else None
                measured = measured_by_goal.get(goal.id, [])
                values.update(_goal_status_values(goal, analysis, nodes, lang, measured))
            for key, value in values.items():
                cells[f"{letter_of[key]}{row}"] = value  # a1(row - 1, col_of[key])
    updates.sheets[owned_sheet_name("findings", lang)] = findings_table(analysis, lang)
    if analysis.measurements is not None:
        results = _target_status_labels(analysis, lang)
        name = owned_sheet_name("measurements", lang)
        updates.sheets[name] = measurement_sheet(analysis.measurements, results, lang)
    if analysis.plan.matrices:
        name = owned_sheet_name("overview", lang)
        rows, chart = overview_table(analysis.rollup, lang)
        updates.sheets[name] = rows
        if chart is not None:
            updates.charts[name] = chart
    _refuse_foreign_owned_sheets(workbook, updates)
    return updates


class OwnedSheetConflict(XlgoalsError):
    """A sheet the user made carries the name of a sheet xlgoals writes."""


def _refuse_foreign_owned_sheets(workbook: WorkbookGrid, updates: Updates) -> None:
    """Raise before anything is written when an owned sheet's name is taken by the user's
    own sheet: its first row shares no heading with the sheet xlgoals would write."""
    for name, rows in updates.sheets.items():
        sheet = workbook.sheet(name)
        if sheet is None or not rows:
            continue
        header = {str(value) for value in rows[0] if value not in (None, "")}
        first = next((row for row in sheet.rows if any(v not in (None, "") for v in row)), None)
        if first is not None and not header & {str(v) for v in first if v not in (None, "")}:
            raise OwnedSheetConflict("io.foreign_owned_sheet", path=workbook.source, sheet=name)


def _action_nodes(analysis: Analysis) -> dict[tuple[str | None, str | None], NodeResult]:
    """Roll-up nodes of the action goals by their criterion cell (sheet, cell)."""
    found: dict[tuple[str | None, str | None], NodeResult] = {}
    stack = [analysis.rollup.root]
    while stack:
        node = stack.pop()
        if node.level == "action_goal":
            found[(node.sheet, node.cell)] = node
        stack.extend(node.children)
    return found


def _goal_status_values(
    goal: ActionGoal,
    analysis: Analysis,
    nodes: dict[tuple[str | None, str | None], NodeResult],
    lang: str,
    measured: list[Any],
) -> dict[str, Any]:
    """Measured result, attainment, next and overdue milestones of one matrix row.

    `measured` are the run's measured targets of this goal, in run order (grouped once per
    run by the caller rather than filtered here per row).
    """
    values: dict[str, Any] = {}
    texts = []
    for index, item in enumerate(measured, start=1):
        text = measured_text(item, lang)
        if text:
            when = f", {day_text(item.measurement.date, lang)}" if item.measurement else ""
            texts.append(f"#{index}: {text}{when}")
    values["result"] = "\n".join(texts) or None
    node = nodes.get((goal.criteria.sheet, goal.criteria.cell))
    if node is not None:
        label = attainment_labels()["status"][node.status.value][lang]
        shown = None if node.status.value in ("not_measured", "no_target") else node.progress
        progress = "" if shown is None else f" – {shown:g} %".replace(".", ",")
        values["attainment"] = label + (progress if lang == "da" else progress.replace(",", "."))
    upcoming = next_milestone(goal.milestones, analysis.today)
    if upcoming is not None and upcoming.due is not None:
        values["next_milestone"] = message(
            "milestone.overdue_item",
            lang,
            due=day_text(upcoming.due, lang),
            text=shorten(upcoming.text),
        )
    overdue = [
        m for m in goal.milestones if not m.done and m.due is not None and m.due < analysis.today
    ]
    values["overdue"] = (
        "\n".join(
            message(
                "milestone.overdue_item",
                lang,
                due=day_text(m.due, lang),
                text=shorten(m.text, CELL_QUOTE),
            )
            for m in overdue
            if m.due is not None
        )
        or None
    )
    return values


def _target_status_labels(analysis: Analysis, lang: str) -> dict[str, str]:
    """Attainment label of every target by key, for the measurement-plan sheet."""
    labels: dict[str, str] = {}
    for node in _action_nodes(analysis).values():
        for result in node.targets:
            labels[result.key] = attainment_labels()["status"][result.status.value][lang]
    return labels


def overview_table(result: Rollup, lang: str = "da") -> tuple[list[list[Any]], ChartSpec | None]:
    """The overview sheet: the roll-up tree, one row per node, and a progress chart spec."""
    spec = owned_spec()
    level_names = attainment_labels()["level"]
    status_names = attainment_labels()["status"]
    rows: list[list[Any]] = [[column[lang] for column in spec["overview_columns"]]]
    sub_goal_rows: list[int] = []

    def add(node: NodeResult, depth: int) -> None:
        counts = ", ".join(
            f"{count} {status_names[key][lang]}" for key, count in node.target_counts.items()
        )
        title = node.title if node.level != "plan" else ""
        rows.append(
            [
                "  " * depth + level_names[node.level][lang],
                node.id,
                title,
                status_names[node.status.value][lang],
                node.progress,
                counts,
                node.explanation.get(lang, ""),
            ]
        )
        if node.level == "sub_goal":
            sub_goal_rows.append(len(rows))
        for child in node.children:
            add(child, depth + 1)

    add(result.root, 0)
    chart = None
    if sub_goal_rows:
        # The chart reads one contiguous block: the sub-goals again, below the tree.
        title = message("overview.chart_title", lang)
        progress_header = next(c[lang] for c in spec["overview_columns"] if c["key"] == "progress")
        rows.extend([[], [title], [level_names["sub_goal"][lang], progress_header]])
        first = len(rows) + 1
        for row_number in sub_goal_rows:
            source = rows[row_number - 1]
            rows.append([f"{level_names['sub_goal'][lang]} {source[1]}", source[4] or 0])
        chart = ChartSpec(
            title=title, category_col=0, value_col=1, first_row=first, last_row=len(rows)
        )
    return rows, chart


def _row_of(cell: str | None) -> int | None:
    """The 1-based row of an A1 reference ('G12' → 12)."""
    return _cell_position(cell)[0] + 1 if cell else None


_cell_position = lru_cache(maxsize=8192)(parse_a1)
"""parse_a1, remembered: findings sort and group by the same few hundred cells."""


def _without_error_echoes(findings: Iterable[Finding]) -> list[Finding]:
    """Drop what other rules read into a cell showing an Excel error ('målet ≥ 0' from
    '#DIV/0!'): CP007 names the failing formula, the rest would only be noise."""
    findings = list(findings)
    failed = {(f.sheet, f.cell) for f in findings if f.rule == "CP007"}
    if not failed:
        return findings
    return [f for f in findings if f.rule == "CP007" or (f.sheet, f.cell) not in failed]


def _worst_by(findings: list[Finding], key: Any) -> dict[Any, Severity]:
    """The most severe finding's severity per key (one pass over the findings)."""
    worst: dict[Any, Severity] = {}
    for finding in findings:
        k = key(finding)
        if k not in worst or finding.severity.rank > worst[k].rank:
            worst[k] = finding.severity
    return worst


def _owned_column_positions(
    sheet: SheetGrid, matrix: MatrixLocation, columns: list[Any]
) -> dict[str, int]:
    """0-based column of each owned column: where it already is, else the first columns
    right of the matrix that hold nothing of the user's in the matrix rows."""
    positions = {key: column_index(letter) for key, letter in matrix.owned_columns.items()}
    taken = set(positions.values())
    first_row = (matrix.header_row or matrix.first_row) - 1
    rows = sheet.rows[first_row : matrix.last_row]

    def used(col: int) -> bool:
        return any(col < len(row) and row[col] not in (None, "") for row in rows)

    candidate = max(column_index(letter) for letter in matrix.columns.values()) + 1
    for column in columns:
        if column.key in positions:
            continue
        while candidate in taken or used(candidate):
            candidate += 1
        positions[column.key] = candidate
        taken.add(candidate)
    return positions


def findings_table(analysis: Analysis, lang: str = "da") -> list[list[Any]]:
    """The findings sheet: one row per finding, header first."""
    header = [
        message(f"findings.{name}", lang)
        for name in ("severity", "rule", "sheet", "cell", "goal", "message")
    ]
    rows: list[list[Any]] = [header]
    severity_text = {s: message(f"severity.{s.value}", lang) for s in Severity}
    for finding in analysis.findings:
        rows.append(
            [
                severity_text[finding.severity],
                finding.rule,
                finding.sheet or "",
                finding.cell or "",
                finding.action_goal or "",
                finding.message,
            ]
        )
    return rows


__all__ = [
    "FIELD_NAMES",
    "Analysis",
    "Config",
    "Updates",
    "analyse",
    "findings_table",
    "owned_updates",
]
