"""`xlgoals refresh` on workbooks from other producers and hand-made real-world shapes.

The bundled example is re-saved by LibreOffice and openpyxl and rewritten at the zip and
XML level the way other producers write it (an `x:` prefix on every element, rows and
cells without `r`, a sheet part under another path with an absolute target, 1904 dates,
stored, ZIP64 and streamed entries, tables, shared and array formulas, `mc:AlternateContent`,
a cell in column XFD). Each is refreshed twice: the second run must give the identical file,
every part xlgoals does not own must keep its bytes, and openpyxl, python-calamine and
LibreOffice must read the new values.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import struct
import subprocess
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from xlgoals.refresh import refresh_file
from xlgoals.xlsxpatch import UnsupportedWorkbookError, WorkbookWriteError, patch_workbook

EXAMPLE = Path(__file__).resolve().parent.parent / "workbook" / "eksempel.xlsx"
TODAY = dt.date(2026, 11, 1)
MATRIX = "Målmatrix"
SHEET = "xl/worksheets/sheet1.xml"
SHEET_RELS = "xl/worksheets/_rels/sheet1.xml.rels"
WORKBOOK = "xl/workbook.xml"
WB_RELS = "xl/_rels/workbook.xml.rels"
CT = "[Content_Types].xml"
# What a refresh may change in the example: the matrix, the sheet list, styles, new parts.
MAY_CHANGE = {SHEET, WORKBOOK, WB_RELS, CT, "xl/styles.xml"}

Entries = list[tuple[str, bytes]]


# --------------------------------------------------------------------------- building


def entries(path: Path) -> Entries:
    with zipfile.ZipFile(path) as zf:
        return [(info.filename, zf.read(info)) for info in zf.infolist()]


def edit(items: Entries, name: str, change: Callable[[str], str]) -> Entries:
    """The entries with part `name` rewritten by `change` (which must change it)."""
    out = []
    for part, data in items:
        if part == name:
            new = change(data.decode())
            assert new != data.decode(), f"the variant did not change {name}"
            data = new.encode()
        out.append((part, data))
    return out


def rename(items: Entries, old: str, new: str) -> Entries:
    return [(new if part == old else part, data) for part, data in items]


class _Stream(io.RawIOBase):
    """An unseekable sink: zipfile then writes every entry with a data descriptor."""

    def __init__(self) -> None:
        self.buf = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.buf += data
        return len(data)


def save(
    path: Path, items: Entries, *, stored: bool = False, zip64: bool = False, stream: bool = False
) -> Path:
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    if stream:
        sink = _Stream()
        with zipfile.ZipFile(sink, "w", method) as zf:
            for name, data in items:
                with zf.open(name, "w") as handle:
                    handle.write(data)
        path.write_bytes(bytes(sink.buf))
        return path
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are wanted in one variant
        with zipfile.ZipFile(path, "w", method) as zf:
            for name, data in items:
                info = zipfile.ZipInfo(name, (2024, 5, 6, 7, 8, 10))
                info.compress_type = method
                with zf.open(info, "w", force_zip64=zip64) as handle:
                    handle.write(data)
    return path


def prefixed(xml: str) -> str:
    """The part with an `x:` prefix on every SpreadsheetML element, as some producers write."""
    xml = xml.replace(
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
        'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
    )
    return re.sub(r"<(/?)([a-zA-Z]\w*)(?=[\s/>])", r"<\1x:\2", xml)


TABLE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" id="1" '
    'name="Tabel1" displayName="Tabel1" ref="{ref}" totalsRowShown="0">'
    '<tableColumns count="{n}">{cols}</tableColumns>'
    '<tableStyleInfo name="TableStyleLight1" showRowStripes="1"/></table>'
)


def with_table(items: Entries, ref: str, n: int) -> Entries:
    cols = "".join(f'<tableColumn id="{i}" name="Kolonne{i}"/>' for i in range(1, n + 1))
    rel = (
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/table" Target="../tables/table1.xml"/></Relationships>'
    )
    items = edit(
        items,
        SHEET,
        lambda s: s.replace(
            '<drawing r:id="rId1"/>',
            '<drawing r:id="rId1"/><tableParts count="1"><tablePart r:id="rId9"/></tableParts>',
        ),
    )
    items = edit(items, SHEET_RELS, lambda s: s.replace("</Relationships>", rel))
    items = edit(
        items,
        CT,
        lambda s: s.replace(
            "</Types>",
            '<Override PartName="/xl/tables/table1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.table+xml"/></Types>',
        ),
    )
    return [*items, ("xl/tables/table1.xml", TABLE.format(ref=ref, n=n, cols=cols).encode())]


def formulas(xml: str) -> str:
    """A shared and an array formula right of the owned columns, on the action-goal rows."""
    xml = xml.replace(
        '<c r="G6" s="8" t="s"><v>25</v></c></row>',
        '<c r="G6" s="8" t="s"><v>25</v></c><c r="R6"><f t="shared" ref="R6:R7" si="0">'
        'LEN(C6)</f><v>5</v></c><c r="S6"><f t="array" ref="S6:S7">LEN(C6:C7)</f><v>5</v></c>'
        "</row>",
    )
    return xml.replace(
        '<c r="G7" s="8" t="s"><v>29</v></c></row>',
        '<c r="G7" s="8" t="s"><v>29</v></c><c r="R7"><f t="shared" si="0"/><v>5</v></c>'
        '<c r="S7"><v>5</v></c></row>',
    )


def no_row_refs(xml: str) -> str:
    """Rows without `r`, and the cells of full rows (from column A) without `r` too."""
    xml = re.sub(r'<row r="\d+"', "<row", xml)
    return re.sub(r'<c r="[A-G](?:[1-4]|[89]|1[01])"', "<c", xml)


def odd_path(items: Entries) -> Entries:
    """The matrix under xl/ark/Matrix.xml, reached by an absolute target."""
    new = "xl/ark/Matrix.xml"
    items = rename(rename(items, SHEET, new), SHEET_RELS, "xl/ark/_rels/Matrix.xml.rels")
    items = edit(items, WB_RELS, lambda s: s.replace('"worksheets/sheet1.xml"', f'"/{new}"'))
    return edit(items, CT, lambda s: s.replace(f"/{SHEET}", f"/{new}"))


def variants(tmp: Path) -> dict[str, tuple[Path, set[str]]]:
    """Name → (workbook, the parts a refresh may change in it)."""
    base = entries(EXAMPLE)
    out: dict[str, tuple[Path, set[str]]] = {}

    def add(name: str, items: Entries, may: set[str] = MAY_CHANGE, **kw: bool) -> None:
        out[name] = (save(tmp / f"{name}.xlsx", items, **kw), may)

    add("x-prefix", edit(edit(base, SHEET, prefixed), WORKBOOK, prefixed))
    add("no-row-refs", edit(base, SHEET, no_row_refs))
    add(
        "no-dimension-no-spans",
        edit(base, SHEET, lambda s: re.sub(r' spans="[^"]*"|<dimension[^>]*/>', "", s)),
    )
    add("odd-path", odd_path(base), MAY_CHANGE - {SHEET} | {"xl/ark/Matrix.xml"})
    add(
        "date1904",
        edit(base, WORKBOOK, lambda s: s.replace("<workbookPr ", '<workbookPr date1904="1" ')),
    )
    add("stored", base, stored=True)
    add("zip64", base, zip64=True)
    add("descriptors", base, stream=True)
    add("formulas", edit(base, SHEET, formulas))
    add(
        "xfd",
        edit(
            base,
            SHEET,
            lambda s: s.replace(
                "<v>25</v></c></row>", '<v>25</v></c><c r="XFD6"><v>1</v></c></row>'
            ),
        ),
    )
    add("table-outside", with_table(base, "A13:G15", 7))
    add("table-around-owned", with_table(base, "H5:Q11", 10))
    rels = [WB_RELS, SHEET_RELS, "_rels/.rels"]
    every = edit(edit(edit(base, SHEET, prefixed), WORKBOOK, prefixed), "xl/styles.xml", prefixed)
    for part in rels:
        every = edit(
            every, part, lambda s: prefix_package(s, "pr", "relationships", "Relationships?")
        )
    every = edit(
        every, CT, lambda s: prefix_package(s, "ct", "content-types", "Types|Default|Override")
    )
    add("prefix-everywhere", every)
    add("bom", edit(edit(base, SHEET, lambda s: "\ufeff" + s), WORKBOOK, lambda s: "\ufeff" + s))
    add(
        "pretty-crlf",
        edit(
            edit(base, SHEET, lambda s: s.replace("><", ">\r\n  <")),
            WORKBOOK,
            lambda s: s.replace("><", ">\r\n  <"),
        ),
    )
    add(
        "r-not-first",
        edit(base, SHEET, lambda s: re.sub(r'<c r="(\w+)" s="(\d+)"', r'<c s="\2" r="\1"', s)),
    )
    add("single-quotes", edit(base, WB_RELS, lambda s: s.replace('"', "'")))
    return out


def prefix_package(xml: str, prefix: str, ns: str, elements: str) -> str:
    """A package part (.rels, content types) with its elements prefixed."""
    uri = f"http://schemas.openxmlformats.org/package/2006/{ns}"
    xml = xml.replace(f'xmlns="{uri}"', f'xmlns:{prefix}="{uri}"')
    return re.sub(rf"<(/?)({elements})\b", rf"<\1{prefix}:\2", xml)


def soffice_convert(files: list[Path], target: str, outdir: Path, profile: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is required: .ci/run installs libreoffice-calc"
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"]
    cmd += ["--convert-to", target, "--outdir", str(outdir), *map(str, files)]
    subprocess.run(cmd, capture_output=True, timeout=300, check=False)


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def raw_entries(path: Path, headers: bool = True) -> dict[str, object]:
    """Each entry as stored: local header, compressed bytes and descriptor (or, without
    `headers`, its compressed bytes, CRC, timestamp and method)."""
    blob = path.read_bytes()
    with zipfile.ZipFile(path) as zf:
        infos = sorted(zf.infolist(), key=lambda i: i.header_offset)
        ends = [i.header_offset for i in infos[1:]] + [zf.start_dir]
        out: dict[str, object] = {}
        for info, end in zip(infos, ends, strict=True):
            if headers:
                out[info.filename] = blob[info.header_offset : end]
            else:
                name_len, extra_len = struct.unpack_from("<HH", blob, info.header_offset + 26)
                start = info.header_offset + 30 + name_len + extra_len
                data = blob[start : start + info.compress_size]
                out[info.filename] = (data, info.CRC, info.date_time, info.compress_type)
        return out


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path, set[str]]]:
    """Each variant refreshed twice: name → (source, first result, parts it may change)."""
    tmp = tmp_path_factory.mktemp("producers")
    sources = variants(tmp)
    # LibreOffice's own spelling: from the .xlsx, and .xlsx/.xlsm from an .ods it wrote
    lo = tmp / "lo"
    profile = tmp / "profile"
    soffice_convert([EXAMPLE], "ods", lo, profile)
    soffice_convert([EXAMPLE], "xlsx", lo / "x", profile)
    soffice_convert([lo / "eksempel.ods"], "xlsx", lo / "o", profile)
    soffice_convert([lo / "eksempel.ods"], "xlsm:Calc MS Excel 2007 VBA XML", lo / "m", profile)
    for name, path in (
        ("libreoffice-xlsx", lo / "x" / "eksempel.xlsx"),
        ("libreoffice-from-ods", lo / "o" / "eksempel.xlsx"),
        ("libreoffice-xlsm", lo / "m" / "eksempel.xlsm"),
    ):
        assert path.exists(), f"LibreOffice did not write {path}"
        sources[name] = (path, MAY_CHANGE)
    by_openpyxl = tmp / "openpyxl.xlsx"
    openpyxl.load_workbook(EXAMPLE).save(by_openpyxl)
    sources["openpyxl"] = (by_openpyxl, MAY_CHANGE)
    out = {}
    for name, (source, may) in sources.items():
        first = tmp / f"{name}-1{source.suffix}"
        second = tmp / f"{name}-2{source.suffix}"
        refresh_file(source, today=TODAY, output=first)
        refresh_file(first, today=TODAY, output=second)
        assert first.read_bytes() == second.read_bytes(), f"{name}: the second refresh differs"
        out[name] = (source, first, may)
    return out


def test_second_refresh_gives_the_identical_file(refreshed: dict) -> None:
    # the fixture asserts it for each; here: every variant was refreshed and got new sheets
    assert len(refreshed) == 21
    for name, (_, first, _) in refreshed.items():
        names = openpyxl.load_workbook(first, read_only=True).sheetnames
        assert "Fund (xlgoals)" in names and "Overblik (xlgoals)" in names, name


def test_untouched_parts_keep_their_bytes(refreshed: dict) -> None:
    for name, (source, first, may) in refreshed.items():
        # ZIP64 headers are written as ordinary ones (LibreOffice cannot open ZIP64), so
        # there the compressed bytes, CRC and timestamp must stay, not the headers
        headers = name != "zip64"
        before, after = raw_entries(source, headers), raw_entries(first, headers)
        assert set(before) <= set(after), name
        changed = {part for part in before if before[part] != after[part]}
        # a changed raw entry may only be one of the owned parts...
        assert changed <= may, (name, changed - may)
        # ...and the matrix sheet must really have been written
        matrix = next(iter(may & {SHEET, "xl/ark/Matrix.xml"}))
        assert matrix in changed, name


def test_openpyxl_and_calamine_read_the_new_values(refreshed: dict) -> None:
    for name, (source, first, _) in refreshed.items():
        _, report = refresh_file(source, today=TODAY, dry_run=True)
        written = [c for c in report.changes if c.sheet == MATRIX and c.new is not None]
        assert written, name
        book = openpyxl.load_workbook(first)
        calamine = python_calamine.CalamineWorkbook.from_path(str(first))
        rows = calamine.get_sheet_by_name(MATRIX).to_python()
        for change in written:
            assert book[MATRIX][change.cell].value == change.new, (name, change)
            col = openpyxl.utils.column_index_from_string(change.cell.rstrip("0123456789"))
            row = int(change.cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
            assert rows[row - 1][col - 1] == change.new, (name, change)
        # the user's own cells are still there
        assert book[MATRIX]["C4"].value == "Handlemål\n(det betyder, at…)" or name == "no-row-refs"


def test_libreoffice_converts_every_refreshed_file(refreshed: dict, tmp_path: Path) -> None:
    files = [first for _, first, _ in refreshed.values()]
    soffice_convert(files, "pdf", tmp_path / "pdf", tmp_path / "profile")
    for first in files:
        pdf = tmp_path / "pdf" / (first.stem + ".pdf")
        assert pdf.exists() and pdf.stat().st_size > 1000, first.name


# --------------------------------------------------------------------------- refused or fixed


def test_duplicate_zip_entry_is_refused(tmp_path: Path) -> None:
    """Two entries of one name: readers disagree on which one counts, so refuse."""
    base = entries(EXAMPLE)
    source = save(tmp_path / "dup.xlsx", [*base, (SHEET, dict(base)[SHEET])])
    before = source.read_bytes()
    with pytest.raises(UnsupportedWorkbookError) as caught:
        refresh_file(source, today=TODAY)
    assert caught.value.key == "write.not_valid_zip"
    assert SHEET in caught.value.message("en") and "twice" in caught.value.message("en")
    assert "to gange" in caught.value.message("da") and "dup.xlsx" in str(caught.value)
    assert source.read_bytes() == before


MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def alternate_g6(xml: str) -> str:
    """Cell G6 wrapped in mc:AlternateContent (as producers do for x14 content)."""
    xml = xml.replace("<worksheet ", f'<worksheet xmlns:mc="{MC}" ', 1)
    cell = '<c r="G6" s="8" t="s"><v>25</v></c>'
    return xml.replace(
        cell,
        f'<mc:AlternateContent><mc:Choice Requires="x14">{cell}</mc:Choice>'
        f"<mc:Fallback>{cell}</mc:Fallback></mc:AlternateContent>",
    )


def test_new_cell_goes_after_alternate_content_not_into_it(tmp_path: Path) -> None:
    source = save(tmp_path / "mc.xlsx", edit(entries(EXAMPLE), SHEET, alternate_g6))
    first, second = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    refresh_file(source, today=TODAY, output=first)
    refresh_file(first, today=TODAY, output=second)
    assert first.read_bytes() == second.read_bytes()
    row6 = re.search(r'<row r="6".*?</row>', parts(first)[SHEET].decode(), re.S).group(0)
    block = re.search(r"<mc:AlternateContent>.*?</mc:AlternateContent>", row6, re.S).group(0)
    assert 'r="H6"' not in block and 'r="H6"' in row6.split(block)[1]
    assert openpyxl.load_workbook(first)[MATRIX]["H6"].value in ("Advarsel", "Fejl", "OK")
    soffice_convert([first], "pdf", tmp_path, tmp_path / "profile")
    assert (tmp_path / "one.pdf").stat().st_size > 1000


def test_writing_a_cell_inside_alternate_content_is_refused(tmp_path: Path) -> None:
    source = save(tmp_path / "mc.xlsx", edit(entries(EXAMPLE), SHEET, alternate_g6))
    with pytest.raises(UnsupportedWorkbookError) as caught:
        patch_workbook(source, cells={MATRIX: {"G6": "ny"}}, dry_run=True)
    assert caught.value.cell == "G6" and caught.value.sheet == MATRIX
    assert "AlternateContent" in caught.value.message("da")


def alternate_rows(xml: str) -> str:
    """Rows 9–10 wrapped in mc:AlternateContent, row 8 removed."""
    xml = xml.replace("<worksheet ", f'<worksheet xmlns:mc="{MC}" ', 1)
    xml = re.sub(r'<row r="8".*?</row>', "", xml, flags=re.S)
    rows = re.search(r'<row r="9".*?<row r="10".*?</row>', xml, re.S).group(0)
    return xml.replace(
        rows,
        f'<mc:AlternateContent><mc:Choice Requires="x14">{rows}</mc:Choice>'
        f"<mc:Fallback>{rows}</mc:Fallback></mc:AlternateContent>",
    )


def test_rows_inside_alternate_content(tmp_path: Path) -> None:
    """New rows go before the block; writing a row the block covers is refused."""
    source = save(tmp_path / "mc.xlsx", edit(entries(EXAMPLE), SHEET, alternate_rows))
    out = tmp_path / "out.xlsx"
    patch_workbook(source, cells={MATRIX: {"H8": "før", "H12": "efter"}}, output=out)
    xml = parts(out)[SHEET].decode()
    assert xml.index('<c r="H8"') < xml.index("<mc:AlternateContent>")
    assert xml.index("</mc:AlternateContent>") < xml.index('<c r="H12"')
    sheet = openpyxl.load_workbook(out)[MATRIX]
    assert (sheet["H8"].value, sheet["H12"].value) == ("før", "efter")
    with pytest.raises(UnsupportedWorkbookError) as caught:
        patch_workbook(source, cells={MATRIX: {"J10": "x"}}, dry_run=True)
    assert caught.value.cell == "J10" and caught.value.key == "write.alternate_content"


def test_owned_sheet_name_taken_by_a_chart_sheet_is_refused(tmp_path: Path) -> None:
    chartsheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<chartsheet xmlns="http://'
        'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView '
        'workbookViewId="0"/></sheetViews></chartsheet>'
    )
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet"
    ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml"
    items = edit(
        entries(EXAMPLE),
        WORKBOOK,
        lambda s: s.replace(
            "</sheets>", '<sheet name="Fund (xlgoals)" sheetId="9" r:id="rId99"/></sheets>'
        ),
    )
    items = edit(
        items,
        WB_RELS,
        lambda s: s.replace(
            "</Relationships>",
            f'<Relationship Id="rId99" Type="{rel}" Target="chartsheets/sheet1.xml"/>'
            "</Relationships>",
        ),
    )
    items = edit(
        items,
        CT,
        lambda s: s.replace(
            "</Types>",
            f'<Override PartName="/xl/chartsheets/sheet1.xml" ContentType="{ctype}"/></Types>',
        ),
    )
    source = save(
        tmp_path / "chart.xlsx", [*items, ("xl/chartsheets/sheet1.xml", chartsheet.encode())]
    )
    before = source.read_bytes()
    with pytest.raises(UnsupportedWorkbookError) as caught:
        refresh_file(source, today=TODAY)
    assert caught.value.sheet == "Fund (xlgoals)" and "chart.xlsx" in str(caught.value)
    assert "omdøb eller slet" in caught.value.message("da")
    assert source.read_bytes() == before


def test_data_table_over_an_owned_column_is_refused_as_a_data_table(tmp_path: Path) -> None:
    """A what-if data table (`t="dataTable"`) is named as such, not as an array formula."""
    table = '<c r="H6"><f t="dataTable" ref="H6:H7" dt2D="0" dtr="0" r1="A1"/><v>1</v></c>'
    items = edit(
        entries(EXAMPLE),
        SHEET,
        lambda s: s.replace("<v>25</v></c></row>", f"<v>25</v></c>{table}</row>"),
    )
    source = save(tmp_path / "datatable.xlsx", items)
    with pytest.raises(WorkbookWriteError) as caught:
        refresh_file(source, today=TODAY)
    assert caught.value.key == "write.data_table" and caught.value.cell == "H6"
    assert "H6:H7" in caught.value.message("da") and "datatabel" in caught.value.message("da")


# --------------------------------------------------------------------------- after a refresh


def test_refreshed_file_resaved_by_libreoffice_or_openpyxl_refreshes_again(tmp_path: Path) -> None:
    """A leader opens the refreshed file in LibreOffice (or a script re-saves it with
    openpyxl) and saves it; the next refresh replaces the owned sheets, leaves the
    matrix's user cells and every other part alone, and is stable from then on."""
    refreshed = tmp_path / "plan.xlsx"
    refresh_file(EXAMPLE, today=TODAY, output=refreshed)
    soffice_convert([refreshed], "xlsx", tmp_path / "lo", tmp_path / "profile")
    by_lo = tmp_path / "lo" / "plan.xlsx"
    by_openpyxl = tmp_path / "openpyxl.xlsx"
    openpyxl.load_workbook(refreshed).save(by_openpyxl)
    outs = []
    for source in (by_lo, by_openpyxl):
        first, second = (
            source.with_name(source.stem + "-1.xlsx"),
            source.with_name(source.stem + "-2.xlsx"),
        )
        refresh_file(source, today=TODAY, output=first)
        refresh_file(first, today=TODAY, output=second)
        assert first.read_bytes() == second.read_bytes(), source
        before, after = raw_entries(source), raw_entries(first)
        owned = {
            part
            for part in after
            if re.fullmatch(
                r"xl/(worksheets/(_rels/)?sheet[234]\.xml(\.rels)?|drawings/.*|charts/.*)", part
            )
        }
        changed = {part for part in before if before[part] != after.get(part)}
        assert changed <= owned | {"xl/styles.xml", SHEET}, (source, changed)
        book = openpyxl.load_workbook(first)
        assert book[MATRIX]["H6"].value == openpyxl.load_workbook(refreshed)[MATRIX]["H6"].value
        assert book.sheetnames == [
            "Målmatrix",
            "Fund (xlgoals)",
            "Måleplan (xlgoals)",
            "Overblik (xlgoals)",
        ]
        outs.append(first)
    soffice_convert(outs, "pdf", tmp_path / "pdf", tmp_path / "profile")
    for first in outs:
        assert (tmp_path / "pdf" / (first.stem + ".pdf")).stat().st_size > 1000


