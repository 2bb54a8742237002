"""CP rules: every action goal has all five fields filled and a named owner."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from xlgoals.model import Finding, Severity
from xlgoals.rules.base import Rule, RuleContext, register


class _EmptyField(Rule):
    """Shared check: the field `field_name` of an action goal is empty."""

    field_name: ClassVar[str]

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for goal in ctx.plan.action_goals():
            cell = goal.field(self.field_name)
            if not cell.text.strip(" .…\n"):
                column = "".join(ch for ch in cell.cell if ch.isalpha())
                yield self.finding(
                    ctx,
                    sheet=cell.sheet,
                    cell=cell.cell,
                    action_goal=goal,
                    id=goal.id,
                    column=column,
                )


@register
class EmptyActionGoal(_EmptyField):
    """The action-goal cell (column C) is empty while the row has other content.

    **Anti-pattern**: criteria and time plan filled in, but column C blank.

    **Best practice**: ``… (1.1.1.) der arbejdes for at sikre et bredt ejerskab …``
    """

    code = "CP001"
    name = "empty-action-goal"
    severity = Severity.ERROR
    field_name = "action"


@register
class EmptyCriteria(_EmptyField):
    """The success-criteria cell (column D) is empty: nobody can tell when the goal is met.

    **Anti-pattern**: an empty D cell.

    **Best practice**: ``… der ved udgangen af 2015 er mindst 80 % af medlemmerne …``
    """

    code = "CP002"
    name = "empty-criteria"
    severity = Severity.ERROR
    field_name = "criteria"


@register
class EmptyEvaluation(_EmptyField):
    """The evaluation cell (column E) does not say how the criterion is measured.

    **Anti-pattern**: an empty E cell.

    **Best practice**: ``Forespørgsel/spørgeskema fulgt op af dialog.``
    """

    code = "CP003"
    name = "empty-evaluation"
    severity = Severity.WARNING
    field_name = "evaluation"


@register
class EmptyTimePlan(_EmptyField):
    """The time-and-action-plan cell (column F) is empty.

    **Anti-pattern**: an empty F cell.

    **Best practice**: bullets with what happens when:
    ``• Der udarbejdes udkast til håndbogen primo 2015 (januar-marts)``
    """

    code = "CP004"
    name = "empty-time-plan"
    severity = Severity.ERROR
    field_name = "timeplan"


@register
class EmptyOwner(_EmptyField):
    """Nobody is responsible for the action goal (column G is empty).

    **Anti-pattern**: an empty G cell.

    **Best practice**: ``Forankret i chefgruppen – Claus Herbert er ansvarlig.``
    """

    code = "CP005"
    name = "empty-owner"
    severity = Severity.ERROR
    field_name = "owner"


@register
class OwnerWithoutPerson(Rule):
    """The owner cell names a group but no person who answers for the action goal.

    **Anti-pattern**: ``Forankret i chefgruppen.``

    **Best practice**: ``Forankret i chefgruppen – Claus Herbert er ansvarlig.``
    """

    code = "CP006"
    name = "owner-without-person"
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for goal in ctx.plan.action_goals():
            cell = goal.owner_text
            if cell.text.strip(" .…\n") and not goal.owner.person:
                yield self.finding(
                    ctx,
                    sheet=cell.sheet,
                    cell=cell.cell,
                    action_goal=goal,
                    id=goal.id,
                    owner=" ".join(cell.text.split()),
                )


# Excel's error values as stored in the file (the same in every language version).
EXCEL_ERRORS = frozenset(
    {"#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
)
_FIELDS = ("action", "criteria", "evaluation", "timeplan", "owner")


@register
class FormulaError(Rule):
    """A matrix cell shows an Excel error value: its formula fails, so the text is unknown.

    **Anti-pattern**: ``=LOPSLAG(C6;Kriterier!A:B;2;FALSK)`` showing ``#I/T`` (``#N/A``).

    **Best practice**: fix the formula or type the text into the cell.
    """

    code = "CP007"
    name = "formula-error"
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for goal in ctx.plan.action_goals():
            for field_name in _FIELDS:
                cell = goal.field(field_name)
                if cell.text.strip() in EXCEL_ERRORS:
                    yield self.finding(
                        ctx,
                        sheet=cell.sheet,
                        cell=cell.cell,
                        action_goal=goal,
                        id=goal.id,
                        cell_ref=cell.cell,
                        error=cell.text.strip(),
                    )
