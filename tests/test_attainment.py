"""Attainment per target and the roll-up, checked against hand computations."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from pydantic import ValidationError

from xlgoals.attainment import (
    Measurement,
    Status,
    assess_target,
    render_rollup_text,
    rollup,
    rollup_to_json,
    target_key,
)
from xlgoals.criteria import parse_targets
from xlgoals.model import ActionGoal, CellText, Plan, PoliticalGoal, SubGoal, Target

SEED_111 = (
    "… der ved udgangen af 2015 er mindst 80 % af medlemmerne i kompetenceteamene, der "
    "mener, at børnepolitikkens værdier og intentioner er forankret. På længere sigt 95 %."
)
SEED_112 = (
    "… der ved udgangen af 2015 er mindst 60 %, der mener, at der i høj grad er en fælles "
    "opfattelse af, hvornår der er grund til bekymring og at 95 % mener, at der er fælles "
    "redskaber til at understøtte arbejdet."
)
NOV_2015 = dt.date(2015, 11, 30)


def _goal(goal_id: str, row: int, criteria: str, weight: float | None = None) -> ActionGoal:
    def cell(column: str, text: str = "") -> CellText:
        return CellText(text=text, sheet="Matrix", cell=f"{column}{row}")

    return ActionGoal(
        id=goal_id,
        sheet="Matrix",
        row=row,
        action=cell("C", f"handlemål {goal_id}"),
        criteria=cell("D", criteria),
        evaluation=cell("E", "Spørgeskema"),
        timeplan=cell("F"),
        owner_text=cell("G"),
        weight=weight,
        targets=parse_targets(criteria),
    )


def _seed_plan() -> Plan:
    sub_11 = SubGoal(
        id="1.1",
        title="Børne- og familiesyn",
        action_goals=[_goal("1.1.1", 5, SEED_111), _goal("1.1.2", 6, SEED_112)],
    )
    sub_12 = SubGoal(id="1.2", title="Inddrage forældrene")
    return Plan(
        political_goals=[
            PoliticalGoal(
                id="1", title="Den helhedsorienterede indsats", sub_goals=[sub_11, sub_12]
            )
        ]
    )


def _share(numerator: int, denominator: int, date: dt.date = NOV_2015) -> Measurement:
    return Measurement(numerator=numerator, denominator=denominator, date=date, source="survey")


def _target(text: str) -> Target:
    (target,) = parse_targets(text)
    return target


# ---------------------------------------------------------------------- one target


def test_exact_share_comparison():
    target = _target("Mindst 80 % af lederne er uddannet.")
    today = dt.date(2016, 1, 1)
    # 7995/10000 prints as "80 %" but is 79.95 %: not met. 4/5 is exactly 80 %: met.
    assert assess_target(target, _share(7995, 10000, today), today).status == Status.IN_PROGRESS
    assert assess_target(target, _share(4, 5, today), today).status == Status.MET
    assert assess_target(target, Measurement(value=79.95, date=today), today).status != Status.MET
    assert _share(7995, 10000).exact() * 100 != 8000


def test_not_met_after_deadline_and_not_measured():
    target = _target("Mindst 80 % af lederne er uddannet ved udgangen af 2015.")
    late = assess_target(target, _share(39, 50), dt.date(2016, 1, 4))
    assert (late.status, late.rule) == (Status.NOT_MET, "deadline_passed")
    # Hand computation: progress = 78 / 80 = 97.5 %.
    assert late.progress == 97.5
    silent = assess_target(target, None, dt.date(2016, 1, 4))
    assert (silent.status, silent.progress) == (Status.NOT_MEASURED, 0.0)


def test_linear_on_track_and_behind():
    target = _target("Andelen, der trives, stiger fra 40 % i 2023 til mindst 55 % i 2027.")
    # Line from 40 % on 2023-12-31 to 55 % on 2027-12-31: 1461 days (2024 is a leap year).
    # Measured 2025-12-31, 731 days in: expected = 40 + 15 × 731/1461 = 47.505… %.
    when = dt.date(2025, 12, 31)
    ahead = assess_target(target, Measurement(value=48, date=when), when)
    assert (ahead.status, ahead.rule) == (Status.ON_TRACK, "linear")
    assert ahead.expected == pytest.approx(47.5051, abs=1e-4)
    # Progress = (48 − 40) / (55 − 40) = 8/15 = 53.33… → 53.3 %.
    assert ahead.progress == 53.3
    behind = assess_target(target, Measurement(value=47, date=when), when)
    assert behind.status == Status.BEHIND


def test_linear_downward_target():
    target = _target("Sygefraværet nedbringes fra 6 % i 2024 til 4 % i 2026.")
    assert target.comparator.value == "<="
    # Line 6 % (2024-12-31) → 4 % (2026-12-31), 730 days; on 2025-12-31 (365 days): expected 5 %.
    when = dt.date(2025, 12, 31)
    assert assess_target(target, Measurement(value=5, date=when), when).status == Status.ON_TRACK
    assert assess_target(target, Measurement(value=5.1, date=when), when).status == Status.BEHIND


def test_stale_beats_green_but_not_red():
    target = _target("Mindst 80 % af lederne er uddannet senest 2030.")
    old = _share(45, 50, dt.date(2024, 6, 1))
    today = dt.date(2025, 7, 1)  # 395 days later
    result = assess_target(target, old, today)
    assert (result.status, result.age_days) == (Status.STALE, 395)
    assert assess_target(target, old, today, max_age_days=400).status == Status.MET
    overdue = _target("Mindst 95 % af lederne er uddannet senest 2024.")
    assert assess_target(overdue, old, today).status == Status.NOT_MET


def test_latest_measurement_counts_and_future_ones_are_ignored():
    target = _target("Mindst 80 % er tilfredse.")
    series = [
        _share(30, 50, dt.date(2025, 1, 1)),
        _share(45, 50, dt.date(2025, 6, 1)),
        _share(10, 50, dt.date(2026, 1, 1)),
    ]
    result = assess_target(target, series, dt.date(2025, 7, 1))
    assert (result.status, result.measured) == (Status.MET, 90.0)


def test_lower_is_better_progress():
    target = _target("Sagsbehandlingstiden er højst 30 dage.")
    result = assess_target(target, Measurement(value=40, date=NOV_2015), NOV_2015)
    # Progress = 30 / 40 = 75 %.
    assert (result.status, result.progress) == (Status.IN_PROGRESS, 75.0)


def test_measurement_needs_a_value():
    with pytest.raises(ValidationError):
        Measurement(date=NOV_2015)
    with pytest.raises(ValidationError):
        Measurement(numerator=3, denominator=0, date=NOV_2015)


# ---------------------------------------------------------------------- roll-up


def _seed_measurements() -> dict[str, Measurement]:
    return {
        target_key("1.1.1", 1): _share(40, 50),
        target_key("1.1.1", 2): _share(40, 50),
        target_key("1.1.2", 1): _share(30, 50),
        target_key("1.1.2", 2): _share(44, 50),
    }


def test_seed_rollup_before_the_deadline():
    result = rollup(_seed_plan(), _seed_measurements(), dt.date(2015, 12, 15))
    political = result.root.children[0]
    sub_11, sub_12 = political.children
    ag_111, ag_112 = sub_11.children
    # 1.1.1#1: 40/50 = 80 % ≥ 80 % → met, 100 %.
    # 1.1.1#2: 80 % < 95 % long term, no baseline → in progress, 80/95 = 84.21 → 84.2 %.
    assert [t.status for t in ag_111.targets] == [Status.MET, Status.IN_PROGRESS]
    assert [t.progress for t in ag_111.targets] == [100.0, 84.2]
    # Action goal 1.1.1: worst of (met, in progress) = in progress; (100 + 84.2) / 2 = 92.1.
    assert (ag_111.status, ag_111.progress) == (Status.IN_PROGRESS, 92.1)
    # 1.1.2#1: 30/50 = 60 % ≥ 60 % → met. 1.1.2#2: 44/50 = 88 % < 95 %, deadline
    # 2015-12-31 not yet passed → in progress, 88/95 = 92.63 → 92.6; mean (100 + 92.6)/2 = 96.3.
    assert (ag_112.status, ag_112.progress) == (Status.IN_PROGRESS, 96.3)
    # Sub-goal 1.1: worst of two in-progress goals; (92.1 + 96.3) / 2 = 94.2.
    assert (sub_11.status, sub_11.progress) == (Status.IN_PROGRESS, 94.2)
    assert sub_11.counts == {"in_progress": 2}
    assert sub_11.target_counts == {"in_progress": 2, "met": 2}
    # Sub-goal 1.2 has no action goals: no measurable target, no progress.
    assert (sub_12.status, sub_12.progress) == (Status.NO_TARGET, None)
    # Political goal: worst of (in progress, no target) = no target; mean over the one
    # sub-goal with progress = 94.2; 1.2 is named as left out.
    assert (political.status, political.progress) == (Status.NO_TARGET, 94.2)
    assert "1.2" in political.explanation["en"].split("left out of the mean:")[1]
    assert political.target_counts == {"in_progress": 2, "met": 2}


def test_seed_rollup_after_the_deadline():
    result = rollup(_seed_plan(), _seed_measurements(), dt.date(2016, 1, 4))
    sub_11 = result.root.children[0].children[0]
    ag_112 = sub_11.children[1]
    # 88 % < 95 % and 2015-12-31 has passed → not met; it is now the worst status.
    assert ag_112.targets[1].status == Status.NOT_MET
    assert (ag_112.status, sub_11.status) == (Status.NOT_MET, Status.NOT_MET)
    assert result.root.status == Status.NOT_MET


def test_weights_and_not_measured_targets():
    plan = Plan(
        political_goals=[
            PoliticalGoal(
                id="2",
                sub_goals=[
                    SubGoal(
                        id="2.1",
                        action_goals=[
                            _goal("2.1.1", 3, "Mindst 80 % er tilfredse i 2026.", weight=3),
                            _goal("2.1.2", 4, "Mindst 90 % er tilfredse i 2026.", weight=1),
                            _goal("2.1.3", 5, "Der skabes et fælles sprog."),
                        ],
                    )
                ],
            )
        ]
    )
    measured = {"2.1.1#1": _share(41, 50, dt.date(2026, 3, 1))}
    result = rollup(plan, measured, dt.date(2026, 4, 1))
    sub = result.root.children[0].children[0]
    first, second, third = sub.children
    assert (first.status, first.progress) == (Status.MET, 100.0)
    assert (second.status, second.progress) == (Status.NOT_MEASURED, 0.0)
    assert (third.status, third.progress) == (Status.NO_TARGET, None)
    # Weighted mean: (100 × 3 + 0 × 1) / (3 + 1) = 75; 2.1.3 has no target and is left out.
    assert sub.progress == 75.0
    assert sub.status == Status.NOT_MEASURED
    assert sub.counts == {"not_measured": 1, "no_target": 1, "met": 1}
    assert "100 % × 3 + 0 % × 1" in sub.explanation["en"]


def test_orphan_action_goals_are_rolled_up():
    plan = Plan(orphan_action_goals=[_goal("9.9.9", 3, "Mindst 50 % er tilfredse i 2026.")])
    result = rollup(plan, {}, dt.date(2026, 1, 1))
    assert result.root.status == Status.NOT_MEASURED
    assert result.root.target_counts == {"not_measured": 1}


def test_json_and_text_output():
    result = rollup(_seed_plan(), _seed_measurements(), dt.date(2015, 12, 15))
    data = rollup_to_json(result)
    assert json.loads(json.dumps(data)) == data
    assert data["root"]["children"][0]["children"][0]["progress"] == 94.2
    assert data["today"] == "2015-12-15"
    danish = render_rollup_text(result)
    assert "Delmål 1.1: Børne- og familiesyn — UNDERVEJS · fremdrift 94,2 %" in danish
    assert "Mål 1: ≥ 80 % senest 31-12-2015 · målt 80 % (40/50, 30-11-2015, survey)" in danish
    assert "OPFYLDT" in danish and "INTET MÅLBART MÅL" in danish
    english = render_rollup_text(result, "en", explain=False)
    assert "Sub-goal 1.1: Børne- og familiesyn — IN PROGRESS · progress 94.2 %" in english
    assert "weighted mean" not in english
    with pytest.raises(ValueError, match="unknown language"):
        render_rollup_text(result, "de")


def test_rollup_of_the_bundled_example_workbook():
    from pathlib import Path

    from xlgoals.matrix import read_plan
    from xlgoals.reader import read_workbook

    example = Path(__file__).parent.parent / "workbook" / "eksempel.xlsx"
    plan = read_plan(read_workbook(example))
    measured = {"1.1.1#1": _share(41, 50)}
    result = rollup(plan, measured, dt.date(2015, 12, 15))
    sub_11 = result.root.children[0].children[0]
    ag_111, ag_112 = sub_11.children
    # Targets are parsed from column D: 1.1.1 has 80 % by 2015 and 95 % long term.
    assert [t.status for t in ag_111.targets] == [Status.MET, Status.NOT_MEASURED]
    # (100 + 0) / 2 = 50 for 1.1.1; 1.1.2 unmeasured = 0; sub-goal (50 + 0) / 2 = 25.
    assert (ag_111.progress, ag_112.progress, sub_11.progress) == (50.0, 0.0, 25.0)
    text = render_rollup_text(result)
    assert "Handlemål 1.1.1: der arbejdes for at sikre et bredt ejerskab" in text


def test_fraction_targets_compare_exactly():
    target = _target("Mindst 2 ud af 3 familier oplever, at indsatsen har hjulpet dem.")
    today = dt.date(2017, 1, 1)
    assert assess_target(target, _share(20, 30, today), today).status == Status.MET
    assert assess_target(target, _share(1999, 3000, today), today).status != Status.MET


def test_parse_measurements_from_plain_data():
    from xlgoals.attainment import parse_measurements

    data = {
        "1.1.1#1": {"numerator": 41, "denominator": 50, "date": "2015-11-30", "source": "x"},
        "1.1.2#2": [{"value": 88, "n": 50, "date": "2015-11-30"}],
    }
    parsed = parse_measurements(data)
    assert parsed["1.1.1#1"][0].exact() == 82
    assert parsed["1.1.2#2"][0].n == 50
    with pytest.raises(ValueError, match=r"measurement 1 of 1\.1\.1#1: date"):
        parse_measurements({"1.1.1#1": {"value": 80, "date": "31-12-2015"}})
    with pytest.raises(ValueError, match="not a target key"):
        parse_measurements({"1.1.1": {"value": 80, "date": "2015-12-31"}})


def test_weighted_mean_is_the_exact_rounded_mean():
    """The integer shortcut for whole tenths gives what exact fractions give."""
    from fractions import Fraction
    from itertools import product

    from xlgoals.attainment import _weighted_mean

    def exact(pairs: list[tuple[float, float]]) -> float | None:
        weights = sum(Fraction(str(w)) for _, w in pairs)
        if not pairs or weights <= 0:
            return None
        mean = sum(Fraction(str(p)) * Fraction(str(w)) for p, w in pairs) / weights
        return float(Fraction((mean * 10 + Fraction(1, 2)).__floor__(), 10))

    values = [0.0, 0.1, 12.5, 33.3, 33.4, 66.7, 99.9, 100.0, 12.34]
    for weights in ([1.0, 1.0, 1.0], [1.0, 2.0, 0.5], [0.333, 1.0, 0.0], [0.0, 0.0, 0.0]):
        for progress in product(values, repeat=3):
            pairs = list(zip(progress, weights, strict=True))
            assert _weighted_mean(pairs) == exact(pairs), pairs
    assert _weighted_mean([(0.1, 1.0), (0.2, 1.0)]) == 0.2  # 0.15 rounds half up
    assert _weighted_mean([]) is None


def test_zero_targets_keep_their_sign_in_texts():
    """-0 and 0 are equal numbers but print differently; remembered texts must not mix them."""
    from xlgoals.attainment import describe_target

    plain = Target(comparator="==", value=0.0, unit="count")
    negative = Target(comparator="==", value=-0.0, unit="count")
    assert describe_target(plain, "da") == "= 0 (uden tidsfrist)"
    assert describe_target(negative, "da") == "= -0 (uden tidsfrist)"
    assert describe_target(plain, "da") == "= 0 (uden tidsfrist)"


def test_short_titles_drop_the_leading_id():
    from xlgoals.attainment import _short_title

    assert _short_title("… (1.1.2.) der arbejdes  for\nat sikre", "1.1.2") == (
        "der arbejdes for at sikre"
    )
    assert _short_title("1.1.2 Håndbog", "1.1.2") == "Håndbog"
    assert _short_title("(1.1.2) Håndbog", "1.1.2") == "Håndbog"
    assert _short_title("Håndbog 1.1.2", "1.1.2") == "Håndbog 1.1.2"
    assert _short_title("(1.1.3.) Håndbog", "1.1.2") == "(1.1.3.) Håndbog"
    assert _short_title("x" * 100, "1") == "x" * 89 + "…"
