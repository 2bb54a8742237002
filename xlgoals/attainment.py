"""Measurements, attainment per target and the roll-up to the political goal (core).

Every figure here can be checked by hand: comparisons are exact (fractions, never floats:
41/50 = 82 % meets 80 %, 0.7995 does not), each status names the rule that gave it, and
each rolled-up number lists the children and weights it came from.

Statuses, worst first (the order used by worst-of):
    not_met < behind < stale < not_measured < no_target < in_progress < on_track < met
"Stale beats green": a measurement older than `max_age_days` can never show met or on track.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from fractions import Fraction
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from xlgoals.criteria import fill_targets
from xlgoals.model import ActionGoal, Comparator, Plan, Target

__all__ = [
    "Measurement",
    "NodeResult",
    "Rollup",
    "Status",
    "TargetResult",
    "assess_target",
    "describe_target",
    "parse_measurements",
    "render_rollup_text",
    "rollup",
    "rollup_to_json",
    "target_key",
]

DEFAULT_MAX_AGE_DAYS = 365


class Status(StrEnum):
    NOT_MET = "not_met"
    BEHIND = "behind"
    STALE = "stale"
    NOT_MEASURED = "not_measured"
    NO_TARGET = "no_target"
    IN_PROGRESS = "in_progress"
    ON_TRACK = "on_track"
    MET = "met"

    @property
    def rank(self) -> int:
        """0 is worst; worst-of takes the lowest rank."""
        return _STATUS_RANK[self]


_STATUS_RANK: dict[Status, int] = {status: index for index, status in enumerate(Status)}
_STATUS_VALUES: tuple[tuple[Status, str], ...] = tuple((status, status.value) for status in Status)


def _worst(statuses: Iterable[Status]) -> Status:
    """The worst status (lowest rank); the first of equals, like min()."""
    return min(statuses, key=_STATUS_RANK.__getitem__)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Measurement(_Model):
    """One measured value for one target, in the target's unit (80 % is 80).

    For shares give `numerator`/`denominator` (41 of 50 positive answers) so the comparison
    is exact; `value` is then derived. `n` is the number of valid answers (defaults to the
    denominator).
    """

    value: float | None = None
    numerator: int | None = None
    denominator: int | None = None
    n: int | None = None
    date: dt.date
    source: str = ""

    @model_validator(mode="after")
    def _check(self) -> Measurement:
        if self.numerator is not None or self.denominator is not None:
            if self.numerator is None or not self.denominator or self.denominator < 0:
                raise ValueError("a share needs a numerator and a positive denominator")
            if self.value is None:
                self.value = float(self.exact())
            if self.n is None:
                self.n = self.denominator
        elif self.value is None:
            raise ValueError("a measurement needs a value or a numerator/denominator")
        return self

    def exact(self) -> Fraction:
        """The measured value as an exact fraction (shares in percent: 41/50 → 82)."""
        return _measured_fraction(self.numerator, self.denominator, self.value)


@lru_cache(maxsize=4096)
def _measured_fraction(
    numerator: int | None, denominator: int | None, value: float | None
) -> Fraction:
    """Measurement.exact, remembered (equal inputs give equal fractions, -0.0 included)."""
    if numerator is not None and denominator:
        return Fraction(numerator * 100, denominator)
    return Fraction(str(value))


class TargetResult(_Model):
    key: str
    index: int
    """1-based position of the target in its criterion cell."""
    target: Target
    status: Status
    rule: str
    """Which rule decided the status: no_measurement, met, deadline_passed, linear, …"""
    progress: float | None = None
    """0–100 (%), rounded to 0.1."""
    measured: float | None = None
    expected: float | None = None
    measurement: Measurement | None = None
    age_days: int | None = None
    explanation: dict[str, str] = Field(default_factory=dict)


Level = Literal["plan", "political_goal", "sub_goal", "action_goal"]


class NodeResult(_Model):
    level: Level
    id: str
    title: str = ""
    sheet: str | None = None
    cell: str | None = None
    status: Status
    progress: float | None = None
    weight: float = 1.0
    counts: dict[str, int] = Field(default_factory=dict)
    """Statuses of the direct children (targets for an action goal)."""
    target_counts: dict[str, int] = Field(default_factory=dict)
    """Statuses of every target below this node."""
    children: list[NodeResult] = Field(default_factory=list)
    targets: list[TargetResult] = Field(default_factory=list)
    explanation: dict[str, str] = Field(default_factory=dict)


class Rollup(_Model):
    today: dt.date
    max_age_days: int
    root: NodeResult


@cache
def labels() -> dict[str, Any]:
    """Status names and explanation templates in Danish and English."""
    raw = resources.files("xlgoals.data").joinpath("attainment_labels.json").read_text("utf-8")
    return json.loads(raw)


def _status_label(status: Status, lang: str) -> str:
    return _status_names(lang)[status]


@cache
def _status_names(lang: str) -> dict[Status, str]:
    """Status → its name in `lang` (looked up thousands of times per roll-up)."""
    return {status: labels()["status"][status.value][lang] for status in Status}


def _text(key: str, lang: str, **values: object) -> str:
    return labels()["text"][key][lang].format(**values)


def target_key(action_goal_id: str, index: int) -> str:
    """Stable key of a target: '1.1.1#1' is the first target of action goal 1.1.1."""
    return f"{action_goal_id}#{index}"


# ---------------------------------------------------------------------- number formatting


_CACHE_LIMIT = 20_000
"""Entries a text cache may hold before it starts again (a long-lived add-in process)."""

_NUM_TEXTS: dict[tuple[float, str], str] = {}
"""_num of non-zero floats (a roll-up formats the same few values thousands of times)."""


def _num(value: Fraction | float, lang: str) -> str:
    """80 → '80', 82.5 → '82,5' (da) / '82.5' (en); at most one decimal, never '80,0'."""
    if type(value) is float:
        if not value:  # 0.0 and -0.0 are equal keys but print differently
            return "-0" if math.copysign(1.0, value) < 0 else "0"
        key = (value, lang)
        text = _NUM_TEXTS.get(key)
        if text is None:
            if len(_NUM_TEXTS) > _CACHE_LIMIT:
                _NUM_TEXTS.clear()
            text = _NUM_TEXTS[key] = _format_num(value, lang)
        return text
    return _format_num(value, lang)


def _format_num(value: Fraction | float, lang: str) -> str:
    rounded = round(float(value), 1)
    text = f"{rounded:.1f}".removesuffix(".0")
    return text.replace(".", ",") if lang == "da" else text


def _unit_label(unit: str, lang: str) -> str:
    entry = labels()["unit"].get(unit)
    return entry[lang] if entry else unit


def _quantity(value: Fraction | float, unit: str, lang: str) -> str:
    label = _unit_label(unit, lang)
    if not label:
        return _num(value, lang)
    return f"{_num(value, lang)} {label}"


def _date(value: dt.date | None, lang: str) -> str:
    if value is None:
        return "–"
    if lang != "da":
        return value.isoformat()
    if value.year >= 1000:  # what strftime gives, without its cost
        return f"{value.day:02d}-{value.month:02d}-{value.year}"
    return value.strftime("%d-%m-%Y")


def describe_target(target: Target, lang: str = "da", *, timing: bool = True) -> str:
    """'≥ 80 % senest 31-12-2015' — the target as a leader would say it."""
    key = (_target_fields(target), lang, timing)
    text = _TARGET_TEXTS.get(key)
    if text is None:
        if len(_TARGET_TEXTS) > _CACHE_LIMIT:
            _TARGET_TEXTS.clear()
        text = _TARGET_TEXTS[key] = _describe_target(target, lang, timing)
    return text


_TARGET_TEXTS: dict[tuple[Any, ...], str] = {}
"""describe_target by the fields it reads: rules, sheets and explanations repeat it."""


def _target_fields(target: Target) -> tuple[Any, ...]:
    """What describe_target reads, as a key; a zero's sign included (-0.0 prints '-0')."""
    value, value_max = target.value, target.value_max
    signs = None
    if not value or value_max == 0:
        signs = (math.copysign(1.0, value), math.copysign(1.0, value_max or 1.0))
    return (
        target.comparator,
        value,
        value_max,
        target.unit,
        target.deadline,
        target.horizon,
        signs,
    )


