"""TL rules: the time and action plan (column F) read as dated milestones.

Each bullet of the time-plan cell is a milestone whose due date follows CONVENTIONS.md
(`xlgoals.timeexpr`, `xlgoals.milestones`). Every finding names the time-plan cell and
quotes the bullet, so the leader sees which line to act on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import lru_cache

from xlgoals.milestones import goal_milestones
from xlgoals.model import ActionGoal, Finding, Milestone, Severity
from xlgoals.rules.base import Rule, RuleContext, register
from xlgoals.textutil import day_text, shorten
from xlgoals.timeexpr import due_date

_QUOTE_LENGTH = 90


def _quote(text: str) -> str:
    """The bullet as quoted in a message: one line, shortened with an ellipsis."""
    return shorten(text, _QUOTE_LENGTH)


def milestones(ctx: RuleContext, goal: ActionGoal) -> list[Milestone]:
    """The goal's milestones, read from its time-plan cell once and kept on the plan."""
    if not goal.milestones and goal.timeplan.text.strip():
        goal.milestones = goal_milestones(goal, ctx.workbook, ctx.plan.plan_year)
    return goal.milestones


def criterion_deadline(goal: ActionGoal) -> dt.date | None:
    """The latest deadline of the goal's success criterion.

    The targets' deadlines when the criterion has been read into targets; otherwise the
    criterion text's own due date under the same conventions ("ved udgangen af 2015").
    """
    if goal.targets:
        deadlines = [t.deadline for t in goal.targets if t.deadline is not None]
        return max(deadlines) if deadlines else None
    return _text_due_date(goal.criteria.text)


@lru_cache(maxsize=4096)
def _text_due_date(text: str) -> dt.date | None:
    """due_date of a criterion text, remembered: a run and the next read the same texts."""
    return due_date(text)


def _milestone_finding(
    rule: Rule, ctx: RuleContext, goal: ActionGoal, milestone: Milestone, days: int
) -> Finding:
    """A finding on the time-plan cell quoting the milestone, its due date and the days."""
    assert milestone.due is not None
    return rule.finding(
        ctx,
        sheet=goal.timeplan.sheet,
        cell=goal.timeplan.cell,
        action_goal=goal,
        data=_data(milestone),
        id=goal.id,
        index=milestone.index,
        text=_quote(milestone.text),
        due=day_text(milestone.due, ctx.lang),
        days=days,
    )


def _data(milestone: Milestone) -> dict[str, object]:
    return {
        "milestone": milestone.index,
        "text": milestone.text,
        "due": milestone.due.isoformat() if milestone.due else None,
    }


@register
class TimePlanWithoutDate(Rule):
    """No milestone of the time and action plan has a date, so nothing can be followed up.

    A label such as "Budget 2027", a recurring "løbende" or a vague "hurtigst muligt"
    does not date a milestone.

    **Anti-pattern**: ``• Der udarbejdes en håndbog`` / ``• Følges løbende op``

    **Best practice**: ``• Der udarbejdes udkast til håndbogen primo 2015 (januar-marts)``
    """

    code = "TL001"
    name = "time-plan-without-date"
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for goal in ctx.plan.action_goals():
            found = milestones(ctx, goal)
            if found and not any(m.due for m in found):
                yield self.finding(
                    ctx,
                    sheet=goal.timeplan.sheet,
                    cell=goal.timeplan.cell,
                    action_goal=goal,
                    id=goal.id,
                    count=len(found),
                )


@register
class OverdueMilestone(Rule):
    """A milestone's due date has passed and it is not marked done.

    Mark a finished milestone done (✓, "gennemført" or strikethrough) or move its date
    ("udskudt fra marts til juni 2026").

    **Anti-pattern** (checked in 2016): ``• Udkast til håndbogen primo 2015 (januar-marts)``

    **Best practice**: ``• ✓ Udkast til håndbogen primo 2015 (januar-marts)``
    """

    code = "TL002"
    name = "overdue-milestone"
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for goal in ctx.plan.action_goals():
            for milestone in milestones(ctx, goal):
                if milestone.due is None or milestone.done or milestone.due >= ctx.today:
                    continue
                yield _milestone_finding(
                    self, ctx, goal, milestone, (ctx.today - milestone.due).days
                )


@register
class MilestoneDueSoon(Rule):
    """A milestone falls due within the next days (30 by default, `due_soon_days`).

    **Anti-pattern**: finding out on the day that ``• Plan til udvalget senest 1. marts 2026``
    is due.

    **Best practice**: the owner gets a reminder while there is still time to act.
    """

    code = "TL003"
    name = "milestone-due-soon"
    severity = Severity.INFO

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        horizon = ctx.today + dt.timedelta(days=ctx.config.due_soon_days)
        for goal in ctx.plan.action_goals():
            for milestone in milestones(ctx, goal):
                due = milestone.due
                if due is None or milestone.done or not ctx.today <= due <= horizon:
                    continue
                yield _milestone_finding(self, ctx, goal, milestone, (due - ctx.today).days)


@register
class UndatableExpression(Rule):
    """A milestone says when in words that give no date, so it cannot be followed up.

    Vague words ("hurtigst muligt", "på sigt"), open recurrences ("løbende") and yearless
    phrases in a workbook without a plan year ("efter sommerferien") are quoted back.

    **Anti-pattern**: ``• Håndbogen revideres hurtigst muligt``

    **Best practice**: ``• Håndbogen revideres senest 1. juni 2026``
    """

    code = "TL004"
    name = "undatable-time-expression"
    severity = Severity.INFO

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for goal in ctx.plan.action_goals():
            for milestone in milestones(ctx, goal):
                if milestone.due is not None or not milestone.undatable or milestone.done:
                    continue
                phrases = ", ".join(f'"{_quote(p)}"' for p in milestone.undatable)
                yield self.finding(
                    ctx,
                    sheet=goal.timeplan.sheet,
                    cell=goal.timeplan.cell,
                    action_goal=goal,
                    data={**_data(milestone), "phrases": list(milestone.undatable)},
                    id=goal.id,
                    index=milestone.index,
                    text=_quote(milestone.text),
                    phrases=phrases,
                )


@register
class MilestoneAfterCriterionDeadline(Rule):
    """A milestone is planned after the deadline of the goal's own success criterion.

    The criterion cannot be met on time if the work that leads to it ends later.

    **Anti-pattern**: criterion ``ved udgangen af 2015 er mindst 80 % …`` with the
    milestone ``• Opsamling på mål medio 2016``

    **Best practice**: ``• Opsamling på mål ultimo 2015``
    """

    code = "TL005"
    name = "milestone-after-criterion-deadline"
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for goal in ctx.plan.action_goals():
            deadline = criterion_deadline(goal)
            if deadline is None:
                continue
            for milestone in milestones(ctx, goal):
                if milestone.due is None or milestone.due <= deadline:
                    continue
                yield self.finding(
                    ctx,
                    sheet=goal.timeplan.sheet,
                    cell=goal.timeplan.cell,
                    action_goal=goal,
                    data={**_data(milestone), "deadline": deadline.isoformat()},
                    id=goal.id,
                    index=milestone.index,
                    text=_quote(milestone.text),
                    due=day_text(milestone.due, ctx.lang),
                    deadline=day_text(deadline, ctx.lang),
                    criteria_cell=goal.criteria.cell,
                )
