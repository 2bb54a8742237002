"""SV rules: survey data kept in the workbook itself (the sheet xlwings Lite users paste into)."""

from __future__ import annotations

from collections.abc import Iterator

from xlgoals.model import Finding, Severity
from xlgoals.rules.base import Rule, RuleContext, register


@register
class PersonalDataInSurveySheet(Rule):
    """The pasted survey export holds personal data (names, e-mails, IDs, free text).

    xlgoals only ever uses the answer counts, but the pasted rows stay in the workbook,
    which is often shared widely.

    **Anti-pattern**: pasting a Microsoft Forms export with its ``Email`` and ``Name``
    columns into the sheet *Spørgeskemadata*.

    **Best practice**: delete those columns before pasting, or paste an export without them.
    """

    code = "SV001"
    name = "personal-data-in-survey-sheet"
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        pasted = ctx.extra.get("pasted_survey")
        if pasted is None or not pasted.detection.dropped_personal:
            return
        yield self.finding(
            ctx,
            sheet=pasted.source,
            cell="A1",
            columns=", ".join(pasted.detection.dropped_personal),
        )
