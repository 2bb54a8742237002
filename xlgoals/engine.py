"""The core pipeline: grid → plan → findings → the owned cells to write.

Every surface (CLI, lossless file writer, xlwings add-in) calls `analyse` and then
`owned_updates`, so they all show the same findings on the same cells.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from xlgoals.grid import WorkbookGrid, a1, column_index
from xlgoals.i18n import message
from xlgoals.matrix import read_plan
from xlgoals.model import FIELD_NAMES, Finding, Plan, Severity
from xlgoals.owned import flag_value, owned_columns, owned_sheet_name, owned_spec
from xlgoals.rules.base import RuleConfig, RuleContext, run_rules, selected_rules


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
    """The plan read from a workbook and the findings about it."""

    plan: Plan
    findings: list[Finding]
    today: dt.date
    extra: dict[str, Any] = field(default_factory=dict)


def analyse(
    workbook: WorkbookGrid,
    *,
    today: dt.date,
    config: Config | None = None,
    measurements: Any = None,
) -> Analysis:
    """Read the plan, enrich it (milestones, targets) and run the selected rules."""
    config = config or Config()
    plan = read_plan(workbook, plan_year=config.plan_year)
    ctx = RuleContext(
        plan=plan,
        workbook=workbook,
        today=today,
        lang=config.lang,
        config=config.rules,
        extra={"measurements": measurements},
    )
    rules = selected_rules(config.select, config.ignore)
    findings = sorted(run_rules(ctx, rules), key=_finding_order(workbook))
    return Analysis(plan=plan, findings=findings, today=today, extra=ctx.extra)


def _finding_order(workbook: WorkbookGrid) -> Any:
    """Sort key: sheet order, then row, then column, then rule code."""
    sheet_index = {sheet.name: i for i, sheet in enumerate(workbook.sheets)}

    def key(finding: Finding) -> tuple[int, int, int, str]:
        row, col = 0, 0
        if finding.cell:
            letters = "".join(ch for ch in finding.cell if ch.isalpha())
            digits = "".join(ch for ch in finding.cell if ch.isdigit())
            row, col = int(digits or 0), column_index(letters) if letters else 0
        return (sheet_index.get(finding.sheet or "", -1), row, col, finding.rule)

    return key


@dataclass(slots=True)
class Updates:
    """Values for owned cells (sheet → {A1: value}) and whole owned sheets (name → rows)."""

    cells: dict[str, dict[str, Any]] = field(default_factory=dict)
    sheets: dict[str, list[list[Any]]] = field(default_factory=dict)


def owned_updates(workbook: WorkbookGrid, analysis: Analysis, lang: str = "da") -> Updates:
    """The owned cells and sheets that show `analysis` in the workbook.

    Every owned cell of every matrix row is written (empty when there is nothing to say),
    so a run replaces the previous run's feedback instead of adding to it.
    """
    updates = Updates()
    columns = owned_columns()
    worst: dict[tuple[str | None, str | None], Severity] = {}
    for finding in analysis.findings:
        key = (finding.sheet, finding.cell)
        if key not in worst or finding.severity.rank > worst[key].rank:
            worst[key] = finding.severity
    by_goal: dict[str, Severity] = {}
    for finding in analysis.findings:
        if finding.action_goal is None:
            continue
        current = by_goal.get(finding.action_goal)
        if current is None or finding.severity.rank > current.rank:
            by_goal[finding.action_goal] = finding.severity
    status_words = owned_spec()["status_values"]
    for matrix in analysis.plan.matrices:
        sheet = workbook.sheet(matrix.sheet)
        if sheet is None:
            continue
        col_of = _owned_column_positions(matrix.owned_columns, matrix.columns, columns)
        cells = updates.cells.setdefault(matrix.sheet, {})
        if matrix.header_row is not None:
            for column in columns:
                cells[a1(matrix.header_row - 1, col_of[column.key])] = column.header(lang)
        goals = {
            goal.row: goal for goal in analysis.plan.action_goals() if goal.sheet == matrix.sheet
        }
        for row in range(matrix.first_row, matrix.last_row + 1):
            goal = goals.get(row)
            values: dict[str, Any] = {column.key: None for column in columns}
            if goal is not None:
                severity = by_goal.get(goal.id) if _goal_unique(analysis.plan, goal.id) else None
                severity = _row_severity(analysis, goal.sheet, goal.row) or severity
                status = "ok" if severity in (None, Severity.INFO) else severity.value
                values["status"] = status_words[status][lang]
                for column in columns:
                    if column.flag_for:
                        cell = goal.field(column.flag_for)
                        found = worst.get((cell.sheet, cell.cell))
                        values[column.key] = flag_value(found.value, lang) if found else None
            for key, value in values.items():
                cells[a1(row - 1, col_of[key])] = value
    updates.sheets[owned_sheet_name("findings", lang)] = findings_table(analysis, lang)
    return updates


def _goal_unique(plan: Plan, goal_id: str) -> bool:
    return sum(1 for goal in plan.action_goals() if goal.id == goal_id) == 1


def _row_severity(analysis: Analysis, sheet: str, row: int) -> Severity | None:
    """The worst finding on any cell of a matrix row."""
    worst: Severity | None = None
    for finding in analysis.findings:
        if finding.sheet != sheet or not finding.cell:
            continue
        digits = "".join(ch for ch in finding.cell if ch.isdigit())
        if digits and int(digits) == row and (worst is None or finding.severity.rank > worst.rank):
            worst = finding.severity
    return worst


def _owned_column_positions(
    found: dict[str, str], matrix_columns: dict[str, str], columns: list[Any]
) -> dict[str, int]:
    """0-based column of each owned column: where it already is, else right of the matrix."""
    positions = {key: column_index(letter) for key, letter in found.items()}
    last = max(column_index(letter) for letter in matrix_columns.values())
    taken = set(positions.values())
    next_free = max([last, *taken]) + 1 if taken else last + 1
    for column in columns:
        if column.key not in positions:
            while next_free in taken:
                next_free += 1
            positions[column.key] = next_free
            taken.add(next_free)
    return positions


def findings_table(analysis: Analysis, lang: str = "da") -> list[list[Any]]:
    """The findings sheet: one row per finding, header first."""
    header = [
        message(f"findings.{name}", lang)
        for name in ("severity", "rule", "sheet", "cell", "goal", "message")
    ]
    rows: list[list[Any]] = [header]
    for finding in analysis.findings:
        rows.append(
            [
                message(f"severity.{finding.severity.value}", lang),
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