def _describe_target(target: Target, lang: str, timing: bool) -> str:
    symbol = {"==": "=", ">=": "≥", "<=": "≤"}.get(target.comparator.value, target.comparator.value)
    if target.value_max is not None:
        amount = f"{_num(target.value, lang)}–{_quantity(target.value_max, target.unit, lang)}"
    else:
        amount = f"{symbol} {_quantity(target.value, target.unit, lang)}"
    if not timing:
        return amount
    if target.deadline is not None:
        return f"{amount} {_text('by', lang)} {_date(target.deadline, lang)}"
    if target.horizon.value == "long_term":
        return f"{amount} {_text('long_term', lang)}"
    return f"{amount} ({_text('no_timing', lang)})"


# ---------------------------------------------------------------------- one target


@lru_cache(maxsize=4096)
def _exact(number: float) -> Fraction:
    """A written target number as the fraction it stands for (66.666… from "2 ud af 3" → 200/3).

    Targets are short decimals or simple fractions, so the nearest fraction with a
    denominator up to a million is the one meant; 79.95 stays 1599/20. (Cached: equal
    floats, -0.0 and 0.0 included, give equal fractions.)
    """
    return Fraction(str(number)).limit_denominator(1_000_000)


def _meets(target: Target, measured: Fraction) -> bool:
    value = _exact(target.value)
    if target.value_max is not None:
        return value <= measured <= _exact(target.value_max)
    comparator = target.comparator
    if comparator == Comparator.GE:
        return measured >= value
    if comparator == Comparator.GT:
        return measured > value
    if comparator == Comparator.LE:
        return measured <= value
    if comparator == Comparator.LT:
        return measured < value
    return measured == value


