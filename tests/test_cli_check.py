"""`xlgoals check`, `rules` and `new` end to end: reports, JSON, exit codes, bad files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from builders import HEADERS_DA, row_fields, write_workbook

from xlgoals.cli import main
from xlgoals.template import build_workbook

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "workbook" / "eksempel.xlsx"
TEMPLATE = REPO / "workbook" / "skabelon.xlsx"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_example_gives_exactly_the_documented_findings(capsys: pytest.CaptureFixture[str]) -> None:
    """README 'The bundled example' lists these findings; keep both in step."""
    code, out, _ = run(["check", str(EXAMPLE), "--today", "2016-01-15", "--format", "json"], capsys)
    data = json.loads(out)
    findings = [(f["rule"], f["sheet"], f["cell"]) for f in data["files"][0]["findings"]]
    expected = json.loads((REPO / "tests" / "data" / "example_findings.json").read_text("utf-8"))
    assert findings == [tuple(item) for item in expected]
    assert code == (1 if any(f["severity"] == "error" for f in data["files"][0]["findings"]) else 0)


def test_example_plan_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", str(EXAMPLE), "--format", "json", "--select", "MX"], capsys)
    plan = json.loads(out)["files"][0]["plan"]
    political = plan["political_goals"]
    assert [(p["id"], p["title"]) for p in political] == [("1", "Den helhedsorienterede indsats")]
    subs = political[0]["sub_goals"]
    assert [s["id"] for s in subs] == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    goals = subs[0]["action_goals"]
    assert [(g["id"], g["sheet"], g["row"]) for g in goals] == [
        ("1.1.1", "Målmatrix", 6),
        ("1.1.2", "Målmatrix", 7),
    ]
    assert goals[0]["criteria"]["cell"] == "D6"
    assert goals[0]["owner"] == {
        "body": "chefgruppen",
        "person": "Claus Herbert",
        "role": "ansvarlig",
    }
    assert code == 0


def test_text_report_groups_by_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [
        [None, None, *HEADERS_DA],
        ["Delmål 1.1 x"],
        [None, None, *row_fields("(1.1.1.) a", owner="")],
    ]
    (tmp_path / "a").mkdir()
    write_workbook(tmp_path / "a" / "one.xlsx", {"M": rows})
    write_workbook(
        tmp_path / "a" / "two.xlsx", {"M": [*rows[:2], [None, None, *row_fields("(1.1.1.) b")]]}
    )
    (tmp_path / "a" / "~$one.xlsx").write_bytes(b"\x05owner")
    code, out, _ = run(["check", str(tmp_path / "a")], capsys)
    assert code == 1
    assert "one.xlsx\n" in out and "two.xlsx\n" in out and "~$one" not in out
    assert "M!G3" in out and "CP005" in out
    assert "2 projektmappe(r) kontrolleret: 1 fejl" in out


def test_fail_on_and_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [
        [None, None, *HEADERS_DA],
        ["Delmål 1.1 x"],
        [None, None, *row_fields("(1.1.1.) a", owner="Chefgruppen")],
    ]
    path = write_workbook(tmp_path / "w.xlsx", {"M": rows})
    day = ["--today", "2015-01-01"]  # before the plan's milestones fall due (TL002/TL003)
    assert run(["check", str(path), *day], capsys)[0] == 0  # only a warning
    assert run(["check", str(path), *day, "--fail-on", "warning"], capsys)[0] == 1
    ignore = ["--fail-on", "warning", "--ignore", "CP006"]
    assert run(["check", str(path), *day, *ignore], capsys)[0] == 0
    code, _, err = run(["check", str(path), "--select", "ZZ9"], capsys)
    assert code == 2 and "ZZ9" in err
    code, _, err = run(["check", str(path), "--today", "15-01-2016"], capsys)
    assert code == 2 and "ÅÅÅÅ-MM-DD" in err


def _encrypted(path: Path, source: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    with source.open("rb") as plain, path.open("wb") as out:
        OOXMLFile(plain).encrypt("hemmelig", out)
    return path


def _legacy_xls(path: Path) -> Path:
    import xlwt

    book = xlwt.Workbook()
    book.add_sheet("Ark1").write(0, 0, "Handlemål")
    book.save(str(path))
    return path


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        ("notzip.xlsx", lambda p: p.write_text("just some text\n") and p, "ikke en gyldig Excel"),
        ("empty.xlsx", lambda p: p.write_bytes(b"") or p, "tom (0 byte)"),
        ("old.xlsx", _legacy_xls, "97-2003"),
        (
            "page.xlsx",
            lambda p: (
                p.write_text("<!DOCTYPE html><html><body><table></table></body></html>") and p
            ),
            "HTML-side",
        ),
        ("truncated.xlsx", lambda p: p.write_bytes(EXAMPLE.read_bytes()[:3000]) or p, "beskadiget"),
    ],
)
def test_bad_files_exit_2_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, make: object, words: str
) -> None:
    path = tmp_path / name
    make(path)  # type: ignore[operator]
    code, out, err = run(["check", str(path)], capsys)
    assert code == 2
    assert str(path) in out and words in out
    assert "Traceback" not in out + err


def test_password_protected_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _encrypted(tmp_path / "locked.xlsx", EXAMPLE)
    code, out, _ = run(["check", str(path), "--lang", "en"], capsys)
    assert code == 2 and f"{path}: the workbook is password-protected" in out


def test_bad_file_in_json_mode_and_good_files_still_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.xlsx").write_bytes(b"")
    (tmp_path / "good.xlsx").write_bytes(EXAMPLE.read_bytes())
    code, out, err = run(["check", str(tmp_path), "--format", "json"], capsys)
    files = json.loads(out)["files"]
    assert code == 2
    assert [Path(f["path"]).name for f in files] == ["bad.xlsx", "good.xlsx"]
    assert "tom" in files[0]["error"] and files[1]["plan"]["political_goals"]
    assert "bad.xlsx" in err


def test_console_script_never_prints_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04garbage")
    result = subprocess.run(
        [sys.executable, "-m", "xlgoals.cli", "check", str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert str(path) in result.stdout


@pytest.mark.parametrize("command", ["check", "rollup", "refresh"])
def test_commands_without_survey_files_start_without_pandas(tmp_path: Path, command: str) -> None:
    """`python -m xlgoals` runs; pandas (about 0.3 s to import) loads only for survey files."""
    path = tmp_path / "plan.xlsx"
    path.write_bytes(EXAMPLE.read_bytes())
    probe = (
        "import runpy, sys\n"
        "try:\n"
        "    runpy.run_module('xlgoals', run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    print('exit', exit.code, 'pandas' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, command, str(path), "--today", "2016-01-15"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.stderr.strip().splitlines()[-1] in ("exit 0 False", "exit 1 False")
    if command == "refresh":
        assert path.read_bytes() != EXAMPLE.read_bytes()


def test_missing_path_and_folder_without_workbooks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["check", str(tmp_path / "nope.xlsx")], capsys)
    assert code == 2 and "findes ikke" in out
    code, out, _ = run(["check", str(tmp_path)], capsys)
    assert code == 2 and "ingen .xlsx" in out


def test_rules_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["rules", "--format", "json"], capsys)
    rules = json.loads(out)
    assert code == 0
    codes = [r["code"] for r in rules]
    assert codes == sorted(codes) and {"MX001", "CP005", "SM001", "TL001"} <= set(codes)
    assert all("Anti-pattern" in r["documentation"] for r in rules)
    code, out, _ = run(["rules", "CP006"], capsys)
    assert "CP006 owner-without-person [warning]" in out and "Claus Herbert" in out


def _content(path: Path) -> dict[str, object]:
    """What a leader sees in a workbook: values, merges, widths, freeze, print and CF set-up."""
    import zipfile

    from openpyxl import load_workbook

    book = load_workbook(path)
    content: dict[str, object] = {"sheets": book.sheetnames}
    for sheet in book.worksheets:
        content[sheet.title] = {
            "values": [[cell.value for cell in row] for row in sheet.iter_rows()],
            "merged": sorted(str(r) for r in sheet.merged_cells.ranges),
            "widths": {k: v.width for k, v in sheet.column_dimensions.items()},
            "freeze": sheet.freeze_panes,
            "orientation": sheet.page_setup.orientation,
            "paper": sheet.page_setup.paperSize,
            "print_titles": sheet.print_title_rows,
            "cf": sorted(
                (str(rng.sqref), [r.formula for r in rules])
                for rng, rules in sheet.conditional_formatting._cf_rules.items()
            ),
        }
    with zipfile.ZipFile(path) as archive:
        content["parts"] = sorted(archive.namelist())
        drawings = [n for n in archive.namelist() if n.startswith("xl/drawings/drawing")]
        content["drawings"] = [archive.read(n) for n in sorted(drawings)]
    return content


@pytest.mark.parametrize(("committed", "example"), [(TEMPLATE, False), (EXAMPLE, True)])
def test_committed_workbooks_match_what_new_builds(
    tmp_path: Path, committed: Path, example: bool
) -> None:
    fresh = build_workbook(tmp_path / committed.name, example=example)
    assert _content(fresh) == _content(committed), (
        f"rebuild with: xlgoals new {'--example ' if example else ''}{committed}"
    )


def test_new_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.xlsx"
    assert run(["new", str(path)], capsys)[0] == 0
    code, _, err = run(["new", str(path)], capsys)
    assert code == 2 and "--force" in err
    assert run(["new", str(path), "--force", "--example", "--lang", "en"], capsys)[0] == 0


def test_template_is_a_valid_matrix(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", str(TEMPLATE), "--format", "json"], capsys)
    data = json.loads(out)["files"][0]
    assert code == 0
    assert [f["rule"] for f in data["findings"]] == []


def test_example_milestones_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 3: with --today 2016-01-15 every dated milestone is overdue, undated ones undated."""
    code, out, _ = run(["check", str(EXAMPLE), "--today", "2016-01-15", "--format", "json"], capsys)
    subs = json.loads(out)["files"][0]["plan"]["political_goals"][0]["sub_goals"]
    found = {
        goal["id"]: [(m["index"], m["due"], m["state"]) for m in goal["milestones"]]
        for goal in subs[0]["action_goals"]
    }
    assert found == {
        "1.1.1": [
            (1, "2015-12-31", "overdue"),
            (2, None, "undated"),
            (3, None, "undated"),
            (4, "2015-12-31", "overdue"),
        ],
        "1.1.2": [(1, None, "undated"), (2, "2015-03-31", "overdue"), (3, None, "undated")],
    }
    targets = {
        g["id"]: [
            (t["comparator"], t["value"], t["unit"], t["deadline"], t["horizon"])
            for t in g["targets"]
        ]
        for g in subs[0]["action_goals"]
    }
    assert targets == {
        "1.1.1": [
            (">=", 80.0, "%", "2015-12-31", "deadline"),
            (">=", 95.0, "%", None, "long_term"),
        ],
        "1.1.2": [
            (">=", 60.0, "%", "2015-12-31", "deadline"),
            (">=", 95.0, "%", "2015-12-31", "deadline"),
        ],
    }
    assert code == 0
