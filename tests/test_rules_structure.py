"""Every MX/CP rule, and the simple SM/TL checks: a case that fires and one that does not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from builders import HEADERS_DA, row_fields, write_workbook

from xlgoals.engine import Config, analyse
from xlgoals.model import Finding
from xlgoals.reader import read_workbook
from xlgoals.rules.base import all_rules

pytestmark = pytest.mark.core

TODAY = dt.date(2015, 1, 1)


def findings(tmp_path: Path, rows: list[list[object]], code: str, **kw: object) -> list[Finding]:
    path = write_workbook(tmp_path / "plan.xlsx", {"Matrix": rows}, kw.get("merges"))  # type: ignore[arg-type]
    analysis = analyse(read_workbook(path), today=TODAY, config=Config(select=[code]))
    return analysis.findings


def plan_rows(
    *goals: list[object], heading: str = "Delmål 1.1. Derfor vil vi …"
) -> list[list[object]]:
    return [[None, None, *HEADERS_DA], [heading], *[[None, None, *goal] for goal in goals]]


GOOD = plan_rows(row_fields("(1.1.1.) ejerskab"), row_fields("(1.1.2.) fælles sprog"))


def test_every_rule_has_messages_and_documentation() -> None:
    from xlgoals.i18n import template

    for rule in all_rules():
        doc = rule.documentation()
        assert "Anti-pattern" in doc and "Best practice" in doc, rule.code
        assert template(rule.code, "da") and template(rule.code, "en"), rule.code


@pytest.mark.parametrize(
    "code",
    [
        "MX001",
        "MX002",
        "MX003",
        "MX004",
        "MX005",
        "MX006",
        "MX007",
        "CP001",
        "CP002",
        "CP003",
        "CP004",
        "CP005",
        "CP006",
        "SM001",
        "SM002",
        "TL001",
    ],
)
def test_good_plan_has_no_finding(tmp_path: Path, code: str) -> None:
    assert findings(tmp_path, GOOD, code) == []


def test_mx001_no_matrix(tmp_path: Path) -> None:
    found = findings(tmp_path, [["Budget 2026"], ["Løn", 1000], ["Drift", 200]], "MX001")
    assert [(f.rule, f.sheet, f.cell, f.severity.value) for f in found] == [
        ("MX001", "Matrix", "A1", "error")
    ]


def test_mx002_duplicate_id(tmp_path: Path) -> None:
    rows = plan_rows(row_fields("(1.1.1.) a"), row_fields("(1.1.1.) b"))
    found = findings(tmp_path, rows, "MX002")
    assert [(f.cell, f.action_goal) for f in found] == [("C4", "1.1.1")]
    assert "Matrix!C3" in found[0].message


def test_mx003_id_not_under_its_sub_goal(tmp_path: Path) -> None:
    rows = plan_rows(row_fields("(1.1.1.) a"), row_fields("(1.2.1.) b"))
    found = findings(tmp_path, rows, "MX003")
    assert [(f.cell, f.action_goal) for f in found] == [("C4", "1.2.1")]
    assert "1.2" in found[0].message and "1.1" in found[0].message


def test_mx004_action_goal_without_sub_goal(tmp_path: Path) -> None:
    rows = [
        [None, None, *HEADERS_DA],
        [None, None, *row_fields("Uden nummer")],
        [None, None, *row_fields("(2.3.1.) med nummer")],
    ]
    found = findings(tmp_path, rows, "MX004")
    assert sorted(f.cell for f in found) == ["C2", "C3"]


def test_mx005_sub_goal_without_action_goals(tmp_path: Path) -> None:
    rows = [*GOOD, ["Delmål 1.2. Derfor vil vi inddrage forældrene"]]
    found = findings(tmp_path, rows, "MX005")
    assert [(f.cell, f.message) for f in found] == [("A5", "Delmål 1.2 har ingen handlemål")]


def test_mx006_sub_goal_under_wrong_political_goal(tmp_path: Path) -> None:
    rows = [
        ["Politisk mål 1: Helhed"],
        *plan_rows(row_fields("(2.1.1.) a"), heading="Delmål 2.1 x"),
    ]
    found = findings(tmp_path, rows, "MX006")
    assert [f.cell for f in found] == ["A3"]


def test_mx007_duplicate_sub_goal(tmp_path: Path) -> None:
    rows = [
        *plan_rows(row_fields("(1.1.1.) a")),
        ["Delmål 1.1 igen"],
        [None, None, *row_fields("(1.1.2.) b")],
    ]
    found = findings(tmp_path, rows, "MX007")
    assert [f.cell for f in found] == ["A4"]


@pytest.mark.parametrize(
    ("code", "index", "cell"),
    [
        ("CP001", 0, "C4"),
        ("CP002", 1, "D4"),
        ("CP003", 2, "E4"),
        ("CP004", 3, "F4"),
        ("CP005", 4, "G4"),
    ],
)
def test_cp_empty_fields(tmp_path: Path, code: str, index: int, cell: str) -> None:
    broken = row_fields("(1.1.2.) b")
    broken[index] = None  # type: ignore[call-overload]
    rows = plan_rows(row_fields("(1.1.1.) a"), broken)
    found = findings(tmp_path, rows, code)
    assert [(f.rule, f.cell) for f in found] == [(code, cell)]


def test_cp006_group_without_person(tmp_path: Path) -> None:
    rows = plan_rows(row_fields("(1.1.1.) a", owner="Forankret i chefgruppen."))
    found = findings(tmp_path, rows, "CP006")
    assert [f.cell for f in found] == ["G3"]
    assert "chefgruppen" in found[0].message


def test_tl001_time_plan_without_date(tmp_path: Path) -> None:
    rows = plan_rows(row_fields("(1.1.1.) a", timeplan="• Der udarbejdes en håndbog"))
    assert [f.cell for f in findings(tmp_path, rows, "TL001")] == ["F3"]


def test_messages_in_english(tmp_path: Path) -> None:
    rows = [*GOOD, ["Delmål 1.2 x"]]
    path = write_workbook(tmp_path / "p.xlsx", {"Matrix": rows})
    analysis = analyse(read_workbook(path), today=TODAY, config=Config(lang="en", select=["MX005"]))
    assert [f.message for f in analysis.findings] == ["Sub-goal 1.2 has no action goals"]


def test_select_and_ignore_by_prefix(tmp_path: Path) -> None:
    rows = plan_rows(row_fields("(1.1.1.) a", owner="", evaluation=""))
    path = write_workbook(tmp_path / "p.xlsx", {"Matrix": rows})
    grid = read_workbook(path)
    codes = {f.rule for f in analyse(grid, today=TODAY, config=Config(select=["CP"])).findings}
    assert codes == {"CP003", "CP005"}
    codes = {
        f.rule
        for f in analyse(grid, today=TODAY, config=Config(select=["CP"], ignore=["CP005"])).findings
    }
    assert codes == {"CP003"}
