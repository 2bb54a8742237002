"""SM rules: success criteria that are measurable and dated (simple checks for now)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from xlgoals.model import Finding, Severity
from xlgoals.rules.base import Rule, RuleContext, register

_NUMBER_RE = re.compile(r"\d")
_YEAR_RE = re.compile(r"\b(19|20)\d\d\b")


@register
class CriterionWithoutNumber(Rule):
    """The success criterion contains no number, so it cannot be measured.

    **Anti-pattern**: ``… at medarbejderne oplever en fælles tilgang.``

    **Best practice**: ``… at mindst 80 % af medarbejderne oplever en fælles tilgang.``
    """

    code = "SM001"
    name = "criterion-without-number"
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for goal in ctx.plan.action_goals():
            text = goal.criteria.text
            if text.strip() and not _NUMBER_RE.search(_YEAR_RE.sub("", text)):
                yield self.finding(
                    ctx,
                    sheet=goal.criteria.sheet,
                    cell=goal.criteria.cell,
                    action_goal=goal,
                    id=goal.id,
                )


@register
class CriterionWithoutDate(Rule):
    """The success criterion says nothing about when it must be met.

    **Anti-pattern**: ``… at mindst 80 % mener, at værdierne er forankret.``

    **Best practice**: ``… at der ved udgangen af 2015 er mindst 80 %, der mener …``
    """

    code = "SM002"
    name = "criterion-without-date"
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for goal in ctx.plan.action_goals():
            text = goal.criteria.text
            if text.strip() and not _YEAR_RE.search(text):
                yield self.finding(
                    ctx,
                    sheet=goal.criteria.sheet,
                    cell=goal.criteria.cell,
                    action_goal=goal,
                    id=goal.id,
                )
