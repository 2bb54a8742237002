"""Answer counts → the share of positive answers, compared exactly with a target (core).

Shares are :class:`fractions.Fraction`, never floats: CONVENTIONS.md says 0.7995 does not
meet "mindst 80 %" even though it prints as 80 %. Don't-know answers and blanks leave the
denominator; below the anonymity threshold no share is given at all ("for få svar").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache

from xlgoals.model import Comparator, Target
from xlgoals.survey.model import Question, SurveyData
from xlgoals.survey.tabulate import (
    as_text_cell,
    cell_text,
    detect_scale,
    likert_spec,
    match_key,
    scale_positive,
    tools_spec,
)

DEFAULT_THRESHOLD = 5
"""Fewest valid answers for which a share is shown (anonymity)."""


class MeasureError(ValueError):
    """A measurement cannot be made; the message names the question, never a respondent."""


@dataclass(frozen=True)
class ShareResult:
    """The measurement of one question: what the lead turns into a target's measured value."""

    question_id: str
    numerator: int
    """Respondents with a positive answer."""
    denominator: int
    """Respondents with a valid answer: blanks and don't-know excluded."""
    dont_know: int
    blank: int
    too_few: bool
    threshold: int
    positive: tuple[str, ...]
    """The answer labels counted as positive (display form)."""
    scale: str | None = None
    unmatched_positive: tuple[str, ...] = field(default=())
    """Positive labels given by the leader that no answer and no scale label matches."""

    @property
    def n(self) -> int:
        """Valid answers, the n reported beside a share."""
        return self.denominator

    @property
    def share(self) -> Fraction | None:
        """Positive / valid answers; None below the threshold or without answers."""
        if self.too_few or not self.denominator:
            return None
        return Fraction(self.numerator, self.denominator)

    @property
    def share_incl_dont_know(self) -> Fraction | None:
        """Positive / (valid + don't-know), shown beside the share; same threshold."""
        total = self.denominator + self.dont_know
        if self.too_few or not total:
            return None
        return Fraction(self.numerator, total)

    def meets(self, comparator: Comparator | str, percent: float | str | Fraction) -> bool | None:
        """Whether the exact share satisfies a target in percent; None when there is no share."""
        share = self.share
        if share is None:
            return None
        return compare(share, Comparator(comparator), percent_fraction(percent))

    def display(self, lang: str = "da", decimals: int = 0) -> str:
        """'83 % (n=12)' or 'for få svar' — rounding only for display, never for `meets`."""
        if self.too_few:
            return tools_spec()["messages"]["too_few"][lang]
        share = self.share
        if share is None:
            return tools_spec()["messages"]["no_answers"][lang]
        return f"{format_percent(share, decimals, lang)} (n={self.n})"

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly form; fractions as 'p/q' strings and as rounded floats."""
        share, incl = self.share, self.share_incl_dont_know
        return {
            "question": self.question_id,
            "numerator": self.numerator if not self.too_few else None,
            "denominator": self.denominator,
            "n": self.n,
            "dont_know": self.dont_know,
            "blank": self.blank,
            "share": None if share is None else str(share),
            "share_percent": None if share is None else round(float(share) * 100, 2),
            "share_incl_dont_know": None if incl is None else str(incl),
            "too_few": self.too_few,
            "threshold": self.threshold,
            "positive": list(self.positive),
            "scale": self.scale,
        }


def meets_target(result: ShareResult, target: Target) -> bool | None:
    """Whether a measured share meets a '%' target from column D (exactly); None if no share.

    A range target (`value_max`) is met when the share lies within both ends.
    """
    if target.unit != "%":
        raise MeasureError(
            f"question {result.question_id!r}: a survey share cannot measure a target in "
            f"{target.unit!r}; only '%' targets"
        )
    if target.value_max is not None:
        low, high = result.meets(">=", target.value), result.meets("<=", target.value_max)
        return None if low is None else bool(low and high)
    return result.meets(target.comparator, target.value)


def percent_fraction(percent: float | str | Fraction) -> Fraction:
    """80 → 4/5 exactly; floats go through their shortest repr ('79.95' not 79.9499…)."""
    if isinstance(percent, Fraction):
        return percent / 100
    if isinstance(percent, float):
        percent = repr(percent)
    return Fraction(str(percent).replace(",", ".").strip()) / 100


def compare(share: Fraction, comparator: Comparator, target: Fraction) -> bool:
    """Exact comparison of a share with a target share."""
    return {
        Comparator.GE: share >= target,
        Comparator.LE: share <= target,
        Comparator.GT: share > target,
        Comparator.LT: share < target,
        Comparator.EQ: share == target,
    }[comparator]


def format_percent(share: Fraction, decimals: int = 0, lang: str = "da") -> str:
    """Half-up rounded percentage for display: Danish decimal comma, '80 %'."""
    scaled = share * 100 * 10**decimals
    rounded = (scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator)
    whole, frac = divmod(rounded, 10**decimals)
    mark = "," if lang == "da" else "."
    text = f"{whole}{mark}{frac:0{decimals}d}" if decimals else str(whole)
    return f"{text} %"


def default_positive(question: Question) -> tuple[str, ...]:
    """Top two categories of the question's Danish (or English) scale; {Ja} for yes/no."""
    scale = question.scale or detect_scale(match_key(a.label) for a in question.answers)
    if scale is None:
        raise MeasureError(
            f"question {question.id!r}: its answers are not a known scale; "
            "give the positive answers for this target"
        )
    return scale_positive(scale)


