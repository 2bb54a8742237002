"""TL rules on real workbooks: each fires on one case and not on another."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from builders import HEADERS_DA, row_fields, write_workbook
from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from xlgoals.engine import Config, analyse
from xlgoals.model import Finding, Severity
from xlgoals.reader import read_workbook
from xlgoals.rules.base import RuleConfig

pytestmark = pytest.mark.core

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "workbook" / "eksempel.xlsx"


def _rows(timeplan: str, **fields: str) -> list[list[object]]:
    return [
        [None, None, *HEADERS_DA],
        ["Delmål 1.1. Derfor vil vi …"],
        [None, None, *row_fields("(1.1.1.) ejerskab", timeplan=timeplan, **fields)],
    ]


def _findings(
    tmp_path: Path, timeplan: str, code: str, today: dt.date, **kw: object
) -> list[Finding]:
    fields = {k: v for k, v in kw.items() if k == "criteria"}
    path = write_workbook(tmp_path / "plan.xlsx", {"Matrix": _rows(timeplan, **fields)})  # type: ignore[arg-type]
    config = Config(select=[code], lang=str(kw.get("lang", "da")))
    if "due_soon_days" in kw:
        config.rules = RuleConfig(due_soon_days=int(kw["due_soon_days"]))  # type: ignore[call-overload]
    return analyse(read_workbook(path), today=today, config=config).findings


def test_tl001_fires_when_no_milestone_is_dated(tmp_path: Path) -> None:
    plan = "• Der udarbejdes en håndbog\n• Budget 2027\n• Følges løbende op"
    found = _findings(tmp_path, plan, "TL001", dt.date(2026, 1, 1))
    assert [(f.rule, f.sheet, f.cell, f.action_goal) for f in found] == [
        ("TL001", "Matrix", "F3", "1.1.1")
    ]


def test_tl001_quiet_when_one_milestone_is_dated(tmp_path: Path) -> None:
    plan = "• Der udarbejdes en håndbog\n• Udkast primo 2027"
    assert _findings(tmp_path, plan, "TL001", dt.date(2026, 1, 1)) == []


def test_tl002_overdue_quotes_the_bullet_and_its_due_date(tmp_path: Path) -> None:
    plan = "• Udkast til håndbogen primo 2015 (januar-marts)\n• Evaluering ultimo 2016"
    found = _findings(tmp_path, plan, "TL002", dt.date(2016, 1, 15))
    assert [(f.cell, f.severity, f.data["milestone"], f.data["due"]) for f in found] == [
        ("F3", Severity.WARNING, 1, "2015-03-31")
    ]
    assert found[0].message == (
        'Handlemål 1.1.1: milepæl 1 "Udkast til håndbogen primo 2015 (januar-marts)" skulle '
        "være nået 31.03.2015 (290 dage siden) og er ikke markeret som gennemført"
    )


def test_tl002_message_in_english(tmp_path: Path) -> None:
    found = _findings(tmp_path, "• Udkast ultimo 2015", "TL002", dt.date(2016, 1, 1), lang="en")
    assert found[0].message == (
        'Action goal 1.1.1: milestone 1 "Udkast ultimo 2015" was due 2015-12-31 (1 days ago) '
        "and is not marked done"
    )


@pytest.mark.parametrize(
    "plan",
    [
        "• ✓ Udkast til håndbogen primo 2015",
        "• Udkast til håndbogen primo 2015 (gennemført)",
        "• Udkast til håndbogen ultimo 2016",
        "• Der udarbejdes en håndbog",
    ],
)
def test_tl002_quiet_for_done_future_or_undated_milestones(tmp_path: Path, plan: str) -> None:
    assert _findings(tmp_path, plan, "TL002", dt.date(2016, 1, 15)) == []


def test_tl002_quiet_when_the_bullet_is_struck_through_in_the_workbook(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "plan.xlsx", {"Matrix": _rows("placeholder")})
    book = load_workbook(path)
    book["Matrix"]["F3"] = CellRichText(
        "• ",
        TextBlock(InlineFont(strike=True), "Udkast til håndbogen primo 2015"),
        "\n• Evaluering i marts 2015",
    )
    book.save(path)
    analysis = analyse(
        read_workbook(path), today=dt.date(2016, 1, 15), config=Config(select=["TL002"])
    )
    assert [f.data["milestone"] for f in analysis.findings] == [2]
    goal = analysis.plan.action_goals()[0]
    assert [(m.index, m.done) for m in goal.milestones] == [(1, True), (2, False)]


def test_tl003_due_soon_respects_the_configured_window(tmp_path: Path) -> None:
    plan = "• Plan til udvalget senest 1. marts 2026\n• Evaluering ultimo 2026"
    today = dt.date(2026, 2, 10)
    found = _findings(tmp_path, plan, "TL003", today)
    assert [(f.cell, f.data["milestone"], f.severity) for f in found] == [("F3", 1, Severity.INFO)]
    assert "om 19 dage" in found[0].message
    assert _findings(tmp_path, plan, "TL003", today, due_soon_days=10) == []


def test_tl004_quotes_what_could_not_be_dated(tmp_path: Path) -> None:
    plan = "• Håndbogen revideres hurtigst muligt\n• Opstart efter sommerferien\n• Udkast 2027"
    found = _findings(tmp_path, plan, "TL004", dt.date(2026, 1, 1))
    assert [(f.cell, f.data["phrases"]) for f in found] == [
        ("F3", ["hurtigst muligt"]),
        ("F3", ["efter sommerferien"]),
    ]
    assert '"hurtigst muligt"' in found[0].message


def test_tl004_quiet_for_dated_or_plain_bullets(tmp_path: Path) -> None:
    plan = "• Håndbogen revideres senest 1. juni 2026\n• Information via ledermøder"
    assert _findings(tmp_path, plan, "TL004", dt.date(2026, 1, 1)) == []


def test_tl005_milestone_after_the_criterion_deadline(tmp_path: Path) -> None:
    criteria = "… der ved udgangen af 2015 er mindst 80 % …"
    plan = "• Opsamling på mål medio 2016\n• Udkast primo 2015"
    found = _findings(tmp_path, plan, "TL005", dt.date(2015, 1, 1), criteria=criteria)
    assert [(f.cell, f.data["milestone"], f.data["deadline"]) for f in found] == [
        ("F3", 1, "2015-12-31")
    ]
    assert "31.12.2015" in found[0].message and "D3" in found[0].message


def test_tl005_quiet_when_milestones_end_by_the_deadline(tmp_path: Path) -> None:
    criteria = "… der ved udgangen af 2015 er mindst 80 % …"
    plan = "• Opsamling på mål ultimo 2015"
    assert _findings(tmp_path, plan, "TL005", dt.date(2015, 1, 1), criteria=criteria) == []


def test_example_workbook_flags_every_dated_seed_milestone_overdue_in_2016() -> None:
    analysis = analyse(
        read_workbook(EXAMPLE), today=dt.date(2016, 1, 15), config=Config(select=["TL"])
    )
    overdue = [(f.action_goal, f.data["milestone"], f.data["due"]) for f in analysis.findings]
    assert overdue == [
        ("1.1.1", 1, "2015-12-31"),
        ("1.1.1", 4, "2015-12-31"),
        ("1.1.2", 2, "2015-03-31"),
    ]
    assert {f.rule for f in analysis.findings} == {"TL002"}
    goals = analysis.plan.action_goals()
    undated = [(g.id, m.index) for g in goals for m in g.milestones if m.due is None]
    assert undated == [("1.1.1", 2), ("1.1.1", 3), ("1.1.2", 1), ("1.1.2", 3)]
    assert goals[0].milestones[1].text.startswith("Information og dialog sker via ledermøder")
