"""The plan model shared by every part of xlgoals (pydantic, works on pydantic 2.10+).

Political goal → sub-goals → action goals, each action goal with its five matrix fields
and, for every field, the sheet and cell it came from, so that every finding and every
written value can point back at the user's cell.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

FIELD_NAMES: tuple[str, ...] = ("action", "criteria", "evaluation", "timeplan", "owner")
"""The five matrix fields in column order C–G."""


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more severe; used by --fail-on."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Comparator(StrEnum):
    GE = ">="
    LE = "<="
    GT = ">"
    LT = "<"
    EQ = "=="


class Horizon(StrEnum):
    DEADLINE = "deadline"
    LONG_TERM = "long_term"
    NONE = "none"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CellText(_Model):
    """The text of one matrix cell and where it sits."""

    text: str = ""
    sheet: str
    cell: str


class Period(_Model):
    """One time expression found in a text, normalised per CONVENTIONS.md."""

    text: str
    start: dt.date | None = None
    end: dt.date | None = None
    due: dt.date | None = None
    kind: str
    span: tuple[int, int] = (0, 0)
    commits: bool = True
    """False for labels ("Budget 2027") and classifying periods that commit to nothing."""


class Milestone(_Model):
    """One bullet of a time-and-action-plan cell."""

    index: int
    text: str
    due: dt.date | None = None
    kind: str | None = None
    done: bool = False
    periods: list[Period] = Field(default_factory=list)
    undatable: list[str] = Field(default_factory=list)
    """Time-like phrases that could not be dated (quoted back to the leader)."""
    state: str | None = None
    """As of the run's date: done, overdue, due_soon, open or undated (set by the engine)."""


class Baseline(_Model):
    value: float
    year: int | None = None


class Target(_Model):
    """One measurable target from a success-criterion cell (CONVENTIONS.md)."""

    comparator: Comparator
    value: float
    unit: str
    deadline: dt.date | None = None
    horizon: Horizon = Horizon.NONE
    subject: str = ""
    baseline: Baseline | None = None
    relative_to: int | None = None
    value_max: float | None = None
    text: str = ""
    """The words of the cell this target was read from."""


class Owner(_Model):
    """Column G split into the anchoring body and the named person."""

    body: str | None = None
    person: str | None = None
    role: str | None = None


class ActionGoal(_Model):
    id: str
    id_from_text: bool = True
    sheet: str
    row: int
    """1-based Excel row of the matrix row."""
    action: CellText
    criteria: CellText
    evaluation: CellText
    timeplan: CellText
    owner_text: CellText
    owner: Owner = Field(default_factory=Owner)
    weight: float | None = None
    milestones: list[Milestone] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)

    def field(self, name: str) -> CellText:
        """The matrix field by its model name ('owner' → owner_text)."""
        return self.owner_text if name == "owner" else getattr(self, name)


class SubGoal(_Model):
    id: str
    title: str = ""
    implied: bool = False
    """True when no heading declared the sub-goal and only action-goal IDs imply it."""
    sheet: str | None = None
    row: int | None = None
    cell: str | None = None
    action_goals: list[ActionGoal] = Field(default_factory=list)


class PoliticalGoal(_Model):
    id: str
    title: str = ""
    sheet: str | None = None
    row: int | None = None
    cell: str | None = None
    sub_goals: list[SubGoal] = Field(default_factory=list)


class MatrixLocation(_Model):
    """Where a matrix was found on a sheet: header row and the column of each field."""

    sheet: str
    header_row: int | None
    """1-based row of the header labels; None when columns C–G were assumed."""
    columns: dict[str, str]
    """Field name → column letter, e.g. {'action': 'C', …}."""
    owned_columns: dict[str, str] = Field(default_factory=dict)
    """xlgoals' status columns found on the sheet: key → column letter."""
    first_row: int
    last_row: int


class Plan(_Model):
    political_goals: list[PoliticalGoal] = Field(default_factory=list)
    matrices: list[MatrixLocation] = Field(default_factory=list)
    plan_year: int | None = None
    orphan_action_goals: list[ActionGoal] = Field(default_factory=list)
    """Action goals found before any sub-goal heading could be attached (see rule MX…)."""

    def action_goals(self) -> list[ActionGoal]:
        """Every action goal in reading order."""
        goals = [ag for pg in self.political_goals for sg in pg.sub_goals for ag in sg.action_goals]
        return goals + list(self.orphan_action_goals)

    def sub_goals(self) -> list[SubGoal]:
        return [sg for pg in self.political_goals for sg in pg.sub_goals]


class Finding(_Model):
    """One problem, on one cell, found by one rule."""

    rule: str
    severity: Severity
    sheet: str | None = None
    cell: str | None = None
    message: str
    action_goal: str | None = None
    data: dict[str, object] = Field(default_factory=dict)
