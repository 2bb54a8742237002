"""TL rules: the time and action plan (simple checks for now)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from xlgoals.model import Finding, Severity
from xlgoals.rules.base import Rule, RuleContext, register

_YEAR_RE = re.compile(r"\b(19|20)\d\d\b")


@register
class TimePlanWithoutDate(Rule):
    """The time and action plan names no date or period, so nothing can be followed up.

    **Anti-pattern**: ``• Der udarbejdes en håndbog``

    **Best practice**: ``• Der udarbejdes udkast til håndbogen primo 2015 (januar-marts)``
    """

    code = "TL001"
    name = "time-plan-without-date"
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for goal in ctx.plan.action_goals():
            text = goal.timeplan.text
            if text.strip() and not _YEAR_RE.search(text):
                yield self.finding(
                    ctx,
                    sheet=goal.timeplan.sheet,
                    cell=goal.timeplan.cell,
                    action_goal=goal,
                    id=goal.id,
                )
