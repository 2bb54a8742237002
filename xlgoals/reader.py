"""Reading workbook files into plain grids (a surface: file I/O lives here, not in the core).

python-calamine reads the values and merged ranges; it is ~10× faster than openpyxl and
imports in about a millisecond (see `benchmarks/bench_check.py`). Strikethrough is the one
formatting fact the core needs (a struck-through milestone is done); calamine cannot see
it, so it is read from the zip's XML, and only when the workbook uses strikethrough at all.
The file's first bytes are sniffed first, so a renamed .xls, an encrypted workbook or an
HTML page gets a clear message instead of a library's exception.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from xlgoals.errors import WorkbookReadError
from xlgoals.grid import CellValue, SheetGrid, TextRun, WorkbookGrid, column_index, parse_a1
from xlgoals.measure import shows_percent
from xlgoals.owned import owned_sheet_name

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def sniff(path: Path) -> None:
    """Raise a clear WorkbookReadError unless `path` looks like an OOXML workbook."""
    if not path.exists():
        raise WorkbookReadError("io.not_found", path=str(path))
    if path.is_dir():
        raise WorkbookReadError("io.is_directory", path=str(path))
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise WorkbookReadError("io.unreadable", path=str(path), detail=exc.strerror) from None
    if not head:
        raise WorkbookReadError("io.empty", path=str(path))
    if head.startswith(_OLE_MAGIC):
        with path.open("rb") as handle:
            data = handle.read()
        if _ENCRYPTED_STREAM in data:
            raise WorkbookReadError("io.encrypted", path=str(path))
        raise WorkbookReadError("io.legacy_xls", path=str(path))
    if not head.startswith(_ZIP_MAGIC):
        lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if lowered.startswith((b"<!doctype html", b"<html", b"<?xml", b"<table", b"<head")):
            raise WorkbookReadError("io.html", path=str(path))
        raise WorkbookReadError("io.not_zip", path=str(path))


def read_workbook(path: str | Path) -> WorkbookGrid:
    """Every sheet's values and merged ranges (and struck-through text) from an .xlsx/.xlsm."""
    path = Path(path)
    sniff(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names:
                raise WorkbookReadError("io.not_zip", path=str(path))
            head = archive.read("xl/workbook.xml")[:2000]
            if b"purl.oclc.org/ooxml/spreadsheetml" in head:
                raise WorkbookReadError("io.strict", path=str(path))
            parts = _Parts(archive, names)
            _refuse_huge_sheets(parts, path)
            strike = _struck_text(parts)
            percent = _percent_cells(parts)
            errors = _error_cells(parts)
    except zipfile.BadZipFile as exc:
        raise WorkbookReadError("io.corrupt", path=str(path), detail=str(exc)) from None
    grid = _read_values(path)
    if strike:
        _apply_strike(grid, strike)
    for sheet in grid.sheets:
        sheet.percent_cells = percent.get(sheet.name, set())
        for (row, col), literal in errors.get(sheet.name, {}).items():
            # calamine gives '' for an error; the cell is not empty, its formula fails
            if row < len(sheet.rows) and col < len(sheet.rows[row]) and not sheet.rows[row][col]:
                sheet.rows[row][col] = literal
    return grid


class _Parts:
    """The zip parts the XML scans share, each read (and decompressed) once per workbook:
    the worksheet list, the worksheets' XML and styles.xml."""

    def __init__(self, archive: zipfile.ZipFile, names: set[str]) -> None:
        self.archive = archive
        self.names = names
        self.sheets = list(_sheet_parts(archive, names))
        self._xml: dict[str, bytes] = {}

    def xml(self, part: str) -> bytes:
        data = self._xml.get(part)
        if data is None:
            data = self._xml[part] = self.archive.read(part)
        return data

    def cell_style_attribute(self, attribute: bytes) -> list[int | None]:
        """`attribute` (b"fontId", b"numFmtId") of each cell style in styles.xml's cellXfs,
        by style index; empty without styles."""
        if "xl/styles.xml" not in self.names:
            return []
        xfs_xml = re.search(rb"<cellXfs[^>]*>(.*?)</cellXfs>", self.xml("xl/styles.xml"), re.S)
        if not xfs_xml:
            return []
        pattern = re.compile(rb"\b" + attribute + rb'="(\d+)"')
        values: list[int | None] = []
        for xf in re.findall(rb"<xf [^>]*?(?:/>|>.*?</xf>)", xfs_xml.group(1), re.S):
            found = pattern.search(xf)
            values.append(int(found.group(1)) if found else None)
        return values


# --- sheets too large to read --------------------------------------------------------

# calamine builds a dense grid from A1 to the farthest cell with a value (32 bytes a cell):
# one note typed in XFD1048576 asks for 512 GiB and aborts the process. Ten million cells
# (~0.5 GB, a few seconds) is far beyond any goal matrix.
MAX_SHEET_CELLS = 10_000_000
_DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension ref="(?:[A-Z]+\d+:)?([A-Z]+)(\d+)"')
_VALUE_CELL_RE = re.compile(
    rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]+)(\d+)"[^>]*?>\s*<(?:\w+:)?(?:v|is|f)\b'
)


