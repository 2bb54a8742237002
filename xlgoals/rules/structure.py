"""MX rules: the structure of the matrix (political goal → sub-goals → action goals)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

from xlgoals.model import Finding, Severity
from xlgoals.rules.base import Rule, RuleContext, register

T = TypeVar("T")


def _where(sheet: str | None, cell: str | None) -> str:
    return f"{sheet}!{cell}" if sheet and cell else (sheet or "?")


@register
class NoMatrix(Rule):
    """No goal matrix was found in the workbook.

    **Anti-pattern**: a workbook whose sheets have neither the header labels nor action
    goals in columns C–G (e.g. only a budget table).

    **Best practice**: one header row with ``Handlemål | Succeskriterier | Evaluering |
    Tids- og handleplan | Tovholder/ansvarlig`` (the template from ``xlgoals new``).
    """

    code = "MX001"
    name = "no-matrix"
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.plan.matrices or ctx.plan.action_goals():
            return
        sheet = ctx.workbook.sheets[0].name if ctx.workbook.sheets else None
        yield self.finding(ctx, sheet=sheet, cell="A1")


@register
class DuplicateActionGoalId(Rule):
    """Two action goals carry the same ID.

    **Anti-pattern**: ``(1.1.2.)`` written in two rows, e.g. after copying a row.

    **Best practice**: every action goal has its own number: ``1.1.1``, ``1.1.2``, ``1.1.3``.
    """

    code = "MX002"
    name = "duplicate-id"
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        goals = [
            (goal.id, goal.action.sheet, goal.action.cell, goal) for goal in ctx.plan.action_goals()
        ]
        for goal, other in _repeats(goals):
            yield self.finding(
                ctx,
                sheet=goal.action.sheet,
                cell=goal.action.cell,
                action_goal=goal,
                id=goal.id,
                other=other,
            )


@register
class ActionGoalOutsideSubGoal(Rule):
    """An action goal's number does not belong to the sub-goal it stands under.

    **Anti-pattern**: action goal ``(1.2.1.)`` in the rows under ``Delmål 1.1``.

    **Best practice**: action goals under ``Delmål 1.1`` are numbered ``1.1.1``, ``1.1.2`` …
    """

    code = "MX003"
    name = "id-outside-sub-goal"
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for sub in ctx.plan.sub_goals():
            for goal in sub.action_goals:
                if not goal.id_from_text or sub.implied:
                    continue
                expected = goal.id.rsplit(".", 1)[0]
                if expected != sub.id:
                    yield self.finding(
                        ctx,
                        sheet=goal.action.sheet,
                        cell=goal.action.cell,
                        action_goal=goal,
                        id=goal.id,
                        sub_goal=sub.id,
                        expected=expected,
                    )


@register
class ActionGoalWithoutSubGoal(Rule):
    """An action goal has no sub-goal heading above it.

    **Anti-pattern**: matrix rows directly under the header, with no ``Delmål …`` row and
    no sub-goal column, so the action goal cannot be rolled up.

    **Best practice**: a heading row ``Delmål 1.1. Derfor vil vi …`` above the action goals
    of that sub-goal (or one sheet per sub-goal named ``Delmål 1.1``).
    """

    code = "MX004"
    name = "action-goal-without-sub-goal"
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        implied = [
            (sub.id, goal)
            for sub in ctx.plan.sub_goals()
            if sub.implied
            for goal in sub.action_goals
        ]
        orphans = [("1.1", goal) for goal in ctx.plan.orphan_action_goals]
        for expected, goal in implied + orphans:
            yield self.finding(
                ctx,
                sheet=goal.action.sheet,
                cell=goal.action.cell,
                action_goal=goal,
                id=goal.id,
                expected=expected,
            )


@register
class SubGoalWithoutActionGoals(Rule):
    """A sub-goal has no action goals, so nothing shows how it will be reached.

    **Anti-pattern**: ``Delmål 1.2. Derfor vil vi inddrage forældrene …`` followed directly
    by the next sub-goal.

    **Best practice**: at least one action goal row (``1.2.1``) with criteria, evaluation,
    time plan and owner under each sub-goal.
    """

    code = "MX005"
    name = "sub-goal-without-action-goals"
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for sub in ctx.plan.sub_goals():
            if not sub.action_goals:
                yield self.finding(ctx, sheet=sub.sheet, cell=sub.cell, id=sub.id)


@register
class SubGoalOutsidePoliticalGoal(Rule):
    """A sub-goal's number does not belong to the political goal it stands under.

    **Anti-pattern**: ``Delmål 2.1`` under ``Politisk mål 1``.

    **Best practice**: sub-goals of political goal 1 are numbered ``1.1``, ``1.2`` …
    """

    code = "MX006"
    name = "sub-goal-outside-political-goal"
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for political in ctx.plan.political_goals:
            for sub in political.sub_goals:
                expected = sub.id.split(".")[0]
                if sub.id.count(".") and expected != political.id and political.row is not None:
                    yield self.finding(
                        ctx,
                        sheet=sub.sheet,
                        cell=sub.cell,
                        id=sub.id,
                        political=political.id,
                        expected=expected,
                    )


@register
class DuplicateSubGoalId(Rule):
    """Two sub-goal headings carry the same number.

    **Anti-pattern**: two rows ``Delmål 1.2 …`` with different texts.

    **Best practice**: number sub-goals ``1.1``, ``1.2``, ``1.3`` … once each.
    """

    code = "MX007"
    name = "duplicate-sub-goal-id"
    severity = Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        subs = [
            (sub.id, sub.sheet, sub.cell, sub) for sub in ctx.plan.sub_goals() if not sub.implied
        ]
        for sub, other in _repeats(subs):
            yield self.finding(ctx, sheet=sub.sheet, cell=sub.cell, id=sub.id, other=other)


def _repeats(items: list[tuple[str, str | None, str | None, T]]) -> Iterator[tuple[T, str]]:
    """Each (id, sheet, cell, item) whose id came before, with where it first stood."""
    first: dict[str, str] = {}
    for item_id, sheet, cell, item in items:
        if item_id in first:
            yield item, first[item_id]
        else:
            first[item_id] = _where(sheet, cell)