def _lower_is_better(target: Target) -> bool:
    return target.comparator in (Comparator.LE, Comparator.LT)


def _progress(
    target: Target, measured: Fraction, met: bool
) -> tuple[Fraction, str, dict[str, Fraction]]:
    """Progress as a fraction 0..1, the key of the sentence that shows how it was
    computed, and the numbers that sentence shows (formatted per language by
    `_progress_sentence`, so the arithmetic is done once for both languages)."""
    value = _exact(target.value)
    if met:
        return Fraction(1), "t_progress_met", {}
    if target.baseline is not None and _exact(target.baseline.value) != value:
        base = _exact(target.baseline.value)
        share = (measured - base) / (value - base)
        share = min(max(share, Fraction(0)), Fraction(1))
        numbers = {"measured": measured, "value": value, "baseline": base}
        return share, "t_progress_baseline", {**numbers, "progress": share * 100}
    if target.value_max is not None and measured > _exact(target.value_max):
        upper = _exact(target.value_max)
        share = upper / measured
        numbers = {"measured": measured, "value": upper, "progress": share * 100}
        return share, "t_progress_down", numbers
    if _lower_is_better(target) or (target.comparator == Comparator.EQ and value == 0):
        if measured <= 0 or value <= 0:
            return Fraction(0), "t_progress_zero", {}
        share = min(value / measured, Fraction(1))
        numbers = {"measured": measured, "value": value, "progress": share * 100}
        return share, "t_progress_down", numbers
    if value <= 0:
        return Fraction(0), "t_progress_zero", {}
    share = min(max(measured / value, Fraction(0)), Fraction(1))
    return share, "t_progress_up", {"measured": measured, "value": value, "progress": share * 100}


def _progress_sentence(key: str, numbers: dict[str, Fraction], lang: str) -> str:
    """The progress sentence in `lang`; the progress itself in percent ('82 %')."""
    args = {name: _num(number, lang) for name, number in numbers.items()}
    if "progress" in args:
        args["progress"] += " %"
    return _text(key, lang, **args)


@lru_cache(maxsize=4096)
def _decimal(number: float) -> Fraction:
    """A progress or weight as the decimal it prints as (82.5 → 165/2), exactly."""
    return Fraction(str(number))


