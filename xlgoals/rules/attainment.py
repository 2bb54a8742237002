"""AT rules: targets measured against their success criteria (attainment, see attainment.py).

They read the measurements the surface passed to the engine (`ctx.extra["measurements"]`,
a mapping of `target_key(action_goal_id, index)` to measurements). Without measurements
only the rules that need none can fire: nothing here does.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from xlgoals.attainment import (
    Measurement,
    Rollup,
    Status,
    TargetResult,
    describe_target,
    parse_measurements,
    rollup,
)
from xlgoals.model import ActionGoal, Finding, Severity
from xlgoals.rules.base import Rule, RuleContext, register


def target_measurements(ctx: RuleContext) -> dict[str, Any] | None:
    """Measurements keyed by target ('1.1.1#1'), or None when the run has none.

    `ctx.extra["measurements"]` may be such a mapping (values: `Measurement`s or their
    plain-data form) or something else a surface passes along (the add-in passes the
    parsed survey); in that case `ctx.extra["target_measurements"]` is used if a step has
    mapped survey questions to targets, and otherwise the AT rules stay silent.
    """
    for key in ("target_measurements", "measurements"):
        value = ctx.extra.get(key)
        if isinstance(value, Mapping):
            if all(_is_measured(v) for v in value.values()):
                return dict(value)
            return parse_measurements(value)
    return None


def _is_measured(value: object) -> bool:
    if isinstance(value, Measurement):
        return True
    return isinstance(value, (list, tuple)) and all(isinstance(v, Measurement) for v in value)


def plan_rollup(ctx: RuleContext) -> Rollup | None:
    """The roll-up of the context's plan, computed once per run; None without measurements."""
    if "rollup" not in ctx.extra:
        measurements = target_measurements(ctx)
        if measurements is None:
            return None
        ctx.extra["rollup"] = rollup(
            ctx.plan, measurements, ctx.today, max_age_days=ctx.config.stale_after_days
        )
    return ctx.extra["rollup"]


def _results(ctx: RuleContext) -> Iterator[tuple[ActionGoal, TargetResult]]:
    result = plan_rollup(ctx)
    if result is None:
        return
    by_id: dict[str, list[TargetResult]] = {}
    stack = [result.root]
    while stack:
        node = stack.pop()
        if node.level == "action_goal":
            by_id.setdefault(f"{node.sheet}!{node.cell}", []).extend(node.targets)
        stack.extend(node.children)
    for goal in ctx.plan.action_goals():
        for target_result in by_id.get(f"{goal.criteria.sheet}!{goal.criteria.cell}", []):
            yield goal, target_result


class _AttainmentRule(Rule):
    """Shared loop: one finding per target with the rule's status."""

    status: Status

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for goal, result in _results(ctx):
            if result.status != self.status:
                continue
            yield self.finding(
                ctx,
                sheet=goal.criteria.sheet,
                cell=goal.criteria.cell,
                action_goal=goal,
                data={
                    "target": result.key,
                    "status": result.status.value,
                    "progress": result.progress,
                    "measured": result.measured,
                    "expected": result.expected,
                },
                id=goal.id,
                index=result.index,
                target=describe_target(result.target, ctx.lang),
                explanation=result.explanation[ctx.lang],
            )


@register
class TargetNotMet(_AttainmentRule):
    """The deadline of a target has passed and the latest measurement does not meet it.

    **Anti-pattern**: target ``mindst 80 % … ved udgangen af 2015``, measured 76 % in
    November 2015, checked in 2016.

    **Best practice**: meet the target, or revise it (and its deadline) openly in the plan.
    """

    code = "AT001"
    name = "target-not-met"
    severity = Severity.WARNING
    status = Status.NOT_MET


@register
class TargetBehind(_AttainmentRule):
    """The measurement is below the straight line from the baseline to the target.

    **Anti-pattern**: ``stiger fra 40 % i 2023 til mindst 55 % i 2027`` measured 46 % at
    the end of 2025 (the line expects 47.5 %).

    **Best practice**: act on the gap now, while the deadline is still ahead.
    """

    code = "AT002"
    name = "target-behind"
    severity = Severity.WARNING
    status = Status.BEHIND


@register
class MeasurementStale(_AttainmentRule):
    """The latest measurement is older than the allowed age (default 365 days).

    Silence is never green: an old good result does not show that the target is met now.

    **Anti-pattern**: the last survey was in spring 2024 and the plan is followed up in
    autumn 2025.

    **Best practice**: measure at least once a year (set `stale_after_days` to change it).
    """

    code = "AT003"
    name = "measurement-stale"
    severity = Severity.WARNING
    status = Status.STALE


@register
class TargetNotMeasured(_AttainmentRule):
    """A target has no measurement at all.

    **Anti-pattern**: ``mindst 80 % mener …`` with no survey question mapped to it.

    **Best practice**: map a survey question (or enter a value) in the measurement plan.
    """

    code = "AT004"
    name = "target-not-measured"
    severity = Severity.INFO
    status = Status.NOT_MEASURED


@register
class MeasurementPlanEntry(Rule):
    """An entry the leader typed in the measurement plan cannot be used.

    **Anti-pattern**: ``ca. firs`` in the column *Manuel værdi*, or a question in the column
    *Spørgsmål* that the pasted or imported survey does not have.

    **Best practice**: a number (``82`` or ``82,5``) as the value, and the question's ID or
    its exact text as it stands in the survey export.
    """

    code = "AT010"
    name = "measurement-plan-entry"
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        from xlgoals.i18n import message
        from xlgoals.owned import owned_sheet_name

        run = ctx.extra.get("measurement_run")
        if run is None:
            return
        rows = {item.key: index for index, item in enumerate(run.targets, start=2)}
        sheet = owned_sheet_name("measurements", ctx.lang)
        for issue in run.issues:
            problem = message(issue.problem, ctx.lang, **dict(issue.args))
            yield self.finding(
                ctx,
                sheet=sheet,
                cell=f"A{rows.get(issue.target, 1)}",
                action_goal=issue.target.split("#")[0],
                target=issue.target,
                problem=problem,
            )
