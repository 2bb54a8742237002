"""AT001–AT004: attainment findings from measurements, each firing and not firing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from builders import HEADERS_DA, row_fields, write_workbook

from xlgoals.attainment import Measurement
from xlgoals.engine import Config, analyse
from xlgoals.model import Finding
from xlgoals.reader import read_workbook

NOV_2015 = dt.date(2015, 11, 30)


def findings(
    tmp_path: Path, code: str, today: dt.date, measurements: object, **fields: str
) -> list[Finding]:
    rows = [
        [None, None, *HEADERS_DA],
        ["Delmål 1.1. Derfor vil vi …"],
        [None, None, *row_fields("(1.1.1.) ejerskab", **fields)],
    ]
    path = write_workbook(tmp_path / "plan.xlsx", {"Matrix": rows})
    config = Config(select=[code])
    return analyse(
        read_workbook(path), today=today, config=config, measurements=measurements
    ).findings


def share(numerator: int, denominator: int, date: dt.date = NOV_2015) -> Measurement:
    return Measurement(numerator=numerator, denominator=denominator, date=date)


def test_no_measurements_no_attainment_findings(tmp_path: Path) -> None:
    for code in ("AT001", "AT002", "AT003", "AT004"):
        assert findings(tmp_path, code, dt.date(2016, 6, 1), None) == []


def test_at001_not_met_after_deadline(tmp_path: Path) -> None:
    low = {"1.1.1#1": share(38, 50), "1.1.1#2": share(38, 50)}
    found = findings(tmp_path, "AT001", dt.date(2016, 1, 4), low)
    # Target 1 (≥ 80 % by 2015-12-31) is missed; target 2 is long-term, so not "not met".
    assert [(f.cell, f.data["target"]) for f in found] == [("D3", "1.1.1#1")]
    assert "76 %" in found[0].message
    assert findings(tmp_path, "AT001", dt.date(2015, 12, 15), low) == []


def test_at002_behind_the_line(tmp_path: Path) -> None:
    criteria = "Andelen, der trives, stiger fra 40 % i 2023 til mindst 55 % i 2027."
    when = dt.date(2025, 12, 31)  # the line expects 47.5 % here
    behind = {"1.1.1#1": Measurement(value=46, date=when)}
    found = findings(tmp_path, "AT002", when, behind, criteria=criteria)
    assert [f.data["expected"] for f in found] == [47.5051]
    ahead = {"1.1.1#1": Measurement(value=49, date=when)}
    assert findings(tmp_path, "AT002", when, ahead, criteria=criteria) == []


def test_at003_stale(tmp_path: Path) -> None:
    old = {"1.1.1#1": share(45, 50, dt.date(2014, 10, 1))}
    found = findings(tmp_path, "AT003", dt.date(2015, 12, 1), old)  # 426 days old
    assert [f.data["target"] for f in found] == ["1.1.1#1"]
    fresh = {"1.1.1#1": share(45, 50, dt.date(2015, 6, 1))}
    assert findings(tmp_path, "AT003", dt.date(2015, 12, 1), fresh) == []


def test_at004_not_measured(tmp_path: Path) -> None:
    partial = {"1.1.1#1": share(45, 50)}
    found = findings(tmp_path, "AT004", dt.date(2015, 12, 1), partial)
    assert [f.data["target"] for f in found] == ["1.1.1#2"]
    full = {"1.1.1#1": share(45, 50), "1.1.1#2": share(48, 50)}
    assert findings(tmp_path, "AT004", dt.date(2015, 12, 1), full) == []


def test_plain_data_measurements_are_read(tmp_path: Path) -> None:
    plain = {"1.1.1#1": {"numerator": 45, "denominator": 50, "date": "2015-11-30"}}
    found = findings(tmp_path, "AT004", dt.date(2015, 12, 1), plain)
    assert [f.data["target"] for f in found] == ["1.1.1#2"]