def _refuse_huge_sheets(parts: _Parts, path: Path) -> None:
    """Raise a WorkbookReadError naming the far-away cells of a sheet too large to read.

    The sheet's <dimension> (written by Excel, LibreOffice, openpyxl, xlsxwriter) is an upper
    bound that also counts empty formatted cells, so only a large or missing one costs a
    scan of the cells that really hold something."""
    for sheet_name, part in parts.sheets:
        with parts.archive.open(part) as handle:
            head = handle.read(2048)
        dimension = _DIMENSION_RE.search(head)
        if dimension and _area(dimension.group(1), dimension.group(2)) <= MAX_SHEET_CELLS:
            continue
        far_row = far_col = (b"A", b"1")
        for letters, digits in _VALUE_CELL_RE.findall(parts.xml(part)):
            if int(digits) > int(far_row[1]):
                far_row = (letters, digits)
            if (len(letters), letters) > (len(far_col[0]), far_col[0]):  # 'AA' after 'Z'
                far_col = (letters, digits)
        rows, cols = int(far_row[1]), column_index(far_col[0].decode()) + 1
        if rows * cols > MAX_SHEET_CELLS:
            cells = dict.fromkeys((b"".join(far_row).decode(), b"".join(far_col).decode()))
            raise WorkbookReadError(
                "io.too_large",
                path=str(path),
                sheet=sheet_name,
                cells=", ".join(cells),
                rows=rows,
                cols=cols,
            )


def _area(letters: bytes, digits: bytes) -> int:
    return (column_index(letters.decode()) + 1) * int(digits)


def _read_values(path: Path) -> WorkbookGrid:
    from python_calamine import CalamineWorkbook  # lazy: not on the xlwings Lite path

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = []
        for meta in workbook.sheets_metadata:
            if str(meta.typ).lower().endswith("chartsheet"):
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            rows = [_clean_row(row) for row in sheet.to_python(skip_empty_area=False)]
            merged = [
                (start[0], start[1], end[0], end[1])
                for start, end in sheet.merged_cell_ranges or []
            ]
            sheets.append(SheetGrid(name=meta.name, rows=rows, merged=merged))
        workbook.close()
    except WorkbookReadError:
        raise
    except Exception as exc:  # calamine raises several unrelated types for damaged files
        detail = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        raise WorkbookReadError("io.corrupt", path=str(path), detail=detail) from None
    return WorkbookGrid(sheets=sheets, source=str(path))


def _clean_row(row: list[CellValue]) -> list[CellValue]:
    """Calamine gives '' for empty cells; the core uses None."""
    return [None if value == "" else value for value in row]


# --- strikethrough ---------------------------------------------------------------------