def measure(
    survey: SurveyData,
    question_id: str,
    positive: set[str] | Sequence[str] | None = None,
    *,
    dont_know: Iterable[str] | None = None,
    threshold: int = DEFAULT_THRESHOLD,
) -> ShareResult:
    """Share of positive answers to one question, with n and the share incl. don't-know.

    `positive` holds answer labels (matched normalised and casefolded); None takes the
    default of the detected scale. `dont_know` replaces the don't-know labels used at import
    (e.g. to count "Ikke relevant" as an answer again).
    """
    try:
        question = survey.question(question_id)
    except KeyError as exc:
        raise MeasureError(str(exc.args[0])) from None
    return measure_question(question, positive, dont_know=dont_know, threshold=threshold)


def measure_question(
    question: Question,
    positive: set[str] | Sequence[str] | None = None,
    *,
    dont_know: Iterable[str] | None = None,
    threshold: int = DEFAULT_THRESHOLD,
) -> ShareResult:
    """:func:`measure` for a question already at hand."""
    answers = {match_key(a.label): a for a in question.answers}
    dk_answers = {match_key(a.label): a for a in question.dont_know_answers}
    if dont_know is not None and not question.multi:
        dk_keys = {match_key(label) for label in dont_know}
        pool = {**answers, **dk_answers}
        answers = {k: a for k, a in pool.items() if k not in dk_keys}
        dk_answers = {k: a for k, a in pool.items() if k in dk_keys}
    if positive is not None:
        pos_keys = tuple(match_key(p) for p in positive)
    else:
        pos_keys = default_positive(question)
    known = set(answers) | set(dk_answers)
    if question.scale:
        known |= set(_scale_keys(question.scale))
    unmatched = tuple(p for p in (positive or ()) if match_key(p) not in known)
    if question.multi:
        numerator = sum(
            s.count for s in question.selections if any(match_key(x) in pos_keys for x in s.labels)
        )
        denominator = question.answered
        dk_count = question.dont_know
    else:
        numerator = sum(a.count for k, a in answers.items() if k in pos_keys)
        denominator = sum(a.count for a in answers.values())
        dk_count = sum(a.count for a in dk_answers.values())
    labels = tuple(answers[k].label if k in answers else k for k in pos_keys)
    return ShareResult(
        question_id=question.id,
        numerator=numerator,
        denominator=denominator,
        dont_know=dk_count,
        blank=question.blank,
        too_few=denominator < threshold,
        threshold=threshold,
        positive=labels,
        scale=question.scale,
        unmatched_positive=unmatched,
    )


def _scale_keys(scale_id: str) -> tuple[str, ...]:
    from xlgoals.survey.tabulate import scale_labels

    return scale_labels(scale_id)


# --- question ↔ target suggestions -----------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """A question that may measure a target; `apply` is False below the threshold."""

    question_id: str
    text: str
    confidence: float
    apply: bool


@cache
def _stopwords() -> frozenset[str]:
    words = tools_spec()["suggestions"]["stopwords"]
    return frozenset(match_key(w) for ws in words.values() for w in ws)


def _stems(text: str) -> set[str]:
    length = tools_spec()["suggestions"]["stem_length"]
    words = re.findall(r"[^\W\d_]+", match_key(text))
    return {w[:length] for w in words if w not in _stopwords() and len(w) > 1}


def similarity(subject: str, question_text: str) -> float:
    """0–1: word-stem overlap (Dice) weighted 0.7, difflib ratio of the texts 0.3."""
    a, b = _stems(subject), _stems(question_text)
    dice = 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0
    ratio = difflib.SequenceMatcher(None, match_key(subject), match_key(question_text)).ratio()
    return round(0.7 * dice + 0.3 * ratio, 3)


def suggest_questions(
    subject: str,
    questions: Sequence[Question],
    *,
    threshold: float | None = None,
    limit: int = 3,
) -> list[Suggestion]:
    """Best-matching questions for a target's subject, with a confidence.

    Only the best suggestion can have `apply=True`: at or above the threshold and clearly
    ahead of the runner-up. Everything else is shown to the leader, never applied.
    """
    spec = tools_spec()["suggestions"]
    limit_conf = spec["apply_threshold"] if threshold is None else threshold
    scored = sorted(
        ((similarity(subject, q.text), q) for q in questions), key=lambda sq: (-sq[0], sq[1].id)
    )[:limit]
    out: list[Suggestion] = []
    for rank, (score, question) in enumerate(scored):
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        clear = score - runner_up >= spec["ambiguity_margin"]
        apply = rank == 0 and score >= limit_conf and clear
        out.append(Suggestion(question.id, question.text, score, apply))
    return out


def choose_question(
    subject: str,
    survey: SurveyData,
    explicit: str | None = None,
    *,
    threshold: float | None = None,
) -> tuple[str | None, str, list[Suggestion]]:
    """(question id or None, 'explicit' | 'suggested' | 'none', suggestions to show).

    The measurement-plan sheet's explicit choice always wins; a suggestion is used only
    when it clears the threshold.
    """
    suggestions = suggest_questions(subject, survey.questions, threshold=threshold)
    if explicit:
        return survey.question(explicit).id, "explicit", suggestions
    if suggestions and suggestions[0].apply:
        return suggestions[0].question_id, "suggested", suggestions
    return None, "none", suggestions


def positive_from_cell(value: object) -> list[str] | None:
    """The positive answers a leader typed in the measurement plan ('Helt enig; Enig' or one
    per line); None for an empty cell, which means the scale's default."""
    text = cell_text(value).lstrip("'")
    parts = [p.strip() for p in re.split(r"[;\n]", text)]
    labels = [p for p in parts if p]
    return labels or None


def positive_to_cell(labels: Sequence[str]) -> str:
    """The positive answers as one measurement-plan cell, safe from formula interpretation."""
    return as_text_cell("; ".join(labels))


def dont_know_labels() -> list[str]:
    """The default don't-know labels (data/likert_da.json)."""
    return list(likert_spec()["dont_know"])
