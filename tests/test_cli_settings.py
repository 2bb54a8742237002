"""README "Command line" claims with no other test: settings files, XLGOALS_LANG, `new`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from xlgoals.cli import main

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "workbook" / "eksempel.xlsx"


def check_rules(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["check", str(EXAMPLE), "--today", "2016-01-15", "--format", "json", *args])
    out = capsys.readouterr().out
    return code, [f["rule"] for f in json.loads(out)["files"][0]["findings"]]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current folder without XLGOALS_LANG, as settings are read from the cwd."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("XLGOALS_LANG", raising=False)
    return tmp_path


def test_pyproject_table_selects_and_sets_fail_on(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "pyproject.toml").write_text(
        '[tool.xlgoals]\nselect = ["MX"]\nfail-on = "warning"\n', "utf-8"
    )
    code, rules = check_rules([], capsys)
    assert rules == ["MX005"] * 4
    assert code == 1  # MX005 is a warning and fail-on is warning


def test_xlgoals_toml_wins_and_takes_a_comma_separated_string(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "pyproject.toml").write_text('[tool.xlgoals]\nselect = ["MX"]\n', "utf-8")
    (folder / "xlgoals.toml").write_text('select = "TL, CP"\n', "utf-8")
    code, rules = check_rules([], capsys)
    assert rules == ["TL002"] * 3
    assert code == 0
    # a flag beats the file
    assert check_rules(["--select", "MX"], capsys)[1] == ["MX005"] * 4


def test_unknown_code_in_settings_is_a_usage_error(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "xlgoals.toml").write_text('ignore = "ZZ9"\n', "utf-8")
    assert main(["check", str(EXAMPLE)]) == 2
    assert "ZZ9" in capsys.readouterr().err


def test_language_from_env_setting_and_flag(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def summary(*args: str) -> str:
        main(["check", str(EXAMPLE), "--today", "2016-01-15", *args])
        return capsys.readouterr().out.splitlines()[-1]

    assert summary().startswith("1 projektmappe(r) kontrolleret")
    monkeypatch.setenv("XLGOALS_LANG", "en")
    assert summary().startswith("1 workbook(s) checked")
    (folder / "xlgoals.toml").write_text('lang = "da"\n', "utf-8")
    assert summary().startswith("1 projektmappe(r) kontrolleret")  # the setting beats the env
    assert summary("--lang", "en").startswith("1 workbook(s) checked")  # the flag beats both


def test_new_follows_xlgoals_lang(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XLGOALS_LANG", "en")
    assert main(["new", "t.xlsx"]) == 0
    assert openpyxl.load_workbook(folder / "t.xlsx").sheetnames == ["Goal matrix"]
    assert main(["new", "d.xlsx", "--lang", "da"]) == 0
    assert openpyxl.load_workbook(folder / "d.xlsx").sheetnames == ["Målmatrix"]


def test_new_refuses_other_endings(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "plan.csv"]) == 2
    assert "plan.csv" in capsys.readouterr().err
    assert not (folder / "plan.csv").exists()


def test_closed_pipe_gives_no_traceback(tmp_path: Path) -> None:
    """`xlgoals check … --format json | head -1` must not end in a traceback."""
    for index in range(40):
        shutil.copy(EXAMPLE, tmp_path / f"plan{index}.xlsx")
    process = subprocess.Popen(
        [sys.executable, "-m", "xlgoals", "check", str(tmp_path), "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().strip() == b"{"
    process.stdout.close()
    error = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=60) == 2
    assert "Traceback" not in error and "BrokenPipeError" not in error


@pytest.mark.parametrize("flag", ["--today", "--survey-date"])
def test_a_bad_date_names_its_own_flag(
    folder: Path, capsys: pytest.CaptureFixture[str], flag: str
) -> None:
    plan = folder / "plan.xlsx"
    shutil.copy(EXAMPLE, plan)
    survey = REPO / "workbook" / "eksempel-spoergeskema.csv"
    code = main(["refresh", str(plan), "--survey", str(survey), flag, "2015-13-01", "--dry-run"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{flag} skal være en dato som ÅÅÅÅ-MM-DD, ikke '2015-13-01'" in err