_SI_RE = re.compile(rb"<si>(.*?)</si>|<si/>", re.S)
_RUN_RE = re.compile(rb"<r>(.*?)</r>", re.S)
_T_RE = re.compile(rb"<t[^>]*>(.*?)</t>|<t/>", re.S)
_STRIKE_RE = re.compile(rb"<strike(?:\s+val=\"(?:1|true)\")?\s*/>")
_CELL_RE = re.compile(rb'<c r="([A-Z]+\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
# `(?:\w+:)?`: the .NET Open XML SDK writes prefixed elements (<x:sheet …>)
_SHEET_RE = re.compile(rb'<(?:\w+:)?sheet\s[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"', re.S)
_REL_RE = re.compile(rb'<Relationship [^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"', re.S)
_REL_RE2 = re.compile(rb'<Relationship [^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"', re.S)


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8")
    for entity, char in (
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", '"'),
        ("&apos;", "'"),
        ("&amp;", "&"),
    ):
        text = text.replace(entity, char)
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)


def _runs(si: bytes) -> list[TextRun]:
    runs = []
    for run in _RUN_RE.finditer(si):
        body = run.group(1)
        text = "".join(_unescape(t.group(1) or b"") for t in _T_RE.finditer(body))
        runs.append(TextRun(text=text, strike=bool(_STRIKE_RE.search(body))))
    return runs


def _struck_text(parts: _Parts) -> dict[str, dict[tuple[int, int], list[TextRun]]]:
    """Rich-text runs of every cell whose text is (partly) struck through, by sheet name."""
    shared: dict[int, list[TextRun]] = {}
    if "xl/sharedStrings.xml" in parts.names:
        data = parts.archive.read("xl/sharedStrings.xml")
        if _STRIKE_RE.search(data):
            for index, match in enumerate(_SI_RE.finditer(data)):
                body = match.group(1) or b""
                if _STRIKE_RE.search(body):
                    shared[index] = _runs(body)
    struck_styles = _struck_styles(parts)
    result: dict[str, dict[tuple[int, int], list[TextRun]]] = {}
    for sheet_name, part in parts.sheets:
        data = parts.xml(part)
        inline = b"<strike" in data
        if not (shared or struck_styles or inline):
            continue
        cells: dict[tuple[int, int], list[TextRun]] = {}
        for match in _CELL_RE.finditer(data):
            ref, attrs, body = match.group(1).decode(), match.group(2), match.group(3) or b""
            runs = _cell_runs(attrs, body, shared, inline)
            style = re.search(rb's="(\d+)"', attrs)
            if runs is None and style and int(style.group(1)) in struck_styles:
                text = "".join(_unescape(t.group(1) or b"") for t in _T_RE.finditer(body))
                runs = [TextRun(text=text, strike=True)]
            if runs is not None:
                cells[parse_a1(ref)] = runs
        if cells:
            result[sheet_name] = cells
    return result


def _cell_runs(
    attrs: bytes, body: bytes, shared: dict[int, list[TextRun]], inline: bool
) -> list[TextRun] | None:
    """The struck-through rich-text runs of one cell (shared or inline string), else None."""
    if b't="s"' in attrs:
        value = re.search(rb"<v>(\d+)</v>", body)
        return shared.get(int(value.group(1))) if value else None
    if inline and b't="inlineStr"' in attrs and _STRIKE_RE.search(body):
        return _runs(body)
    return None


def _struck_styles(parts: _Parts) -> set[int]:
    """Indices of cell styles whose font is struck through (a whole cell crossed out)."""
    if "xl/styles.xml" not in parts.names:
        return set()
    data = parts.xml("xl/styles.xml")
    if not _STRIKE_RE.search(data):
        return set()
    fonts_xml = re.search(rb"<fonts[^>]*>(.*?)</fonts>", data, re.S)
    if not fonts_xml:
        return set()
    fonts = re.findall(
        rb"<font>.*?</font>|<font/>|<font [^>]*>.*?</font>", fonts_xml.group(1), re.S
    )
    struck_fonts = {i for i, font in enumerate(fonts) if _STRIKE_RE.search(font)}
    font_ids = parts.cell_style_attribute(b"fontId")
    return {i for i, font in enumerate(font_ids) if font in struck_fonts}


# --- formula errors ------------------------------------------------------------------

