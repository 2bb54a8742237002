"""Survey export files → :class:`SurveyData` (surface: files, pandas, calamine).

Everything about the file is detected, not asked: container (xlsx, legacy xls, delimited
text), encoding (BOM, else UTF-8, else cp1252), delimiter, title lines above the header,
Qualtrics' three header rows, the tool, and companion label tables beside the export. The
counting itself is the core's (:func:`xlgoals.survey.tabulate.build_survey`); pandas only
produces per-column value counts quickly. Error messages name the file and never quote a
cell, so no respondent's data can leak through them.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd

from xlgoals.survey.model import Detection, SurveyData
from xlgoals.survey.tabulate import (
    ColumnPlan,
    LabelTables,
    Options,
    build_survey,
    cell_text,
    counted_statuses,
    detect_tool,
    find_header,
    import_id_rows,
    label_tables_from_rows,
    plan_columns,
    row_status,
    status_columns,
)

log = logging.getLogger("xlgoals.survey")

DELIMITERS = (",", ";", "\t")
_PROBE_ROWS = 40
_COMPANION_SHEETS = ("labels", "structure", "variables")
_ENCODING_NAMES = {
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16-le": "UTF-16LE",
    "utf-16-be": "UTF-16BE",
    "utf-8": "UTF-8",
    "cp1252": "Windows-1252",
}


class SurveyReadError(Exception):
    """A survey file cannot be read; the message names the file and says what to do."""


def read_survey(
    path: str | Path,
    labels: str | Path | None = None,
    *,
    options: Options | None = None,
) -> SurveyData:
    """Read one export (xlsx/xls/csv/tsv/txt) with its label tables into answer counts."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise SurveyReadError(f"{name}: file not found")
    data = path.read_bytes()
    if not data.strip():
        raise SurveyReadError(f"{name}: the file is empty")
    container = sniff_container(data)
    log.debug("reading %s as %s", name, container)
    if container == "spreadsheetml":
        raise SurveyReadError(
            f"{name}: an Excel 2003 XML spreadsheet is not supported; "
            "open it in Excel and save it as .xlsx"
        )
    if container in ("xlsx", "xls"):
        frame, detection, text_row, tables = _read_workbook(path, container)
    else:
        frame, detection, text_row, tables = _read_text(name, data)
    tables.merge(find_companions(path, detection.tool))
    if labels is not None:
        tables.merge(read_label_file(labels))
    return _survey_from_frame(frame, detection, text_row, tables, options, name)


