"""Build the "everything" workbook: a goal matrix with every part a leader's file may hold.

XlsxWriter writes most of it (VBA project, form button with its macro, text box with a
hyperlink, image, chart, notes, cross-sheet data validation, conditional formatting with
a 2010 data bar, sparklines, defined names, a table, sheet protection, merged cells,
array formulas); the parts XlsxWriter cannot write are added by hand at the zip level
exactly as Excel stores them: customXml, an Office add-in (webextension + taskpane),
threaded comments with their person list, a calcChain, a shared formula and the
`mc:Ignorable` markup Excel puts on every sheet.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from pathlib import Path

import xlsxwriter

MATRIX = "Handleplan"
LISTS = "Lister"
DATA = "Data"
CALC = "Beregning"
OWNED_HEADERS = [
    "Status\n(udfyldes automatisk)",
    "Målt resultat\n(udfyldes automatisk)",
    "Målopfyldelse\n(udfyldes automatisk)",
    "Næste milepæl\n(udfyldes automatisk)",
    "Forsinkede milepæle\n(udfyldes automatisk)",
]
OWNED_COLUMNS = "HIJKL"
FIRST_ACTION_ROW = 4  # 1-based: rows 4.. hold action goals
ACTION_ROWS = 6

_HEADERS = [
    "Politisk mål",
    "Delmål",
    "Handlemål",
    "Succeskriterier",
    "Evalueringsmetode",
    "Tid og handleplan",
    "Ansvarlig",
]


def vba_project_bin() -> bytes:
    """A real vbaProject.bin: the one shipped in xlwings' quickstart workbook (BSD)."""
    import xlwings

    quickstart = Path(xlwings.__file__).parent / "quickstart.xlsm"
    with zipfile.ZipFile(quickstart) as zf:
        return zf.read("xl/vbaProject.bin")


