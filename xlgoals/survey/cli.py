"""`xlgoals survey FILE`: show what an export holds, as counts only (surface).

The lead's `xlgoals` command mounts this with :func:`add_arguments` and :func:`run`; it also
runs alone as `python -m xlgoals.survey.cli FILE`. Exit codes follow ruff: 0 fine, 2 the file
could not be read. A bad file gives one line naming the file, never a traceback, and no
output ever quotes a respondent's row.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

from xlgoals.survey.model import SurveyData


@cache
def _texts() -> dict[str, Any]:
    """The command's words in Danish and English (data/survey_cli.json)."""
    raw = resources.files("xlgoals.data").joinpath("survey_cli.json").read_text("utf-8")
    return json.loads(raw)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `xlgoals survey`."""
    parser.add_argument("file", metavar="FILE", help="survey export: xlsx, csv, tsv or txt")
    parser.add_argument(
        "--labels",
        metavar="FILE",
        help="label table for coded exports (SurveyXact labels, LimeSurvey structure file)",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--lang", choices=("da", "en"), default="da")


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Read the export and print what was detected and the counts; 2 on a bad file."""
    # pandas is imported here, not at module level: every other command starts faster
    from xlgoals.survey.readers import SurveyReadError, read_survey

    out = out or sys.stdout
    err = err or sys.stderr
    name = Path(args.file).name
    try:
        survey = read_survey(args.file, args.labels)
    except SurveyReadError as exc:
        print(f"xlgoals survey: {exc.message(getattr(args, 'lang', 'da'))}", file=err)
        return 2
    except Exception as exc:  # any library failure: one line, never a traceback or a cell
        words = _texts()[getattr(args, "lang", "da")]["unreadable"]
        print(f"xlgoals survey: {name}: {words} ({type(exc).__name__})", file=err)
        return 2
    if args.format == "json":
        json.dump(survey_json(survey), out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        out.write(survey_text(survey, args.lang))
    return 0


def survey_json(survey: SurveyData) -> dict[str, object]:
    """The documented JSON: detection and per question {id, text, answers, blank, dont_know}."""
    d = survey.detection
    return {
        "file": survey.source,
        "detected": {
            "tool": d.tool,
            "tool_name": d.tool_name,
            "container": d.container,
            "encoding": d.encoding,
            "delimiter": d.delimiter,
            "sheet": d.sheet,
            "title_lines": d.title_lines,
            "header_rows": d.header_rows,
            "values": d.values,
            "label_source": d.label_source,
            "respondents": d.respondents,
            "counted": d.counted,
            "dropped_personal_columns": d.dropped_personal,
            "warnings": d.warnings,
        },
        "questions": [q.public() for q in survey.questions],
    }


def survey_text(survey: SurveyData, lang: str = "da") -> str:
    """A short human report in Danish or English."""
    t = _texts()[lang]
    d = survey.detection
    lines = [f"{t['file']}: {survey.source}", f"{t['tool']}: {d.tool_name}"]
    fmt = d.container + (f", {t['sheet']} {d.sheet}" if d.sheet else "")
    lines.append(f"{t['container']}: {fmt}")
    if d.encoding:
        lines.append(f"{t['encoding']}: {d.encoding}")
    if d.delimiter:
        lines.append(f"{t['delimiter']}: {d.delimiter}")
    lines.append(f"{t['title_lines']}: {d.title_lines}")
    lines.append(f"{t['header_rows']}: {d.header_rows}")
    values = t["labels"] if d.values == "labels" else f"{t['codes']} {d.label_source}"
    lines.append(f"{t['values']}: {values}")
    by_status = ", ".join(f"{n} {t['status'].get(s, s)}" for s, n in d.respondents.items())
    lines.append(f"{t['respondents']}: {by_status or 0} ({t['counted']}: {d.counted})")
    lines.append(f"{t['dropped']}: {', '.join(d.dropped_personal) or t['none']}")
    for warning in d.warnings:
        lines.append(f"{t['warnings']}: {warning}")
    lines.append("")
    lines.append(f"{t['questions']}:")
    for q in survey.questions:
        multi = f" ({t['multi']})" if q.multi else ""
        lines.append(f"  [{q.id}] {q.text}{multi}")
        width = max((len(a.label) for a in q.answers), default=0)
        for a in q.answers:
            lines.append(f"      {a.label:<{width}}  {a.count:>6}")
        lines.append(f"      {t['dont_know']}: {q.dont_know}, {t['blank']}: {q.blank}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point (`python -m xlgoals.survey.cli`)."""
    parser = argparse.ArgumentParser(prog="xlgoals survey", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