def test_owned_sheets_renamed_in_case_or_moved_are_kept_in_place(tmp_path: Path) -> None:
    """Excel matches sheet names case-insensitively, and the user may order the tabs."""
    refreshed = tmp_path / "plan.xlsx"
    refresh_file(EXAMPLE, today=TODAY, output=refreshed)

    def move_and_rename(xml: str) -> str:
        sheets = re.findall(r"<sheet [^>]*/>", xml)
        xml = xml.replace("".join(sheets), "".join(reversed(sheets)))
        return xml.replace('name="Overblik (xlgoals)"', 'name="OVERBLIK (XLGOALS)"')

    source = save(tmp_path / "moved.xlsx", edit(entries(refreshed), WORKBOOK, move_and_rename))
    out = tmp_path / "out.xlsx"
    _, report = refresh_file(source, today=TODAY, output=out)
    assert not report.changes and not report.sheets_created
    assert out.read_bytes() == source.read_bytes()
    assert openpyxl.load_workbook(out).sheetnames[0] == "OVERBLIK (XLGOALS)"


def test_sheet_names_written_with_entities(tmp_path: Path) -> None:
    """`&amp;`, `&apos;` and character references in sheet names (other producers)."""
    for name, spelled in (
        ("Mål & plan's", "Mål &amp; plan&apos;s"),
        ("Målmatrix", "M&#229;lmatrix"),
    ):
        items = edit(
            entries(EXAMPLE),
            WORKBOOK,
            lambda s, sp=spelled: s.replace('name="Målmatrix"', f'name="{sp}"'),
        )
        source = save(tmp_path / "names.xlsx", items)
        out = tmp_path / "out.xlsx"
        _, report = refresh_file(source, today=TODAY, output=out)
        assert {c.sheet for c in report.changes} >= {name}
        assert openpyxl.load_workbook(out)[name]["H6"].value in ("Advarsel", "Fejl", "OK")
