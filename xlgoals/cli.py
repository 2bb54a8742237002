"""The `xlgoals` command line (modelled on ruff: rule codes, --select/--ignore, exit 0/1/2).

Exit codes: 0 no finding reaches --fail-on; 1 one does; 2 usage error or a file that
cannot be read (a one-line reason naming the file, never a traceback).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from xlgoals import __version__
from xlgoals.engine import Analysis, Config, analyse
from xlgoals.errors import XlgoalsError
from xlgoals.i18n import message
from xlgoals.model import Severity
from xlgoals.rules.base import RuleConfig, all_rules, unknown_codes

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(XlgoalsError):
    """A command-line usage error (exit 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one line instead of a usage dump on bad flags."""

    def error(self, text: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"xlgoals: {text}\n")
        raise SystemExit(EXIT_ERROR)


def _file_config(start: Path) -> dict[str, Any]:
    """`[tool.xlgoals]` from ./pyproject.toml or the table of ./xlgoals.toml."""
    for name, table in (("xlgoals.toml", None), ("pyproject.toml", ("tool", "xlgoals"))):
        path = start / name
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            continue
        for key in table or ():
            data = data.get(key, {})
        if data:
            return {k.replace("-", "_"): v for k, v in data.items()}
    return {}


def _date(value: str, flag: str = "--today") -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError("cli.bad_date", flag=flag, value=value) from None


def _codes(values: Sequence[str] | str | None) -> list[str]:
    # a settings file may give `select = "MX,TL"` as one string instead of a list
    values = [values] if isinstance(values, str) else values
    return [
        code.strip().upper() for value in values or [] for code in value.split(",") if code.strip()
    ]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="xlgoals", description="Check and follow up goal matrices in Excel.")
    parser.add_argument("--version", action="version", version=f"xlgoals {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = sub.add_parser("check", help="check goal-matrix workbooks (files or folders)")
    check.add_argument(
        "paths", nargs="+", help=".xlsx/.xlsm files or folders (searched recursively)"
    )
    _common(check)
    check.add_argument(
        "--select", action="append", help="only these rule codes or prefixes (comma-separated)"
    )
    check.add_argument("--ignore", action="append", help="skip these rule codes or prefixes")
    check.add_argument(
        "--fail-on",
        choices=["error", "warning", "info"],
        default=None,
        help="lowest severity that makes the exit code 1 (default: error)",
    )
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.add_argument(
        "--due-soon-days", type=int, default=None, help="days ahead for 'due soon' (default 30)"
    )

    rules = sub.add_parser("rules", help="list every rule with its documentation")
    rules.add_argument("codes", nargs="*", help="only these rule codes or prefixes")
    rules.add_argument("--lang", choices=["da", "en"], default=None)
    rules.add_argument("--format", choices=["text", "json"], default="text")

    rollup = sub.add_parser("rollup", help="attainment per target rolled up to the political goal")
    rollup.add_argument("file", help="the goal-matrix workbook (.xlsx/.xlsm)")
    _common(rollup)
    _measurement_sources(rollup)
    rollup.add_argument("--format", choices=["text", "json"], default="text")
    rollup.add_argument(
        "--brief", action="store_true", help="leave out how each figure is computed"
    )

    refresh = sub.add_parser(
        "refresh", help="measure, check and write the results into the workbook (lossless)"
    )
    refresh.add_argument("file", help="the goal-matrix workbook (.xlsx/.xlsm)")
    _common(refresh)
    _measurement_sources(refresh)
    refresh.add_argument("--output", default=None, metavar="FILE", help="write a copy instead")
    refresh.add_argument(
        "--dry-run", action="store_true", help="list the cells that would change; write nothing"
    )

    from xlgoals.survey import cli as survey_cli

    survey = sub.add_parser("survey", help="show what a survey export holds (counts only)")
    survey_cli.add_arguments(survey)

    new = sub.add_parser("new", help="write the empty template or the worked example")
    new.add_argument("file")
    new.add_argument(
        "--example", action="store_true", help="the seed's worked example instead of the template"
    )
    new.add_argument("--lang", choices=["da", "en"], default=None)
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    return parser


def _measurement_sources(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--survey",
        action="append",
        default=[],
        metavar="EXPORT",
        help="survey export(s) that measure the targets (xlsx, csv, tsv, txt)",
    )
    parser.add_argument(
        "--labels", default=None, metavar="FILE", help="label table for coded exports"
    )
    parser.add_argument(
        "--survey-date",
        action="append",
        default=[],
        metavar="YYYY-MM-DD",
        help="when the survey was answered (one per --survey, or one for all); "
        "default: the export file's date",
    )
    parser.add_argument(
        "--measurements",
        default=None,
        metavar="JSON",
        help='measured values by target key: {"1.1.1#1": {"numerator": 41, "denominator": 50, '
        '"date": "2025-11-30"}}',
    )


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--today", help="the date to judge deadlines against (YYYY-MM-DD; default: today)"
    )
    parser.add_argument(
        "--lang", choices=["da", "en"], default=None, help="language of messages (default da)"
    )
    parser.add_argument(
        "--plan-year", type=int, default=None, help="year for dates written without a year"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = _file_config(Path.cwd())
    lang = (
        getattr(args, "lang", None)
        or settings.get("lang")
        or os.environ.get("XLGOALS_LANG")
        or "da"
    )
    lang = lang if lang in ("da", "en") else "da"
    try:
        if args.command == "check":
            return _check(args, settings, lang)
        if args.command == "rules":
            return _rules(args, lang)
        if args.command == "new":
            return _new(args, lang)
        if args.command == "rollup":
            return _rollup(args, settings, lang)
        if args.command == "refresh":
            return _refresh(args, settings, lang)
        if args.command == "survey":
            from xlgoals.survey import cli as survey_cli

            return survey_cli.run(args)
    except XlgoalsError as exc:
        sys.stderr.write(f"xlgoals: {exc.message(lang)}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_ERROR
    except BrokenPipeError:
        # `xlgoals rules | head`: the reader has gone; stop quietly, not with a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    return EXIT_ERROR


def make_config(args: argparse.Namespace, settings: dict[str, Any], lang: str) -> Config:
    """The run's Config from flags, then `[tool.xlgoals]`, then defaults."""
    select = _codes(getattr(args, "select", None)) or _codes(settings.get("select"))
    ignore = _codes(getattr(args, "ignore", None)) or _codes(settings.get("ignore"))
    bad = unknown_codes(select + ignore)
    if bad:
        raise UsageError("cli.unknown_rule", codes=", ".join(bad))
    rule_config = RuleConfig(
        due_soon_days=getattr(args, "due_soon_days", None) or settings.get("due_soon_days", 30),
        stale_after_days=settings.get("stale_after_days", 365),
        anonymity_threshold=settings.get("anonymity_threshold", 5),
    )
    return Config(
        lang=lang,
        select=select,
        ignore=ignore,
        plan_year=getattr(args, "plan_year", None) or settings.get("plan_year"),
        rules=rule_config,
    )


def today_of(args: argparse.Namespace) -> dt.date:
    return _date(args.today) if getattr(args, "today", None) else dt.date.today()


def _check(args: argparse.Namespace, settings: dict[str, Any], lang: str) -> int:
    from xlgoals.reader import find_workbooks, read_workbook

    config = make_config(args, settings, lang)
    today = today_of(args)
    fail_on = Severity(args.fail_on or settings.get("fail_on", "error"))
    results: list[dict[str, Any]] = []
    exit_code = EXIT_OK
    paths: list[Path] = []
    for raw in args.paths:
        try:
            paths.extend(find_workbooks([raw]))
        except XlgoalsError as exc:
            results.append({"path": str(raw), "error": exc.message(lang)})
            exit_code = EXIT_ERROR
    for path in paths:
        try:
            grid = read_workbook(path)
            analysis = analyse(grid, today=today, config=config)
        except XlgoalsError as exc:
            results.append({"path": str(path), "error": exc.message(lang)})
            exit_code = EXIT_ERROR
            continue
        results.append({"path": str(path), "analysis": analysis})
        if exit_code == EXIT_OK and any(f.severity.rank >= fail_on.rank for f in analysis.findings):
            exit_code = EXIT_FINDINGS
    if args.format == "json":
        print(json.dumps({"files": [_file_json(r) for r in results]}, ensure_ascii=False, indent=2))
    else:
        _print_text(results, lang)
    for result in results:
        if "error" in result and args.format == "json":
            sys.stderr.write(f"xlgoals: {result['error']}\n")
    return exit_code


def analysis_json(analysis: Analysis) -> dict[str, Any]:
    """The plan and findings of one workbook as JSON-ready data."""
    return {
        "plan": analysis.plan.model_dump(mode="json"),
        "findings": [
            finding.model_dump(mode="json", exclude_defaults=False) for finding in analysis.findings
        ],
    }


def _file_json(result: dict[str, Any]) -> dict[str, Any]:
    if "error" in result:
        return {"path": result["path"], "error": result["error"], "plan": None, "findings": []}
    return {"path": result["path"], **analysis_json(result["analysis"])}


def _print_text(results: list[dict[str, Any]], lang: str) -> None:
    counts = {"error": 0, "warning": 0, "info": 0}
    for result in results:
        print(result["path"])
        if "error" in result:
            print(f"  {message('severity.error', lang)}: {result['error']}")
            continue
        analysis: Analysis = result["analysis"]
        plan = analysis.plan
        print(
            message(
                "cli.plan_line",
                lang,
                political=len(plan.political_goals),
                subs=len(plan.sub_goals()),
                actions=len(plan.action_goals()),
            )
        )
        if not analysis.findings:
            print(message("cli.no_findings", lang))
        for finding in analysis.findings:
            counts[finding.severity.value] += 1
            where = f"{finding.sheet}!{finding.cell}" if finding.sheet else "-"
            severity = message(f"severity.{finding.severity.value}", lang)
            print(f"  {where:<18} {severity:<9} {finding.rule}  {finding.message}")
        print()
    print(
        message(
            "cli.summary",
            lang,
            files=len(results),
            errors=counts["error"],
            warnings=counts["warning"],
            infos=counts["info"],
        )
    )
    unreadable = sum(1 for result in results if "error" in result)
    if unreadable:
        # the counts above cover only the workbooks read; say how many were not
        print(message("cli.unreadable", lang, files=unreadable))


def load_measurement_inputs(
    args: argparse.Namespace,
) -> tuple[list[Any], list[dt.date], dict[str, Any] | None]:
    """Survey exports (with their files' dates) and a measurements JSON from the flags."""
    surveys, dates = [], []
    for name in getattr(args, "survey", []) or []:
        # pandas is imported only when a survey file is given: a refresh without one
        # starts about 0.3 s sooner. A bad export raises SurveyReadError, an XlgoalsError
        # that main() reports in the user's language.
        from xlgoals.survey.readers import read_survey

        surveys.append(read_survey(name, getattr(args, "labels", None)))
        dates.append(dt.date.fromtimestamp(Path(name).stat().st_mtime))
    given = [_date(value, "--survey-date") for value in getattr(args, "survey_date", []) or []]
    for index in range(len(dates)):
        if given:
            dates[index] = given[min(index, len(given) - 1)]
    measurements = None
    if getattr(args, "measurements", None):
        path = Path(args.measurements)
        try:
            measurements = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError("cli.measurements_error", path=str(path), detail=str(exc)) from None
        from xlgoals.attainment import parse_measurements

        try:
            parse_measurements(measurements)
        except ValueError as exc:
            raise UsageError("cli.measurements_error", path=str(path), detail=str(exc)) from None
    return surveys, dates, measurements


def _rollup(args: argparse.Namespace, settings: dict[str, Any], lang: str) -> int:
    from xlgoals.attainment import render_rollup_text, rollup_to_json
    from xlgoals.reader import read_workbook

    config = make_config(args, settings, lang)
    today = today_of(args)
    surveys, dates, measurements = load_measurement_inputs(args)
    grid = read_workbook(args.file)
    analysis = analyse(
        grid,
        today=today,
        config=config,
        surveys=surveys,
        survey_dates=dates,
        measurements=measurements,
    )
    if args.format == "json":
        data = {"path": str(args.file), "rollup": rollup_to_json(analysis.rollup)}
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(render_rollup_text(analysis.rollup, lang, explain=not args.brief), end="")
    return EXIT_OK


def _refresh(args: argparse.Namespace, settings: dict[str, Any], lang: str) -> int:
    from xlgoals.refresh import refresh_file
    from xlgoals.xlsxpatch import WorkbookWriteError

    config = make_config(args, settings, lang)
    today = today_of(args)
    source = Path(args.file)
    if args.output is not None and Path(args.output).suffix.lower() != source.suffix.lower():
        # the copy is the same kind of file: an .xlsx named .csv or .xlsm will not open
        raise UsageError("cli.output_type", path=args.output, suffix=source.suffix.lower())
    # a shortcut (symlink) to the shared plan: refresh the plan, keep the shortcut
    source = source.resolve() if source.is_symlink() and args.output is None else source
    surveys, dates, measurements = load_measurement_inputs(args)
    try:
        analysis, report = refresh_file(
            source,
            today=today,
            config=config,
            surveys=surveys,
            survey_dates=dates,
            measurements=measurements,
            output=args.output,
            dry_run=args.dry_run,
        )
    except WorkbookWriteError as exc:
        sys.stderr.write(f"xlgoals: {exc.message(lang)}\n")
        return EXIT_ERROR
    counts = {s.value: sum(1 for f in analysis.findings if f.severity == s) for s in Severity}
    target = args.output or args.file
    key = "cli.refresh_dry_run" if args.dry_run else "cli.refreshed"
    print(message(key, lang, path=str(target), cells=len(report.changes)))
    if args.dry_run:
        for line in report.lines(lang):
            print(f"  {line}")
    measured = (
        sum(1 for t in analysis.measurements.targets if t.measurement)
        if analysis.measurements
        else 0
    )
    total = len(analysis.measurements.targets) if analysis.measurements else 0
    print(message("cli.refresh_measured", lang, measured=measured, total=total))
    print(
        message(
            "cli.summary",
            lang,
            files=1,
            errors=counts["error"],
            warnings=counts["warning"],
            infos=counts["info"],
        )
    )
    return EXIT_OK


def _rules(args: argparse.Namespace, lang: str) -> int:
    wanted = _codes(args.codes)
    bad = unknown_codes(wanted)
    if bad:
        raise UsageError("cli.unknown_rule", codes=", ".join(bad))
    chosen = [r for r in all_rules() if not wanted or any(r.code.startswith(w) for w in wanted)]
    if args.format == "json":
        print(json.dumps([_rule_json(rule, lang) for rule in chosen], ensure_ascii=False, indent=2))
        return EXIT_OK
    for rule in chosen:
        print(f"{rule.code} {rule.name} [{rule.severity.value}]")
        print("    " + rule.documentation().replace("\n", "\n    "))
        print()
    return EXIT_OK


def _rule_json(rule: Any, lang: str) -> dict[str, Any]:
    from xlgoals.i18n import template

    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity.value,
        "message": template(rule.code, lang),
        "documentation": rule.documentation(),
    }


def _new(args: argparse.Namespace, lang: str) -> int:
    from xlgoals.template import build_workbook

    path = Path(args.file)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UsageError("io.unsupported_type", path=str(path))
    if path.exists() and not args.force:
        raise UsageError("cli.exists", path=str(path))
    build_workbook(path, example=args.example, lang=lang)
    print(message("cli.written", lang, path=str(path)))
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