_ERROR_CELL_RE = re.compile(rb'<(?:\w+:)?c\s([^>]*?\bt="e"[^>]*)>(.*?)</(?:\w+:)?c>', re.S)
_REF_RE = re.compile(rb'\br="([A-Z]+\d+)"')
_V_RE = re.compile(rb"<(?:\w+:)?v>([^<]*)</")


def _error_cells(parts: _Parts) -> dict[str, dict[tuple[int, int], str]]:
    """Cells showing an error value ('#N/A', '#REF!' …), by sheet; calamine drops them."""
    result: dict[str, dict[tuple[int, int], str]] = {}
    for sheet_name, part in parts.sheets:
        data = parts.xml(part)
        if b't="e"' not in data:
            continue
        cells = {}
        for match in _ERROR_CELL_RE.finditer(data):
            ref, value = _REF_RE.search(match.group(1)), _V_RE.search(match.group(2))
            if ref and value:
                cells[parse_a1(ref.group(1).decode())] = _unescape(value.group(1))
        result[sheet_name] = cells
    return result


# --- percentages in the measurement plan ---------------------------------------------

_NUMFMT_RE = re.compile(rb'<numFmt [^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"', re.S)
_PERCENT_BUILTIN = {9, 10}  # "0%" and "0.00%"


def _percent_styles(parts: _Parts) -> set[int]:
    """Indices of cell styles whose number format shows a percentage (a % outside quotes)."""
    if "xl/styles.xml" not in parts.names:
        return set()
    percent_formats = set(_PERCENT_BUILTIN)
    for number, code in _NUMFMT_RE.findall(parts.xml("xl/styles.xml")):
        if shows_percent(_unescape(code)):
            percent_formats.add(int(number))
    number_formats = parts.cell_style_attribute(b"numFmtId")
    return {i for i, number in enumerate(number_formats) if number in percent_formats}


def _percent_cells(parts: _Parts) -> dict[str, set[tuple[int, int]]]:
    """Numeric cells shown as a percentage, on the measurement-plan sheet only (the one
    place a leader types a measured value)."""
    wanted = {owned_sheet_name("measurements", lang) for lang in ("da", "en")}
    sheets = [(name, part) for name, part in parts.sheets if name in wanted]
    if not sheets:
        return {}
    styles = _percent_styles(parts)
    if not styles:
        return {}
    result: dict[str, set[tuple[int, int]]] = {}
    for sheet_name, part in sheets:
        cells = set()
        for match in _CELL_RE.finditer(parts.xml(part)):
            attrs = match.group(2)
            style = re.search(rb's="(\d+)"', attrs)
            numeric = b"t=" not in attrs or b't="n"' in attrs
            if style and int(style.group(1)) in styles and numeric:
                cells.add(parse_a1(match.group(1).decode()))
        result[sheet_name] = cells
    return result


def _sheet_parts(archive: zipfile.ZipFile, names: set[str]) -> Iterator[tuple[str, str]]:
    """(sheet name, zip part) for every worksheet, from workbook.xml and its rels."""
    workbook = archive.read("xl/workbook.xml")
    rels_data = (
        archive.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in names else b""
    )
    targets = {rid: target for rid, target in _REL_RE.findall(rels_data)}
    targets.update({rid: target for target, rid in _REL_RE2.findall(rels_data)})
    for name, rid in _SHEET_RE.findall(workbook):
        target = targets.get(rid, b"").decode()
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if part in names:
            yield _unescape(name), part


def _apply_strike(
    grid: WorkbookGrid, strike: dict[str, dict[tuple[int, int], list[TextRun]]]
) -> None:
    for sheet in grid.sheets:
        for cell, runs in strike.get(sheet.name, {}).items():
            sheet.rich_text[cell] = runs
            if runs and all(run.strike for run in runs if run.text.strip()):
                sheet.struck_cells.add(cell)


def find_workbooks(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given, folders searched recursively for .xlsx/.xlsm (Excel's ~$ files skipped)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in WORKBOOK_SUFFIXES
                and not p.name.startswith("~$")
                and p.is_file()
            )
            if not found:
                raise WorkbookReadError("io.no_workbooks", path=str(path))
            yield from found
        else:
            yield path
