"""SM rules: success criteria that are measurable, dated and measured by a fitting method."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from xlgoals.attainment import describe_target
from xlgoals.criteria import SmartIssue, parse_targets, smart_issues
from xlgoals.model import ActionGoal, Finding, Severity, Target
from xlgoals.rules.base import Rule, RuleContext, register

# SM001–SM005 read the criterion with the full parser (xlgoals.criteria).


def goal_targets(ctx: RuleContext, goal: ActionGoal) -> list[Target]:
    """The goal's targets: as read into the plan, else parsed now (plan year as reference)."""
    if goal.targets:
        return goal.targets
    cache: dict[str, list[Target]] = ctx.extra.setdefault("targets", {})
    where = f"{goal.criteria.sheet}!{goal.criteria.cell}"
    if where not in cache:
        year = ctx.plan.plan_year
        cache[where] = parse_targets(goal.criteria.text, dt.date(year, 1, 1) if year else None)
    return cache[where]


def _issues(ctx: RuleContext, goal: ActionGoal, code: str) -> list[SmartIssue]:
    """The goal's SMART issues of one kind; all kinds are computed once per run and goal."""
    cache: dict[tuple[str, int], dict[str, list[SmartIssue]]]
    cache = ctx.extra.setdefault("smart_issues_by_code", {})
    key = (goal.sheet, goal.row)
    by_code = cache.get(key)
    if by_code is None:
        targets = goal_targets(ctx, goal)
        by_code = cache[key] = {}
        for issue in smart_issues(goal.criteria.text, goal.evaluation.text, targets):
            by_code.setdefault(issue.code, []).append(issue)
    return by_code.get(code, [])


class _SmartRule(Rule):
    """Shared loop: one finding per SMART issue of the rule's kind."""

    issue: str
    on_evaluation = False

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for goal in ctx.plan.action_goals():
            targets = goal_targets(ctx, goal)
            for issue in _issues(ctx, goal, self.issue):
                where = goal.evaluation if self.on_evaluation else goal.criteria
                detail = issue.detail
                if issue.target_index is not None:
                    detail = describe_target(targets[issue.target_index], ctx.lang, timing=False)
                yield self.finding(
                    ctx,
                    sheet=where.sheet,
                    cell=where.cell,
                    action_goal=goal,
                    data={"issue": issue.code, "target_index": issue.target_index},
                    id=goal.id,
                    detail=detail,
                )


@register
class CriterionWithoutMeasurableTarget(_SmartRule):
    """The success criterion states no measurable target.

    A number alone is not a target: a year, an age ("25-årige"), a scale ("1-5") or a window
    ("inden for 5 hverdage") says nothing about when the goal is reached.

    **Anti-pattern**: ``… at medarbejderne oplever en fælles tilgang i 2026.``

    **Best practice**: ``… at mindst 80 % af medarbejderne oplever en fælles tilgang i 2026.``
    """

    code = "SM001"
    name = "criterion-without-measurable-target"
    severity = Severity.WARNING
    issue = "no_target"


@register
class TargetWithoutTiming(_SmartRule):
    """A target has neither a deadline nor a horizon.

    **Anti-pattern**: ``… mindst 80 % mener, at værdierne er forankret.``

    **Best practice**: ``… ved udgangen af 2015 er mindst 80 %, der mener, at værdierne er
    forankret. På længere sigt 95 %.``
    """

    code = "SM002"
    name = "target-without-timing"
    severity = Severity.WARNING
    issue = "no_timing"


@register
class OnlyLongTermTarget(_SmartRule):
    """Every target of the criterion is long-term, so none can be followed up yet.

    **Anti-pattern**: ``På længere sigt er 95 % af lederne uddannet.``

    **Best practice**: ``Ved udgangen af 2026 er 80 % af lederne uddannet. På længere sigt
    95 %.``
    """

    code = "SM003"
    name = "only-long-term-target"
    severity = Severity.WARNING
    issue = "only_long_term"


@register
class EvaluationCannotMeasure(_SmartRule):
    """The evaluation method (column E) cannot produce a number, but the criterion asks one.

    Dialogue, meetings and interviews are good follow-up, but they do not give a share.

    **Anti-pattern**: criterion ``mindst 80 % mener …`` with evaluation ``Dialog i chefgruppen``

    **Best practice**: evaluation ``Spørgeskema fulgt op af dialog``
    """

    code = "SM004"
    name = "evaluation-cannot-measure"
    severity = Severity.WARNING
    issue = "method_cannot_measure"
    on_evaluation = True


@register
class OpinionTargetNeedsSurvey(_SmartRule):
    """A share of people who think, feel or experience something needs a survey.

    **Anti-pattern**: criterion ``mindst 80 % af medarbejderne oplever …`` with evaluation
    ``Opgørelse fra fagsystemet``

    **Best practice**: evaluation ``Spørgeskema (trivselsmåling) fulgt op af dialog``
    """

    code = "SM005"
    name = "opinion-target-needs-survey"
    severity = Severity.WARNING
    issue = "needs_survey"
    on_evaluation = True
