"""Survey exports → answer counts → shares of positive answers (issue 6).

`model`, `tabulate` and `shares` are core (no pandas, no I/O); `readers` and `cli` are
surfaces that read files.
"""

from __future__ import annotations

from xlgoals.survey.model import AnswerCount, Detection, Question, SurveyData
from xlgoals.survey.shares import ShareResult, measure, suggest_questions
from xlgoals.survey.tabulate import LabelTables, Options, as_text_cell, tabulate

__all__ = [
    "AnswerCount",
    "Detection",
    "LabelTables",
    "Options",
    "Question",
    "ShareResult",
    "SurveyData",
    "as_text_cell",
    "measure",
    "suggest_questions",
    "tabulate",
]