def sniff_container(data: bytes) -> str:
    """'xlsx', 'xls', 'spreadsheetml' or 'text' from the first bytes, not the file name."""
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    head = data[:2000].lstrip(codecs.BOM_UTF8).lower()
    if head.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return "spreadsheetml"
    return "text"


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding): BOM first, then UTF-16 by its zero bytes, UTF-8, else cp1252."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding.replace("-sig", "")), encoding
    probe = data[:4000]
    if len(probe) >= 4 and probe.count(b"\x00") > len(probe) // 4:
        even_zero = probe[0::2].count(0) > probe[1::2].count(0)
        encoding = "utf-16-be" if even_zero else "utf-16-le"
        return data.decode(encoding), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first rows into the most consistent, widest table."""
    best: tuple[int, int, str] | None = None
    for delimiter in DELIMITERS:
        rows = _probe_rows(text, delimiter)[0]
        widths = Counter(len(r) for r in rows if any(c.strip() for c in r))
        if not widths:
            continue
        width, frequency = max(widths.items(), key=lambda wf: (wf[1], wf[0]))
        if width < 2:
            continue
        score = (frequency, width, delimiter)
        if best is None or score[:2] > best[:2]:
            best = score
    return best[2] if best else ","


def _probe_rows(
    text: str, delimiter: str, limit: int = _PROBE_ROWS
) -> tuple[list[list[str]], list[int]]:
    """The first rows parsed as CSV, and the text offset at which each row ends."""
    offsets: list[int] = []
    consumed = [0]

    def lines() -> Iterator[str]:
        for line in io.StringIO(text, newline=""):
            consumed[0] += len(line)
            yield line

    rows: list[list[str]] = []
    reader = csv.reader(lines(), delimiter=delimiter)
    try:
        for row in reader:
            rows.append(row)
            offsets.append(consumed[0])
            if len(rows) >= limit:
                break
    except csv.Error:
        pass
    return rows, offsets


def _read_text(
    name: str, data: bytes
) -> tuple[pd.DataFrame, Detection, list[str] | None, LabelTables]:
    text, encoding = decode_text(data)
    delimiter = sniff_delimiter(text)
    rows, offsets = _probe_rows(text, delimiter)
    if not rows:
        raise SurveyReadError(f"{name}: no rows found")
    header_index = find_header(rows)
    extra = import_id_rows(rows, header_index)
    header = rows[header_index]
    text_row = rows[header_index + 1] if extra == 2 else None
    start = offsets[header_index + extra]
    width = len(header)
    try:
        with warnings.catch_warnings():
            # Rows longer than the header (trailing separators) keep the header's width.
            warnings.simplefilter("ignore", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(text[start:]),
                sep=delimiter,
                header=None,
                names=list(range(width)),
                index_col=False,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                quotechar='"',
                engine="c",
            )
    except (pd.errors.ParserError, ValueError) as exc:
        line = re.search(r"line (\d+)", str(exc))
        where = f" near line {int(line.group(1)) + header_index + extra}" if line else ""
        raise SurveyReadError(f"{name}: the rows do not split into columns{where}") from None
    frame = frame.fillna("")
    tool, tool_name = detect_tool(header)
    detection = Detection(
        tool=tool,
        tool_name=tool_name,
        container="csv" if delimiter != "\t" else "tsv",
        encoding=_ENCODING_NAMES.get(encoding, encoding),
        delimiter={"\t": "TAB"}.get(delimiter, delimiter),
        title_lines=header_index,
        header_rows=1 + extra,
    )
    frame.attrs["header"] = header
    return frame, detection, text_row, LabelTables()


def _read_workbook(
    path: Path, container: str
) -> tuple[pd.DataFrame, Detection, list[str] | None, LabelTables]:
    from python_calamine import CalamineWorkbook

    name = path.name
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception:  # calamine raises its own error types for broken or foreign files
        kind = "legacy .xls" if container == "xls" else ".xlsx"
        raise SurveyReadError(
            f"{name}: cannot be read as a {kind} workbook; open it in Excel and save it as .xlsx"
        ) from None
    sheets = list(book.sheet_names)
    folded = {s.casefold(): s for s in sheets}
    data_sheet = folded.get("dataset") or next(
        (s for s in sheets if s.casefold() not in _COMPANION_SHEETS), sheets[0]
    )
    rows = book.get_sheet_by_name(data_sheet).to_python(skip_empty_area=False)
    if not rows:
        raise SurveyReadError(f"{name}: sheet {data_sheet!r} is empty")
    header_index = find_header(rows)
    extra = import_id_rows(rows, header_index)
    header = [cell_text(c) for c in rows[header_index]]
    while header and not header[-1].strip():
        header.pop()
    text_row = [cell_text(c) for c in rows[header_index + 1]] if extra == 2 else None
    body = rows[header_index + 1 + extra :]
    width = len(header)
    frame = pd.DataFrame([r[:width] for r in body], columns=range(width), dtype=object)
    tables = LabelTables()
    for sheet in sheets:
        if sheet.casefold() in _COMPANION_SHEETS:
            found = label_tables_from_rows(book.get_sheet_by_name(sheet).to_python(), sheet)
            found.source = f"sheet {sheet}"
            tables.merge(found)
    tool, tool_name = detect_tool(header)
    detection = Detection(
        tool=tool,
        tool_name=tool_name,
        container=container,
        sheet=data_sheet,
        title_lines=header_index,
        header_rows=1 + extra,
    )
    frame.attrs["header"] = header
    return frame, detection, text_row, tables


def find_companions(path: Path, tool: str) -> LabelTables:
    """Label tables saved beside the export: SurveyXact's labels/structure/variables set
    (dataset_123.csv → labels_123.csv, …) or LimeSurvey's structure file
    (results-survey123456.csv → limesurvey_survey_123456.txt)."""
    tables = LabelTables()
    stem, folder = path.name, path.parent
    candidates: list[Path] = []
    if re.search("dataset", stem, re.IGNORECASE):
        for kind in _COMPANION_SHEETS:
            base = re.sub("dataset", kind, stem, flags=re.IGNORECASE)
            for suffix in ("", ".csv", ".txt"):
                candidates.append(folder / (Path(base).stem + suffix if suffix else base))
    match = re.search(r"survey_?(\d+)", stem, re.IGNORECASE)
    if tool == "limesurvey" and match:
        for suffix in (".txt", ".tsv"):
            candidates.append(folder / f"limesurvey_survey_{match.group(1)}{suffix}")
    seen: set[Path] = set()
    for candidate in candidates:
        if candidate in seen or candidate == path or not candidate.is_file():
            continue
        seen.add(candidate)
        tables.merge(read_label_file(candidate))
    return tables


def read_label_file(path: str | Path) -> LabelTables:
    """A label table file (csv/tsv/txt, or a workbook whose sheets are label tables)."""
    path = Path(path)
    if not path.is_file():
        raise SurveyReadError(f"{path.name}: label file not found")
    data = path.read_bytes()
    container = sniff_container(data)
    tables = LabelTables()
    if container in ("xlsx", "xls"):
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_path(str(path))
        except Exception:
            raise SurveyReadError(f"{path.name}: cannot be read as a workbook") from None
        for sheet in book.sheet_names:
            tables.merge(label_tables_from_rows(book.get_sheet_by_name(sheet).to_python()))
    else:
        text, _ = decode_text(data)
        delimiter = sniff_delimiter(text)
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        tables = label_tables_from_rows(rows)
    if not tables:
        raise SurveyReadError(f"{path.name}: no labels or question texts found")
    tables.source = path.name
    return tables


def _survey_from_frame(
    frame: pd.DataFrame,
    detection: Detection,
    text_row: Sequence[object] | None,
    tables: LabelTables,
    options: Options | None,
    source: str,
) -> SurveyData:
    """Status per row, then value counts per question column of the counted rows."""
    header: list[str] = frame.attrs["header"]
    plan = plan_columns(header, detection.tool)
    questions = set(plan.questions)
    empty = pd.Series(True, index=frame.index)
    blank = pd.Series(True, index=frame.index)
    for column in frame.columns:
        series = frame[column]
        blank_keys = [k for k in pd.unique(series) if not cell_text(k).strip()]
        is_blank = series.isin(blank_keys) | series.isna() if blank_keys else series.isna()
        empty &= is_blank
        if column in questions:
            blank &= is_blank
    raw = frame[~empty]  # fully empty rows are padding, not respondents (as in the core)
    blank = blank[~empty]
    counts = {i: raw[i].value_counts(dropna=False) for i in plan.questions}
    statuses = _statuses(raw, plan, blank)
    tally = Counter(statuses)
    counted = [s in counted_statuses() for s in statuses]
    if not all(counted):
        subset = raw[counted]
        counts = {i: subset[i].value_counts(dropna=False) for i in plan.questions}
    column_counts: dict[int, Counter[str]] = {}
    for i, series in counts.items():
        merged: Counter[str] = Counter()
        for value, count in series.items():
            merged[cell_text(value)] += int(count)
        column_counts[i] = merged
    log.debug("counted %d of %d rows", sum(counted), len(statuses))
    return build_survey(plan, column_counts, tally, text_row, tables, options, detection, source)


def _statuses(frame: pd.DataFrame, plan: ColumnPlan, blank: pd.Series) -> list[str]:
    watched = status_columns(plan)
    columns = [[cell_text(v) for v in frame[i].tolist()] for i in watched]
    out = []
    for row, is_blank in enumerate(blank.tolist()):
        cells = {i: col[row] for i, col in zip(watched, columns, strict=True)}
        out.append(row_status(plan, cells, is_blank))
    return out
