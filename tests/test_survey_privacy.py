"""No name or e-mail from any input may appear in any output, message or log line."""

from __future__ import annotations

import argparse
import io
import logging
from pathlib import Path

import pytest

from tests import survey_exports as sx
from xlgoals.survey import cli
from xlgoals.survey.readers import SurveyReadError, read_survey
from xlgoals.survey.shares import MeasureError, measure


def _run(path: Path, fmt: str, lang: str, labels: Path | None = None) -> tuple[int, str]:
    args = argparse.Namespace(file=str(path), labels=labels, format=fmt, lang=lang)
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(args, out, err)
    return code, out.getvalue() + err.getvalue()


def _assert_clean(text: str, where: str) -> None:
    folded = text.casefold()
    for secret in sx.SECRETS:
        assert secret.casefold() not in folded, f"{secret!r} leaked into {where}"
    assert "@kommune.dk" not in folded, where


def test_no_personal_data_in_any_output(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    exports = sx.all_exports(tmp_path)
    outputs: list[tuple[str, str]] = []
    for key, path in exports.items():
        for fmt in ("text", "json"):
            for lang in ("da", "en"):
                code, text = _run(path, fmt, lang)
                assert code == 0, (key, text)
                outputs.append((f"{key} {fmt} {lang}", text))
        survey = read_survey(path)
        outputs.append((f"{key} model", survey.model_dump_json()))
        for question in survey.questions:
            try:
                result = measure(survey, question.id, None, threshold=1)
                outputs.append((f"{key} measure", repr(result) + str(result.as_dict())))
            except MeasureError as exc:
                outputs.append((f"{key} measure error", str(exc)))
        # broken copies of the same export: the messages must not quote any cell
        data = path.read_bytes()
        for cut in (len(data) // 3, len(data) // 2):
            broken = tmp_path / f"broken-{key}{path.suffix}"
            broken.write_bytes(data[:cut] + b'"' + sx.NAMES[0].encode() + b"\n\x00\xff")
            code, text = _run(broken, "json", "da")
            outputs.append((f"{key} broken output", text))
            try:
                read_survey(broken)
            except SurveyReadError as exc:
                outputs.append((f"{key} broken exception", str(exc)))
    unterminated = tmp_path / "unterminated.csv"
    unterminated.write_text(
        'Navn;Spørgsmål\n"Anna Sørensen;Enig\nBjarne Holm;"Uenig\n', encoding="utf-8"
    )
    outputs.append(("unterminated", _run(unterminated, "text", "da")[1]))
    outputs.append(("logs", caplog.text))
    assert len(outputs) > 60
    for where, text in outputs:
        _assert_clean(text, where)


def test_dropped_columns_are_named_but_values_are_not(tmp_path: Path) -> None:
    path = sx.forms_xlsx(tmp_path)
    code, text = _run(path, "text", "da")
    assert code == 0
    assert "Fjernet som personoplysninger: ID, Email, Name, Har du andre kommentarer?" in text
