"""SM001–SM005: the full SMART checks on real workbooks, each firing and not firing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from builders import HEADERS_DA, row_fields, write_workbook

from xlgoals.engine import Config, analyse
from xlgoals.model import Finding
from xlgoals.reader import read_workbook

TODAY = dt.date(2015, 1, 1)
SURVEY = "Forespørgsel/spørgeskema fulgt op af dialog."


def findings(tmp_path: Path, code: str, lang: str = "da", **fields: str) -> list[Finding]:
    rows = [
        [None, None, *HEADERS_DA],
        ["Delmål 1.1. Derfor vil vi …"],
        [None, None, *row_fields("(1.1.1.) ejerskab", **fields)],
    ]
    path = write_workbook(tmp_path / "plan.xlsx", {"Matrix": rows})
    config = Config(select=[code], lang=lang)
    return analyse(read_workbook(path), today=TODAY, config=config).findings


@pytest.mark.parametrize("code", ["SM001", "SM002", "SM003", "SM004", "SM005"])
def test_seed_row_has_no_smart_finding(tmp_path: Path, code: str) -> None:
    assert findings(tmp_path, code) == []


def test_sm001_no_measurable_target(tmp_path: Path) -> None:
    # A year and an age are numbers, but not targets.
    text = "… at alle 25-årige oplever et fælles sprog, og at det er sket i 2016."
    assert findings(tmp_path, "SM001", criteria=text) == []  # "alle" is a target (100 %)
    text = "… at de 25-årige oplever et fælles sprog i 2016."
    found = findings(tmp_path, "SM001", criteria=text)
    assert [(f.rule, f.cell) for f in found] == [("SM001", "D3")]


def test_sm002_target_without_timing(tmp_path: Path) -> None:
    found = findings(tmp_path, "SM002", criteria="Mindst 80 % mener, at værdierne er forankret.")
    assert [f.cell for f in found] == ["D3"]
    assert "≥ 80 %" in found[0].message
    dated = "Ultimo 2015 mener mindst 80 %, at værdierne er forankret."
    assert findings(tmp_path, "SM002", criteria=dated) == []


def test_sm003_only_long_term(tmp_path: Path) -> None:
    text = "På længere sigt mener 95 %, at værdierne er forankret."
    assert [f.cell for f in findings(tmp_path, "SM003", criteria=text)] == ["D3"]


def test_sm004_evaluation_cannot_measure(tmp_path: Path) -> None:
    found = findings(tmp_path, "SM004", evaluation="Dialog i chefgruppen.")
    assert [f.cell for f in found] == ["E3"]
    assert findings(tmp_path, "SM004", evaluation=SURVEY) == []


def test_sm005_opinion_needs_survey(tmp_path: Path) -> None:
    found = findings(tmp_path, "SM005", lang="en", evaluation="Opgørelse fra fagsystemet.")
    assert [f.cell for f in found] == ["E3", "E3"]  # both seed targets are opinions
    assert "needs a survey" in found[0].message
    register = "Sagsbehandlingstiden er højst 30 dage ultimo 2015."
    assert findings(tmp_path, "SM005", criteria=register, evaluation="Udtræk fra fagsystemet") == []