def tiny_png() -> bytes:
    """A valid 2x2 red PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _write_with_xlsxwriter(path: Path, vba: Path) -> None:
    wb = xlsxwriter.Workbook(str(path))
    wb.add_vba_project(str(vba))
    wb.set_vba_name("ThisWorkbook")
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "border": 1})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    red = wb.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"})
    date_fmt = wb.add_format({"num_format": "dd-mm-yyyy"})
    heading = wb.add_format({"bold": True, "italic": True, "font_size": 13})
    strike = wb.add_format({"font_strikeout": True})

    ws = wb.add_worksheet(MATRIX)
    ws.set_vba_name("Sheet1")
    ws.set_column("A:B", 18)
    ws.set_column("C:G", 30, wrap)
    ws.set_column("H:L", 16)
    ws.write_row(0, 0, _HEADERS + OWNED_HEADERS, bold)
    ws.write(1, 0, "Alle børn skal trives og lære mest muligt", wrap)
    ws.merge_range("B3:G3", "Delmål 1.1 Alle børn skal have et godt sprog", heading)
    for i in range(ACTION_ROWS):
        r = FIRST_ACTION_ROW - 1 + i
        ws.write(r, 1, "Delmål 1.1")
        ws.write(r, 2, f"(1.1.{i + 1}.) Handlemål nummer {i + 1}\n• punkt a\n• punkt b")
        ws.write(r, 3, f"Mindst {60 + i} % af eleverne svarer 'I høj grad' ved udgangen af 2027")
        ws.write(r, 4, "Trivselsmåling")
        ws.write_rich_string(r, 5, strike, "primo 2026", " ultimo 2027")
        ws.write(r, 6, "Skoleleder")
        ws.write_datetime(r, 12, dt.datetime(2026, 1, 15), date_fmt)
        ws.write_formula(r, 13, f"=LEN(C{r + 1})", None, 40 + i)
    ws.write_comment("C4", "Brugerens egen note", {"author": "Leder"})
    ws.write_comment("D5", "Note bag en trådet kommentar", {"author": "Leder"})
    ws.write_url("A12", "https://www.example.dk/plan", string="Plan på intranettet")
    ws.write_url("A13", "internal:'Data'!A1", string="Til data")
    ws.data_validation(
        "E4:E9", {"validate": "list", "source": f"='{LISTS}'!$A$1:$A$3"}
    )  # cross-sheet list
    ws.data_validation("M4:M9", {"validate": "date", "criteria": ">", "value": dt.date(2020, 1, 1)})
    ws.conditional_format(
        "H4:H9", {"type": "cell", "criteria": "==", "value": '"Fejl"', "format": red}
    )
    ws.conditional_format(
        "J4:J9", {"type": "data_bar", "bar_color": "#63BE7B", "data_bar_2010": True}
    )
    ws.conditional_format("N4:N9", {"type": "3_color_scale"})
    ws.add_sparkline("O4", {"range": f"'{MATRIX}'!M4:N4", "type": "column"})
    ws.insert_button(
        "Q2", {"macro": "say_hello", "caption": "Opdater målopfyldelse", "width": 160, "height": 30}
    )
    ws.insert_textbox(
        "Q5",
        "Valider plan",
        {
            "url": "internal:'Handleplan'!A1",
            "width": 140,
            "height": 40,
            "fill": {"color": "#FFE699"},
        },
    )
    ws.insert_textbox(
        "Q8", "Vejledning", {"url": "https://www.example.dk/vejledning", "width": 140}
    )
    ws.insert_image("S2", "logo.png", {"image_data": io.BytesIO(tiny_png()), "x_scale": 10})
    ws.freeze_panes(1, 2)
    ws.autofilter("A1:L9")
    ws.set_row(1, 30)
    ws.set_row(10, None, None, {"hidden": True})
    ws.set_header("&LKommunen&RSide &P")

    chart = wb.add_chart({"type": "column"})
    chart.add_series(
        {
            "categories": f"='{MATRIX}'!$C$4:$C$9",
            "values": f"='{MATRIX}'!$N$4:$N$9",
            "name": "Længde",
        }
    )
    ws.insert_chart("S10", chart)

    lists = wb.add_worksheet(LISTS)
    lists.write_column("A1", ["Spørgeskema", "Registrering", "Interview"])
    lists.protect("hemmelig", {"format_columns": True})

    data = wb.add_worksheet(DATA)
    data.add_table(
        "A1:C4",
        {
            "name": "Maalinger",
            "columns": [{"header": "Mål"}, {"header": "Værdi"}, {"header": "Dato"}],
            "data": [["1.1.1", 0.6, "2026"], ["1.1.2", 0.7, "2027"], ["1.1.3", 0.8, "2028"]],
        },
    )
    data.write_array_formula("E1:E3", "{=B2:B4*2}", None, 1.2)
    ws_calc = wb.add_worksheet(CALC)
    ws_calc.write_column("A1", [1, 2, 3])
    for r in range(3):
        ws_calc.write_formula(r, 1, f"=A{r + 1}*2", None, (r + 1) * 2)
    ws_calc.write_formula("C1", "=SUM(A1:A3)", None, 6)

    wb.define_name("Handlemaal", f"='{MATRIX}'!$C$4:$C$9")
    wb.define_name(f"'{MATRIX}'!Lokalt", f"='{MATRIX}'!$A$1")
    wb.set_properties({"title": "Handleplan", "author": "Leder", "company": "Kommunen"})
    wb.set_custom_property("Afdeling", "Børn og Unge")
    wb.close()


_WEBEXT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<we:webextension xmlns:we="http://schemas.microsoft.com/office/webextensions/webextension/2010/11"'
    ' id="{4C0CD8E6-5E2A-4DAB-9D36-2B7F0B4B6C3E}"><we:reference id="wa200005502"'
    ' version="1.0.0.0" store="en-US" storeType="OMEX"/><we:alternateReferences>'
    '<we:reference id="WA200005502" version="1.0.0.0" store="" storeType="OMEX"/>'
    "</we:alternateReferences><we:properties>"
    '<we:property name="Office.AutoShowTaskpaneWithDocument" value="true"/></we:properties>'
    '<we:bindings/><we:snapshot xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"/></we:webextension>'
)
_TASKPANES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<wetp:taskpanes xmlns:wetp="http://schemas.microsoft.com/office/webextensions/taskpanes/2010/11">'
    '<wetp:taskpane dockstate="right" visibility="0" width="350" row="4">'
    '<wetp:webextensionref xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships" r:id="rId1"/></wetp:taskpane></wetp:taskpanes>'
)
_TASKPANES_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.microsoft.com/office/2011/relationships/'
    'webextension" Target="webextension1.xml"/></Relationships>'
)
_CUSTOM_ITEM = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
    '<p:properties xmlns:p="http://schemas.microsoft.com/office/2006/metadata/properties">'
    "<documentManagement><Afdeling>Børn og Unge</Afdeling></documentManagement></p:properties>"
)
_CUSTOM_PROPS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\r\n'
    '<ds:datastoreItem ds:itemID="{6A1C7F4E-0B51-4A8E-9C7B-5D3A1E2F4B60}" '
    'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
    '<ds:schemaRefs><ds:schemaRef ds:uri="http://schemas.microsoft.com/office/2006/metadata/'
    'properties"/></ds:schemaRefs></ds:datastoreItem>'
)
_CUSTOM_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/customXmlProps" Target="itemProps1.xml"/></Relationships>'
)
_PERSONS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments" '
    'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<person displayName="Leder" id="{1B4D5C3A-2E6F-4A7B-8C9D-0E1F2A3B4C5D}" '
    'userId="Leder" providerId="None"/></personList>'
)
_THREADED = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    "<ThreadedComments "
    'xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments" '
    'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<threadedComment ref="D5" dT="2026-01-10T09:00:00.00" '
    'personId="{1B4D5C3A-2E6F-4A7B-8C9D-0E1F2A3B4C5D}" '
    'id="{2C5E6D4B-3F70-4B8C-9DAE-1F203B4C5D6E}"><text>Er 65 % realistisk?</text>'
    "</threadedComment></ThreadedComments>"
)
_MC_OLD = ' mc:Ignorable="x14ac"'
_MC_NEW = (
    ' xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision"'
    ' xmlns:xr2="http://schemas.microsoft.com/office/spreadsheetml/2015/revision2"'
    ' xmlns:xr3="http://schemas.microsoft.com/office/spreadsheetml/2016/revision3"'
    ' mc:Ignorable="x14ac xr xr2 xr3" xr:uid="{00000000-0001-0000-0000-000000000000}"'
)


def _add_rel(rels: str, rid: str, rtype: str, target: str) -> str:
    item = f'<Relationship Id="{rid}" Type="{rtype}" Target="{target}"/>'
    return rels.replace("</Relationships>", item + "</Relationships>")


def _add_ct(ct: str, part: str, ctype: str) -> str:
    return ct.replace("</Types>", f'<Override PartName="/{part}" ContentType="{ctype}"/></Types>')


def _hand_parts(parts: dict[str, bytes]) -> dict[str, bytes]:
    """Add the parts XlsxWriter cannot write, the way Excel stores them."""
    text = {k: v.decode("utf-8") for k, v in parts.items() if k.endswith((".xml", ".rels"))}
    ct = text["[Content_Types].xml"]
    root_rels = text["_rels/.rels"]
    wb_rels = text["xl/_rels/workbook.xml.rels"]
    sheet_rels = text["xl/worksheets/_rels/sheet1.xml.rels"]
    ms = "http://schemas.microsoft.com/office"
    od = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    # Office add-in (webextension) task pane
    new = {
        "xl/webextensions/webextension1.xml": _WEBEXT,
        "xl/webextensions/taskpanes.xml": _TASKPANES,
        "xl/webextensions/_rels/taskpanes.xml.rels": _TASKPANES_RELS,
        "customXml/item1.xml": _CUSTOM_ITEM,
        "customXml/itemProps1.xml": _CUSTOM_PROPS,
        "customXml/_rels/item1.xml.rels": _CUSTOM_RELS,
        "xl/persons/person.xml": _PERSONS,
        "xl/threadedComments/threadedComment1.xml": _THREADED,
    }
    root_rels = _add_rel(
        root_rels,
        "rId90",
        f"{ms}/2011/relationships/webextensiontaskpanes",
        "xl/webextensions/taskpanes.xml",
    )
    ct = _add_ct(
        ct, "xl/webextensions/taskpanes.xml", "application/vnd.ms-office.webextensiontaskpanes+xml"
    )
    ct = _add_ct(
        ct, "xl/webextensions/webextension1.xml", "application/vnd.ms-office.webextension+xml"
    )
    wb_rels = _add_rel(wb_rels, "rId90", f"{od}/customXml", "../customXml/item1.xml")
    ct = _add_ct(
        ct,
        "customXml/itemProps1.xml",
        "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
    )
    wb_rels = _add_rel(wb_rels, "rId91", f"{ms}/2017/10/relationships/person", "persons/person.xml")
    ct = _add_ct(ct, "xl/persons/person.xml", "application/vnd.ms-excel.person+xml")
    sheet_rels = _add_rel(
        sheet_rels,
        "rId90",
        f"{ms}/2017/10/relationships/threadedComment",
        "../threadedComments/threadedComment1.xml",
    )
    ct = _add_ct(
        ct,
        "xl/threadedComments/threadedComment1.xml",
        "application/vnd.ms-excel.threadedcomments+xml",
    )

    # calcChain for the formula cells (sheetId 1 = Handleplan, 4 = Beregning)
    entries = "".join(f'<c r="N{r}" i="1"/>' if r == 4 else f'<c r="N{r}"/>' for r in range(4, 10))
    entries += '<c r="B1" i="4"/><c r="B2"/><c r="B3"/><c r="C1"/>'
    new["xl/calcChain.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        f'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{entries}</calcChain>'
    )
    wb_rels = _add_rel(wb_rels, "rId92", f"{od}/calcChain", "calcChain.xml")
    ct = _add_ct(
        ct,
        "xl/calcChain.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml",
    )

    # Excel's markup-compatibility namespaces on the matrix sheet, and a row with x14ac
    sheet1 = text["xl/worksheets/sheet1.xml"]
    assert _MC_OLD in sheet1
    sheet1 = sheet1.replace(_MC_OLD, _MC_NEW, 1)
    if "x14ac:dyDescent" not in sheet1.split('<row r="4" ')[1].split(">")[0]:
        sheet1 = sheet1.replace('<row r="4" ', '<row r="4" x14ac:dyDescent="0.25" ', 1)
    # a shared formula on the calculation sheet (XlsxWriter writes each formula alone)
    calc = text["xl/worksheets/sheet4.xml"]
    calc = calc.replace("<f>A1*2</f>", '<f t="shared" ref="B1:B3" si="0">A1*2</f>')
    calc = calc.replace("<f>A2*2</f>", '<f t="shared" si="0"/>')
    calc = calc.replace("<f>A3*2</f>", '<f t="shared" si="0"/>')

    out = dict(parts)
    out["[Content_Types].xml"] = ct.encode()
    out["_rels/.rels"] = root_rels.encode()
    out["xl/_rels/workbook.xml.rels"] = wb_rels.encode()
    out["xl/worksheets/_rels/sheet1.xml.rels"] = sheet_rels.encode()
    out["xl/worksheets/sheet1.xml"] = sheet1.encode()
    out["xl/worksheets/sheet4.xml"] = calc.encode()
    for name, xml in new.items():
        out[name] = xml.encode("utf-8")
    return out


def build_allparts(path: Path) -> Path:
    """Write the everything workbook (.xlsm) to `path` and return it."""
    path = Path(path)
    vba = path.with_name("vbaProject.bin")
    vba.write_bytes(vba_project_bin())
    plain = path.with_name(path.stem + ".xlsxwriter.xlsm")
    _write_with_xlsxwriter(plain, vba)
    with zipfile.ZipFile(plain) as zin:
        infos = zin.infolist()
        parts = {i.filename: zin.read(i) for i in infos}
    parts = _hand_parts(parts)
    order = [i.filename for i in infos] + [n for n in parts if n not in {i.filename for i in infos}]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 10, 9, 30, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            # store the image as Excel does: not compressed
            if name.endswith((".png", ".bin")):
                info.compress_type = zipfile.ZIP_STORED
            zout.writestr(info, parts[name])
    plain.unlink()
    vba.unlink()
    return path
