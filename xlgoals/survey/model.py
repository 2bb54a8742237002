"""Survey aggregates (core, pydantic): only counts ever leave the import.

A :class:`SurveyData` holds what was detected about an export and, per question, how many
respondents gave each answer. No respondent row, name or e-mail is ever stored here, so
anything built from it (workbook, JSON, logs) is free of personal data by construction.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Detection(_Model):
    """What the reader found out about the export by itself (shown to the leader)."""

    tool: str = "generic"
    """'surveyxact', 'forms', 'google', 'limesurvey', 'qualtrics' or 'generic'."""
    tool_name: str = "Generic table"
    container: str = "rows"
    """'xlsx', 'xls', 'csv' (any delimited text) or 'rows' (cells handed over by a worksheet)."""
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    title_lines: int = 0
    """Rows above the header that were skipped (titles, export dates)."""
    header_rows: int = 1
    """1, or 3 for Qualtrics (names, question texts, ImportId JSON)."""
    values: str = "labels"
    """'labels' when answers are the answer texts, 'codes' when they were decoded."""
    label_source: str | None = None
    """Where the code → label tables came from ('sheet Labels', 'labels.csv', …)."""
    respondents: dict[str, int] = Field(default_factory=dict)
    """Rows by status: completed, partial, not_responded, not_invited, excused, excluded."""
    counted: int = 0
    """Rows whose answers were counted (completed and partial responses)."""
    dropped_personal: list[str] = Field(default_factory=list)
    """Names of the columns dropped as personal data (names, e-mails, IDs, free text …)."""
    personal_kinds: dict[str, str] = Field(default_factory=dict)
    """Column name → why it was dropped ('email', 'name', 'free_text', …)."""
    ignored_metadata: list[str] = Field(default_factory=list)
    """Technical columns that are not questions (times, status flags, progress)."""
    warnings: list[str] = Field(default_factory=list)


class AnswerCount(_Model):
    label: str
    """The answer as first written in the export (normalised whitespace), for display."""
    count: int


class Selection(_Model):
    """How many respondents chose exactly this combination (multi-select questions only)."""

    labels: list[str]
    count: int


class Question(_Model):
    """Answer counts of one question; don't-know and blanks are kept apart from answers."""

    id: str
    text: str
    answers: list[AnswerCount] = Field(default_factory=list)
    blank: int = 0
    dont_know: int = 0
    dont_know_answers: list[AnswerCount] = Field(default_factory=list)
    """The don't-know answers by label (kept out of `answers` and of the denominator)."""
    multi: bool = False
    selections: list[Selection] = Field(default_factory=list)
    scale: str | None = None
    """Id of the answer scale from data/likert_da.json the answers belong to, if any."""

    def public(self) -> dict[str, object]:
        """The documented per-question JSON: id, text, answers, blank, dont_know."""
        return {
            "id": self.id,
            "text": self.text,
            "answers": [{"label": a.label, "count": a.count} for a in self.answers],
            "blank": self.blank,
            "dont_know": self.dont_know,
        }

    @property
    def answered(self) -> int:
        """Respondents with a valid (not blank, not don't-know) answer."""
        if self.multi:
            return sum(s.count for s in self.selections)
        return sum(a.count for a in self.answers)


class SurveyData(_Model):
    source: str = ""
    """File name only (no directory), or a sheet name for worksheet input."""
    detection: Detection = Field(default_factory=Detection)
    questions: list[Question] = Field(default_factory=list)

    def question(self, question_id: str) -> Question:
        """The question by id (exact, then case-insensitive); KeyError names the id."""
        for question in self.questions:
            if question.id == question_id:
                return question
        folded = question_id.casefold()
        for question in self.questions:
            if question.id.casefold() == folded:
                return question
        raise KeyError(f"no question {question_id!r} in the survey {self.source!r}")