def _weighted_mean(pairs: Sequence[tuple[float, float]]) -> float | None:
    """Weighted mean of (progress, weight) pairs rounded half up to one decimal; None
    without pairs or weight.

    Exact: every value is read as the decimal it prints as. When all weights are 1 and
    all progress values are whole tenths (as every rounded progress is), the mean is
    computed on integer tenths, which gives the same result as the fractions.
    """
    if not pairs:
        return None
    tenths = 0
    for progress, weight in pairs:
        whole = _whole_tenths(progress)
        if whole is None or weight != 1.0:
            break
        tenths += whole
    else:
        count = len(pairs)
        # floor(tenths / count + 1/2), i.e. round1 of the mean; k / 10 is the same float
        # as float(Fraction(k, 10)) (both are correctly rounded).
        return ((2 * tenths + count) // (2 * count)) / 10
    counted = [(_decimal(p), _decimal(w)) for p, w in pairs]
    total_weight = sum((w for _, w in counted), Fraction(0))
    if total_weight > 0:
        return round1(sum(p * w for p, w in counted) / total_weight)
    return None


@lru_cache(maxsize=4096)
def _whole_tenths(number: float) -> int | None:
    """82.5 → 825 when the number is a whole count of tenths as printed, else None."""
    tenths = _decimal(number) * 10
    return tenths.numerator if tenths.denominator == 1 else None


def round1(value: Fraction) -> float:
    """Round half up to one decimal, exactly (means are of the shown child values)."""
    tenths = (value * 10 + Fraction(1, 2)).__floor__()
    return float(Fraction(tenths, 10))


def _start_of_path(target: Target, plan_start: dt.date | None) -> dt.date | None:
    """Where the straight line from baseline to target starts: end of the baseline year."""
    if target.baseline is None:
        return None
    if target.baseline.year is not None:
        return dt.date(target.baseline.year, 12, 31)
    return plan_start


def latest_measurement(
    measurements: Measurement | Sequence[Measurement] | None, today: dt.date
) -> Measurement | None:
    """The measurement that counts: the latest on or before `today`."""
    if measurements is None:
        return None
    items = [measurements] if isinstance(measurements, Measurement) else list(measurements)
    usable = [m for m in items if m.date <= today]  # a measurement from the future is a typo
    return max(usable, key=lambda m: m.date) if usable else None


def assess_target(
    target: Target,
    measurements: Measurement | Sequence[Measurement] | None,
    today: dt.date,
    *,
    key: str = "",
    index: int = 1,
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
    plan_start: dt.date | None = None,
) -> TargetResult:
    """Attainment of one target from its latest measurement on or before `today`."""
    measurement = latest_measurement(measurements, today)
    if measurement is None:
        fields = _target_fields(target)
        explanation = _NOT_MEASURED.get(fields)  # validation below copies the dict
        if explanation is None:
            if len(_NOT_MEASURED) > _CACHE_LIMIT:
                _NOT_MEASURED.clear()
            explanation = _NOT_MEASURED[fields] = {
                lang: _text("t_not_measured", lang, target=describe_target(target, lang))
                for lang in ("da", "en")
            }
        return TargetResult(
            key=key,
            index=index,
            target=target,
            status=Status.NOT_MEASURED,
            rule="no_measurement",
            progress=0.0,
            explanation=explanation,
        )
    measured = measurement.exact()
    met = _meets(target, measured)
    age = (today - measurement.date).days
    expected: Fraction | None = None
    start = _start_of_path(target, plan_start)
    if met:
        status, rule = Status.MET, "met"
    elif target.deadline is not None and today > target.deadline:
        status, rule = Status.NOT_MET, "deadline_passed"
    elif target.deadline is not None and start is not None and start < target.deadline:
        base = _exact(target.baseline.value) if target.baseline else Fraction(0)
        span = (target.deadline - start).days
        elapsed = min(max((measurement.date - start).days, 0), span)
        expected = base + (_exact(target.value) - base) * Fraction(elapsed, span)
        upward = _exact(target.value) >= base
        ahead = measured >= expected if upward else measured <= expected
        status, rule = (Status.ON_TRACK if ahead else Status.BEHIND), "linear"
    else:
        status, rule = Status.IN_PROGRESS, "no_path"
    base_status = status
    explanation: dict[str, str] = {}
    if age > max_age_days and _STATUS_RANK[status] > _STATUS_RANK[Status.STALE]:
        status, rule = Status.STALE, "stale"
    share, progress_key, progress_numbers = _progress(target, measured, met)
    for lang in ("da", "en"):
        shown = _measured_text(measurement, target, lang)
        values = {
            "measured": shown,
            "target": describe_target(target, lang),
            "deadline": _date(target.deadline, lang),
            "date": _date(measurement.date, lang),
            "value": _quantity(target.value, target.unit, lang),
        }
        if status == Status.STALE:
            sentence = _text(
                "t_stale",
                lang,
                age=age,
                days=max_age_days,
                base=_status_label(base_status, lang),
                **values,
            )
        elif rule == "linear":
            baseline = target.baseline.value if target.baseline else 0
            sentence = _text(
                f"t_{status.value}",
                lang,
                expected=_quantity(expected or 0, target.unit, lang),
                baseline=_quantity(baseline, target.unit, lang),
                start=_date(start, lang),
                **values,
            )
        else:
            sentence = _text(f"t_{base_status.value}", lang, **values)
        explanation[lang] = f"{sentence} {_progress_sentence(progress_key, progress_numbers, lang)}"
    return TargetResult(
        key=key,
        index=index,
        target=target,
        status=status,
        rule=rule,
        progress=round1(share * 100),
        measured=float(measured),
        expected=None if expected is None else round(float(expected), 4),
        measurement=measurement,
        age_days=age,
        explanation=explanation,
    )


_NOT_MEASURED: dict[tuple[Any, ...], dict[str, str]] = {}
"""The explanations of an unmeasured target, by the target's described fields."""


def _measured_text(
    measurement: Measurement, target: Target, lang: str, *, dated: bool = False
) -> str:
    """'82 % (41/50)' — with the date and source when `dated`."""
    details = []
    if measurement.numerator is not None:
        details.append(f"{measurement.numerator}/{measurement.denominator}")
    elif measurement.n is not None:
        details.append(f"n={measurement.n}")
    if dated:
        details.append(_date(measurement.date, lang))
        if measurement.source:
            details.append(measurement.source)
    text = _quantity(measurement.exact(), target.unit, lang)
    return f"{text} ({', '.join(details)})" if details else text


def parse_measurements(data: Mapping[str, Any]) -> dict[str, list[Measurement]]:
    """Measurements from plain data ({"1.1.1#1": [{"numerator": 41, "denominator": 50,
    "date": "2015-11-30", "source": "…"}], …}); one dict or a list per key.

    Raises ValueError naming the key and the problem, never a bare validation trace.
    """
    if not isinstance(data, Mapping):
        raise ValueError("measurements must be an object mapping target keys to measurements")
    out: dict[str, list[Measurement]] = {}
    for key, raw in data.items():
        if not re.fullmatch(r".+#\d+", str(key)):
            raise ValueError(f"measurement key {key!r} is not a target key like '1.1.1#1'")
        items = raw if isinstance(raw, list) else [raw]
        parsed = []
        for number, item in enumerate(items, start=1):
            try:
                parsed.append(Measurement.model_validate(item))
            except ValidationError as error:
                problems = "; ".join(
                    f"{'.'.join(str(p) for p in e['loc']) or 'value'}: {e['msg']}"
                    for e in error.errors()
                )
                raise ValueError(f"measurement {number} of {key}: {problems}") from None
        out[str(key)] = parsed
    return out


# ---------------------------------------------------------------------- roll-up


def _counts(statuses: Sequence[Status]) -> dict[str, int]:
    """How many of each status, in `Status` order (worst first), zeros left out."""
    hits: dict[Status, int] = {}
    for status in statuses:
        hits[status] = hits.get(status, 0) + 1
    return {value: hits[s] for s, value in _STATUS_VALUES if s in hits}


def _merge_counts(parts: Sequence[dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for part in parts:
        for key, count in part.items():
            total[key] = total.get(key, 0) + count
    return {value: total[value] for _, value in _STATUS_VALUES if value in total}


def _node_explanation(
    level: Level,
    status: Status,
    progress: float | None,
    items: Sequence[tuple[str, Status, float | None, float]],
) -> dict[str, str]:
    """'Status bagud = the worst of 2 handlemål (1.1.1: opfyldt, 1.1.2: bagud). Progress …'."""
    out = {}
    counted = [(name, p, w) for name, _, p, w in items if p is not None]
    left_out = [name for name, _, p, _ in items if p is None]
    for lang in ("da", "en"):
        children = labels()["children"][level][lang]
        names = _status_names(lang)
        if not items:
            first = _text("worst_of_none", lang, status=names[status], children=children)
        else:
            listing = ", ".join([f"{name}: {names[s]}" for name, s, _, _ in items])
            first = _text(
                "worst_of",
                lang,
                status=names[status],
                count=len(items),
                children=children,
                list=listing,
            )
        if counted and progress is not None:
            terms = " + ".join([f"{_num(p, lang)} % × {_num(w, lang)}" for _, p, w in counted])
            weights = _num(sum(w for _, _, w in counted), lang)
            second = _text(
                "mean", lang, progress=f"{_num(progress, lang)} %", terms=terms, weights=weights
            )
        else:
            second = _text("no_mean", lang)
        if left_out:
            second += " " + _text("mean_excluded", lang, list=", ".join(left_out))
        out[lang] = f"{first} {second}"
    return out


def _combine(
    level: Level,
    node_id: str,
    title: str,
    children: list[NodeResult],
    *,
    weight: float = 1.0,
    sheet: str | None = None,
    cell: str | None = None,
) -> NodeResult:
    """Worst-of status, weighted mean progress and counts of a node from its children."""
    status = _worst(c.status for c in children) if children else Status.NO_TARGET
    progress = _weighted_mean([(c.progress, c.weight) for c in children if c.progress is not None])
    items = [(c.id or c.title, c.status, c.progress, c.weight) for c in children]
    return NodeResult(
        level=level,
        id=node_id,
        title=title,
        sheet=sheet,
        cell=cell,
        status=status,
        progress=progress,
        weight=weight,
        counts=_counts([c.status for c in children]),
        target_counts=_merge_counts([c.target_counts for c in children]),
        children=children,
        explanation=_node_explanation(level, status, progress, items),
    )


MeasurementMap = Mapping[str, Measurement | Sequence[Measurement]]


def _action_goal_node(
    goal: ActionGoal,
    measurements: MeasurementMap,
    today: dt.date,
    max_age_days: int,
    plan_start: dt.date | None,
) -> NodeResult:
    results = [
        assess_target(
            target,
            measurements.get(target_key(goal.id, index)),
            today,
            key=target_key(goal.id, index),
            index=index,
            max_age_days=max_age_days,
            plan_start=plan_start,
        )
        for index, target in enumerate(goal.targets, start=1)
    ]
    if results:
        status = _worst(r.status for r in results)
        progress = _weighted_mean([(r.progress or 0.0, 1.0) for r in results])
    else:
        status, progress = Status.NO_TARGET, None
    items = tuple((f"#{r.index}", r.status, r.progress, 1.0) for r in results)
    # Action goals share few explanations (all targets unmeasured, say): build each once.
    # Progress values here are rounded results, never -0.0, so equal keys print the same.
    key = (status, progress, items)
    explanation = _GOAL_EXPLANATIONS.get(key)
    if explanation is None:
        if len(_GOAL_EXPLANATIONS) > _CACHE_LIMIT:
            _GOAL_EXPLANATIONS.clear()
        explanation = _node_explanation("action_goal", status, progress, items)
        _GOAL_EXPLANATIONS[key] = explanation
    statuses = [r.status for r in results]
    counts = _counts(statuses)
    return NodeResult(
        level="action_goal",
        id=goal.id,
        title=_short_title(goal.action.text, goal.id),
        sheet=goal.criteria.sheet,
        cell=goal.criteria.cell,
        status=status,
        progress=progress,
        weight=goal.weight if goal.weight is not None else 1.0,
        counts=counts,
        target_counts=dict(counts) or {Status.NO_TARGET.value: 1},
        targets=results,
        explanation=explanation,  # validation copies the dict: the cached one stays as is
    )


_GOAL_EXPLANATIONS: dict[tuple[Any, ...], dict[str, str]] = {}


def _short_title(text: str, goal_id: str) -> str:
    """The action-goal text without its leading '…' and '(1.1.1.)', cut to one line.

    Plain string steps (no pattern per goal ID): after the split/join the only
    whitespace left is single spaces.
    """
    text = " ".join(text.split()).lstrip(".… ")
    start = 1 if text.startswith("(") and text.startswith(goal_id, 1) else 0
    if text.startswith(goal_id, start):
        end = start + len(goal_id)
        end += text.startswith(".", end)
        end += text.startswith(")", end)
        text = text[end:].lstrip()
    return _cut(text)


def _cut(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def rollup(
    plan: Plan,
    measurements: MeasurementMap,
    today: dt.date,
    *,
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
    fill_targets_first: bool = True,
) -> Rollup:
    """Attainment of every target, rolled up: action goal ← sub-goal ← political goal ← plan.

    `measurements` maps `target_key(action_goal_id, index)` to one measurement or several
    (the latest on or before `today` counts). Action goals without `targets` get them from
    their criterion text (`xlgoals.criteria.fill_targets`), unless the caller has already
    parsed every criterion (`fill_targets_first=False`, as the engine does). Linear
    expectations need a baseline; one without a year starts at 1 January of
    `plan.plan_year`.
    """
    if fill_targets_first:
        plan = fill_targets(plan)  # goals read from a workbook carry only their text
    plan_start = dt.date(plan.plan_year, 1, 1) if plan.plan_year else None

    def goal_node(goal: ActionGoal) -> NodeResult:
        return _action_goal_node(goal, measurements, today, max_age_days, plan_start)

    political = []
    for pg in plan.political_goals:
        subs = [
            _combine(
                "sub_goal",
                sg.id,
                sg.title,
                [goal_node(ag) for ag in sg.action_goals],
                sheet=sg.sheet,
                cell=sg.cell,
            )
            for sg in pg.sub_goals
        ]
        political.append(
            _combine("political_goal", pg.id, pg.title, subs, sheet=pg.sheet, cell=pg.cell)
        )
    if plan.orphan_action_goals:
        orphans = _combine(
            "sub_goal",
            "",
            _text("orphans", "da"),
            [goal_node(ag) for ag in plan.orphan_action_goals],
        )
        political.append(_combine("political_goal", "", _text("orphans", "da"), [orphans]))
    root = _combine("plan", "", "", political)
    return Rollup(today=today, max_age_days=max_age_days, root=root)


def rollup_to_json(result: Rollup) -> dict[str, Any]:
    """The roll-up as plain JSON data (dates as ISO strings, statuses as their codes)."""
    return result.model_dump(mode="json")


# ---------------------------------------------------------------------- text tree


def _counts_text(counts: dict[str, int], lang: str) -> str:
    if not counts:
        return _text("no_children", lang)
    return ", ".join(f"{n} {_status_label(Status(k), lang)}" for k, n in counts.items())


def _progress_text(progress: float | None, lang: str) -> str:
    if progress is None:
        return _text("no_progress", lang)
    return f"{_text('progress', lang)} {_num(progress, lang)} %"


def _node_line(node: NodeResult, lang: str) -> str:
    level = labels()["level"][node.level][lang]
    name = " ".join(part for part in (level, node.id) if part)
    if node.title:
        name += f": {_cut(node.title)}"
    children = labels()["children"][node.level][lang]
    status = _status_label(node.status, lang).upper()
    counts = _counts_text(node.counts, lang)
    return f"{name} — {status} · {_progress_text(node.progress, lang)} · {children}: {counts}"


def _target_line(result: TargetResult, lang: str) -> str:
    status = _status_label(result.status, lang).upper()
    head = f"{labels()['level']['target'][lang].capitalize()} {result.index}: "
    head += describe_target(result.target, lang)
    if result.measurement is not None:
        measured = _measured_text(result.measurement, result.target, lang, dated=True)
        head += f" · {_text('measured', lang)} {measured}"
    else:
        head += f" · {_text('not_measured', lang)}"
    return f"{head} — {status}"


def render_rollup_text(result: Rollup, lang: str = "da", *, explain: bool = True) -> str:
    """The roll-up as an indented tree a leader reads without help ('da' or 'en').

    With `explain`, every line is followed by how its status and progress were computed.
    """
    if lang not in ("da", "en"):
        raise ValueError(f"unknown language {lang!r}: use 'da' or 'en'")
    lines = [_text("title", lang, today=_date(result.today, lang), days=result.max_age_days)]
    lines.append(_node_line(result.root, lang))
    if explain:
        lines.append("  " + result.root.explanation[lang])

    def walk(node: NodeResult, depth: int) -> None:
        pad = "  " * depth
        lines.append(pad + _node_line(node, lang))
        if explain:
            lines.append(pad + "  " + node.explanation[lang])
        for target in node.targets:
            lines.append(pad + "    " + _target_line(target, lang))
            if explain:
                lines.append(pad + "      " + target.explanation[lang])
        for child in node.children:
            walk(child, depth + 1)

    for child in result.root.children:
        walk(child, 0)
    return "\n".join(lines) + "\n"
