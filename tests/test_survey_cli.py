"""`xlgoals survey FILE`: JSON shape, text report, exit codes, no tracebacks."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path

from tests import survey_exports as sx
from xlgoals.survey import cli

ROOT = Path(__file__).resolve().parents[1]


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="xlgoals survey")
    cli.add_arguments(parser)
    return parser.parse_args(argv)


def test_json_output_shape(tmp_path: Path) -> None:
    path = sx.surveyxact_csv_set(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    assert cli.run(_parse([str(path), "--format", "json"]), out, err) == 0
    data = json.loads(out.getvalue())
    detected = data["detected"]
    assert detected["tool"] == "surveyxact"
    assert detected["encoding"] == "UTF-8 with BOM"
    assert detected["delimiter"] == ";"
    assert detected["header_rows"] == 1
    assert detected["respondents"] == {"completed": 12, "not_responded": 3, "partial": 2}
    assert detected["dropped_personal_columns"] == ["respondentid", "name", "email", "kommentar"]
    first = data["questions"][0]
    assert set(first) == {"id", "text", "answers", "blank", "dont_know"}
    assert first["id"] == "q1" and first["text"] == sx.Q1
    assert first["answers"][0] == {"label": "I meget høj grad", "count": 2}
    assert (first["blank"], first["dont_know"]) == (1, 2)
    assert err.getvalue() == ""


def test_text_output_in_both_languages(tmp_path: Path) -> None:
    path = sx.qualtrics_csv(tmp_path)
    for lang, words in (("da", "Overskriftsrækker: 3"), ("en", "Header rows: 3")):
        out = io.StringIO()
        assert cli.run(_parse([str(path), "--lang", lang]), out, io.StringIO()) == 0
        assert words in out.getvalue()
        assert "Qualtrics" in out.getvalue()


def test_labels_option(tmp_path: Path) -> None:
    (tmp_path / "ls").mkdir()
    source = sx.limesurvey_csv(tmp_path / "ls")
    other = tmp_path / "svar.csv"
    other.write_bytes(source.read_bytes())
    out = io.StringIO()
    argv = [
        str(other),
        "--labels",
        str(source.parent / "limesurvey_survey_123456.txt"),
        "--format",
        "json",
    ]
    assert cli.run(_parse(argv), out, io.StringIO()) == 0
    assert json.loads(out.getvalue())["detected"]["values"] == "codes"


def test_bad_file_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "gammel.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    result = subprocess.run(
        [sys.executable, "-m", "xlgoals.survey.cli", str(bad)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "gammel.xls" in lines[0]
    assert "Traceback" not in result.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "xlgoals.survey.cli", str(tmp_path / "mangler.csv")],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert missing.returncode == 2 and "mangler.csv" in missing.stderr


def test_unreadable_exports_are_reported_in_the_users_language(tmp_path: Path) -> None:
    """The survey command and `refresh --survey` say what is wrong in Danish by default
    and in English with --lang en (messages from data/messages/survey.json)."""

    empty = tmp_path / "tom.csv"
    empty.write_bytes(b"")
    for lang, words in (("da", "tom.csv: filen er tom"), ("en", "tom.csv: the file is empty")):
        err = io.StringIO()
        assert cli.run(_parse([str(empty), "--lang", lang]), io.StringIO(), err) == 2
        assert err.getvalue() == f"xlgoals survey: {words}\n"
    plan = tmp_path / "plan.xlsx"
    plan.write_bytes((ROOT / "workbook" / "eksempel.xlsx").read_bytes())
    result = subprocess.run(
        [sys.executable, "-m", "xlgoals", "refresh", str(plan), "--survey", str(empty)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert result.stderr == "xlgoals: tom.csv: filen er tom\n"
    assert plan.read_bytes() == (ROOT / "workbook" / "eksempel.xlsx").read_bytes()
