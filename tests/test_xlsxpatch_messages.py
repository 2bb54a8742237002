"""The writer's messages live in `data/messages/write.json`: every key the writer uses exists
in Danish and English, every call passes exactly the placeholders its template needs, and
the rendered texts are the ones users see (file, sheet, cell, then the message)."""

from __future__ import annotations

import ast
import json
import shutil
import string
import struct
from importlib import resources
from pathlib import Path

import pytest
import xlsxwriter
from allparts import MATRIX, build_allparts

from xlgoals import xlsxpatch
from xlgoals.i18n import LANGUAGES, has_message
from xlgoals.xlsxpatch import (
    OwnedSheet,
    Phrase,
    WorkbookLockedError,
    WorkbookWriteError,
    default_owned_sheet_names,
    patch_workbook,
)

SOURCE = Path(xlsxpatch.__file__).read_text("utf-8")
CATALOGUE: dict[str, dict[str, str]] = {
    key: value
    for key, value in json.loads(
        resources.files("xlgoals.data").joinpath("messages/write.json").read_text("utf-8")
    ).items()
    if not key.startswith("_")
}
ERRORS = {"WorkbookWriteError", "UnsupportedWorkbookError", "WorkbookLockedError"}
LOCATION = {"path", "sheet", "cell"}  # keyword arguments of the errors, not placeholders
OWNED = sorted(default_owned_sheet_names())[0]


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def message_calls() -> list[tuple[int, str, set[str] | None]]:
    """(line, key, argument names or None when they cannot be read) of every call in
    xlsxpatch.py that names a message key as a string literal."""
    found = []
    for node in ast.walk(ast.parse(SOURCE)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        first = node.args[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            continue
        if not first.value.startswith("write."):
            continue
        name = _callee(node)
        names: set[str] | None
        if name == "Phrase":
            rest = node.args[1] if len(node.args) > 1 else None
            if rest is None:
                names = set()
            elif isinstance(rest, ast.Dict) and all(isinstance(k, ast.Constant) for k in rest.keys):
                names = {k.value for k in rest.keys}  # type: ignore[union-attr]
            else:
                names = None
        elif name in ERRORS or name == "_error":
            names = {kw.arg for kw in node.keywords if kw.arg is not None} - LOCATION
        elif name == "message":
            names = {kw.arg for kw in node.keywords if kw.arg is not None}
        else:
            raise AssertionError(f"line {node.lineno}: unknown message call {name}")
        found.append((node.lineno, first.value, names))
    return found


def test_every_key_the_writer_uses_exists_in_both_languages() -> None:
    calls = message_calls()
    used = {key for _, key, _ in calls}
    assert len(used) >= 50  # the scan really finds the writer's messages
    for key in used:
        assert has_message(key), key
        assert set(CATALOGUE[key]) == set(LANGUAGES), key
        assert all(CATALOGUE[key][lang].strip() for lang in LANGUAGES), key
    # and the catalogue holds nothing the writer does not use
    assert set(CATALOGUE) == used


def test_both_languages_have_the_same_placeholders() -> None:
    for key, texts in CATALOGUE.items():
        assert placeholders(texts["da"]) == placeholders(texts["en"]), key


def test_every_call_passes_exactly_the_placeholders_of_its_message() -> None:
    checked = 0
    for line, key, names in message_calls():
        if names is None:
            continue
        assert names == placeholders(CATALOGUE[key]["en"]), f"xlsxpatch.py line {line}: {key}"
        checked += 1
    assert checked >= 50


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_message_renders_with_its_arguments(key: str) -> None:
    args = {name: f"<{name}>" for name in placeholders(CATALOGUE[key]["en"])}
    for lang in LANGUAGES:
        text = Phrase(key, args).text(lang)
        assert "{" not in text and "}" not in text, (key, lang, text)
        assert all(f"<{name}>" in text for name in args), (key, lang, text)


# --------------------------------------------------------------------------- rendered texts


@pytest.fixture(scope="module")
def allparts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_allparts(tmp_path_factory.mktemp("allparts") / "plan.xlsm")


def fresh(allparts: Path, tmp_path: Path) -> Path:
    target = tmp_path / "plan.xlsm"
    shutil.copyfile(allparts, target)
    return target


def test_an_error_names_file_sheet_and_cell_in_each_language(
    allparts: Path, tmp_path: Path
) -> None:
    path = fresh(allparts, tmp_path)
    with pytest.raises(WorkbookWriteError) as err:
        patch_workbook(path, cells={MATRIX: {"H4": "OK", "D3": "x"}})
    assert err.value.message("da") == (
        f"{path}, ark 'Handleplan', celle D3: cellen ligger i det flettede område B3:G3, "
        "men er ikke dets øverste venstre celle B3; skriv i B3"
    )
    assert err.value.message("en") == (
        f"{path}, sheet 'Handleplan', cell D3: cell is inside the merged range B3:G3 "
        "but is not its top-left cell B3; write to B3"
    )
    assert str(err.value) == err.value.message("en") == err.value.message()
    assert (err.value.key, err.value.args_map) == (
        "write.merged_cell",
        {"range": "B3:G3", "anchor": "B3"},
    )


def test_a_workbook_locked_by_an_unnamed_user(allparts: Path, tmp_path: Path) -> None:
    path = fresh(allparts, tmp_path)
    (tmp_path / f"~${path.name}").write_bytes(b"")
    with pytest.raises(WorkbookLockedError) as err:
        patch_workbook(path, cells={MATRIX: {"H4": "OK"}})
    assert err.value.message("da") == (
        f"{path}: projektmappen er åben i Excel af en anden bruger; luk den og prøv igen"
    )
    assert err.value.message("en") == (
        f"{path}: the workbook is open in Excel by another user; close it and try again"
    )


def test_a_bad_value_in_an_owned_sheet_names_the_file(allparts: Path, tmp_path: Path) -> None:
    path = fresh(allparts, tmp_path)
    with pytest.raises(WorkbookWriteError) as err:
        patch_workbook(path, sheets={OWNED: OwnedSheet(rows=[["a"], [float("inf")]])})
    assert (err.value.path, err.value.sheet, err.value.cell) == (str(path), OWNED, "A2")
    assert err.value.message("da") == (
        f"{path}, ark '{OWNED}', celle A2: kan ikke skrive inf: "
        "Excel-celler kan kun rumme endelige tal"
    )


def test_a_text_cut_to_excels_limit_is_reported_in_each_language(tmp_path: Path) -> None:
    path = tmp_path / "lang.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Ark 1").write("A1", "x")
    wb.close()
    report = patch_workbook(path, cells={"Ark 1": {"B2": "å" * 40000}}, dry_run=True)
    assert report.warnings == ["'Ark 1'!B2: text cut to 32767 characters"]
    assert report.warnings_in("da") == ["'Ark 1'!B2: teksten er afkortet til 32767 tegn"]
    assert report.lines("da")[-1] == "'Ark 1'!B2: teksten er afkortet til 32767 tegn"
    assert report.lines("en")[-1] == "'Ark 1'!B2: text cut to 32767 characters"
    unchanged = patch_workbook(path, cells={"Ark 1": {"A1": "x"}}, dry_run=True)
    assert unchanged.lines("da") == ["ingen ændringer"]
    assert unchanged.lines("en") == ["no changes"]


def test_a_too_large_workbook_reports_the_limit(
    allparts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size limits are raised deep in the zip layer as phrases, rendered per language."""
    record = bytearray(46)
    struct.pack_into("<I", record, 0, 0x02014B50)

    def build_past_4_gb(*_: object) -> bytes:
        return xlsxpatch._patch_central_offset(bytes(record), 1 << 32)

    monkeypatch.setattr(xlsxpatch, "_build_archive", build_past_4_gb)
    path = fresh(allparts, tmp_path)
    original = path.read_bytes()
    with pytest.raises(WorkbookWriteError) as err:
        patch_workbook(path, cells={MATRIX: {"H4": "OK"}})
    assert err.value.message("en") == (
        f"{path}: the workbook is too large to write (workbook larger than 4 GB)"
    )
    assert err.value.message("da") == (
        f"{path}: projektmappen er for stor til at blive skrevet (workbook larger than 4 GB)"
    )
    assert path.read_bytes() == original
