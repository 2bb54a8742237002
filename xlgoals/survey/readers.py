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
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from xlgoals.errors import XlgoalsError
from xlgoals.i18n import message
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
    footer_start,
    import_id_rows,
    label_tables_from_rows,
    plan_columns,
    row_status,
    status_columns,
    tools_spec,
)

log = logging.getLogger("xlgoals.survey")

DELIMITERS = (",", ";", "\t")
_PROBE_ROWS = 40
_PROBE_CHARS = 1_000_000
_COMPANION_SHEETS = ("labels", "structure", "variables")
_ENCODING_NAMES = {
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16-le": "UTF-16LE",
    "utf-16-be": "UTF-16BE",
    "utf-8": "UTF-8",
    "cp1252": "Windows-1252",
}


class _Loaded(NamedTuple):
    """A read export before counting: value cells, header and what was detected."""

    frame: pd.DataFrame
    header: list[str]
    detection: Detection
    text_row: list[str] | None
    tables: LabelTables


class SurveyReadError(XlgoalsError):
    """A survey file cannot be read; the message (data/messages/survey.json, Danish and
    English) names the file and says what to do, and never quotes a cell."""


def read_survey(
    path: str | Path,
    labels: str | Path | None = None,
    *,
    options: Options | None = None,
) -> SurveyData:
    """Read one export (xlsx/xls/csv/tsv/txt) with its label tables into answer counts.

    Every failure is a :class:`SurveyReadError` naming the file; library errors are not
    passed on, because their text could quote a cell.
    """
    try:
        return _read_survey(Path(path), labels, options)
    except SurveyReadError:
        raise
    except Exception as exc:
        raise SurveyReadError(
            "survey.unreadable", name=Path(path).name, kind=type(exc).__name__
        ) from None


def _read_survey(path: Path, labels: str | Path | None, options: Options | None) -> SurveyData:
    name = path.name
    if not path.is_file():
        raise SurveyReadError("survey.not_found", name=name)
    data = path.read_bytes()
    if not data.strip():
        raise SurveyReadError("survey.empty", name=name)
    container = sniff_container(data)
    log.debug("reading %s as %s", name, container)
    if container == "spreadsheetml":
        raise SurveyReadError("survey.spreadsheetml", name=name)
    loaded = (
        _read_workbook(path, container) if container in ("xlsx", "xls") else _read_text(name, data)
    )
    loaded.tables.merge(find_companions(path, loaded.detection.tool))
    if labels is not None:
        loaded.tables.merge(read_label_file(labels))
    return _survey_from_frame(loaded, options, name)


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
            text = data[len(bom) :].decode(encoding.replace("-sig", ""), errors="replace")
            return text, encoding
    probe = data[:4000]
    if len(probe) >= 4 and probe.count(b"\x00") > len(probe) // 4:
        even_zero = probe[0::2].count(0) > probe[1::2].count(0)
        encoding = "utf-16-be" if even_zero else "utf-16-le"
        return data.decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_delimiter(text: str, truncated: bool = False) -> str:
    """The delimiter that splits the first rows into the most consistent, widest table."""
    best: tuple[int, int, str] | None = None
    for delimiter in DELIMITERS:
        rows = _probe_rows(text, delimiter, truncated=truncated)[0]
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
    text: str, delimiter: str, limit: int = _PROBE_ROWS, truncated: bool = False
) -> tuple[list[list[str]], list[int]]:
    """The first rows parsed as CSV, and the text offset at which each row ends.

    `truncated` says `text` is only the start of the file, so its last row may be cut.
    """
    offsets: list[int] = []
    consumed = [0]
    prefix = text[:_PROBE_CHARS]

    def lines() -> Iterator[str]:
        for line in io.StringIO(prefix, newline=""):
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
    if (truncated or len(prefix) < len(text)) and offsets and offsets[-1] >= len(prefix):
        rows.pop()  # the last row may be cut off by the prefix
        offsets.pop()
    return rows, offsets


def _codec(encoding: str) -> str:
    return encoding.removeprefix("replace:").replace("-sig", "")


def _decode_as(data: bytes, forced: str) -> tuple[str, str]:
    """Decode all of `data` with a known codec ('replace:' keeps going past bad bytes)."""
    codec = _codec(forced)
    bom = len(codecs.BOM_UTF8) if codec == "utf-8" and data.startswith(codecs.BOM_UTF8) else 0
    if codec.startswith("utf-16") and data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        bom = 2
    return data[bom:].decode(codec, errors="replace"), forced


def _body_source(data: bytes, text: str, encoding: str, start: int) -> io.BytesIO | io.StringIO:
    """The rows below the header: the raw bytes (pandas decodes UTF-8 fastest itself) when
    the decoded prefix maps back to them exactly, else the decoded text."""
    if encoding.startswith("replace:"):
        return io.StringIO(text[start:])
    codec = _codec(encoding)
    bom = len(codecs.BOM_UTF8) if encoding == "utf-8-sig" else 0
    if codec.startswith("utf-16") and data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        bom = 2
    try:
        head = text[:start].encode(codec)
    except UnicodeEncodeError:
        return io.StringIO(text[start:])
    byte_start = bom + len(head)
    if data[bom:byte_start] == head:
        return io.BytesIO(data[byte_start:])
    return io.StringIO(text[start:])


_SEP_HINT_RE = re.compile(r'"?sep=([,;\t|])"?[ \t]*\r?\n', re.IGNORECASE)
"""Excel's 'sep=;' first line names the delimiter; it is then skipped as a title line."""

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")


def _looks_binary(text: str) -> bool:
    """Control characters (other than TAB and line breaks) do not occur in exports."""
    sample = text[:20_000]
    return bool(sample) and len(_CONTROL_RE.findall(sample)) > max(3, len(sample) // 200)


def sniff_encoding(data: bytes) -> str:
    """The encoding from the BOM, UTF-16's zero bytes, or whether the start is valid UTF-8."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return encoding
    probe = data[:4000]
    if len(probe) >= 4 and probe.count(b"\x00") > len(probe) // 4:
        return "utf-16-be" if probe[0::2].count(0) > probe[1::2].count(0) else "utf-16-le"
    head = data[:_PROBE_CHARS]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        cut = len(head) < len(data) and exc.start >= len(head) - 3
        return "utf-8" if cut else "cp1252"
    return "utf-8"


def _read_text(name: str, data: bytes, forced: str | None = None) -> _Loaded:
    encoding = forced or sniff_encoding(data)
    fast = encoding in ("utf-8", "utf-8-sig")
    if fast:
        # Only the start is decoded here; pandas decodes the body itself, faster.
        bom = len(codecs.BOM_UTF8) if encoding == "utf-8-sig" else 0
        text = data[bom : bom + _PROBE_CHARS].decode("utf-8", errors="ignore")
        truncated = len(data) > bom + _PROBE_CHARS
    else:
        text, encoding = decode_text(data) if forced is None else _decode_as(data, forced)
        truncated = False
    if _looks_binary(text):
        raise SurveyReadError("survey.binary", name=name)
    hint = _SEP_HINT_RE.match(text)
    delimiter = hint.group(1) if hint else sniff_delimiter(text, truncated)
    rows, offsets = _probe_rows(text, delimiter, truncated=truncated)
    if not rows:
        raise SurveyReadError("survey.no_rows", name=name)
    header_index = find_header(rows)
    extra = import_id_rows(rows, header_index)
    header = rows[header_index]
    text_row = rows[header_index + 1] if extra == 2 else None
    start = offsets[header_index + extra]
    width = len(header)
    source = _body_source(data, text, encoding, start)
    try:
        with warnings.catch_warnings():
            # Rows longer than the header (trailing separators) keep the header's width.
            warnings.simplefilter("ignore", pd.errors.ParserWarning)
            frame = pd.read_csv(
                source,
                encoding=None if isinstance(source, io.StringIO) else _codec(encoding),
                sep=delimiter,
                header=None,
                names=list(range(width)),
                index_col=False,
                dtype=object,  # plain Python strings count faster than the str dtype
                keep_default_na=False,
                na_filter=False,
                quotechar='"',
                engine="c",
            )
    except UnicodeDecodeError:
        if encoding == "utf-8":
            return _read_text(name, data, "cp1252")  # valid UTF-8 at the start only
        return _read_text(name, data, "replace:" + encoding)
    except (pd.errors.ParserError, ValueError) as exc:
        line = re.search(r"line (\d+)", str(exc))
        if line:
            near = int(line.group(1)) + header_index + extra
            raise SurveyReadError("survey.no_columns_near", name=name, line=near) from None
        raise SurveyReadError("survey.no_columns", name=name) from None
    tool, tool_name = detect_tool(header)
    detection = Detection(
        tool=tool,
        tool_name=tool_name,
        container="csv" if delimiter != "\t" else "tsv",
        encoding=_ENCODING_NAMES.get(encoding.removeprefix("replace:"), encoding),
        delimiter={"\t": "TAB"}.get(delimiter, delimiter),
        title_lines=header_index,
        header_rows=1 + extra,
    )
    return _Loaded(frame, header, detection, text_row, LabelTables())


def _read_workbook(path: Path, container: str) -> _Loaded:
    from python_calamine import CalamineWorkbook

    name = path.name
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception:  # calamine raises its own error types for broken or foreign files
        kind = "legacy .xls" if container == "xls" else ".xlsx"
        raise SurveyReadError("survey.bad_workbook", name=name, kind=kind) from None
    sheets = list(book.sheet_names)
    folded = {s.casefold(): s for s in sheets}
    data_sheet = folded.get("dataset") or _answer_sheet(book, sheets)
    rows = book.get_sheet_by_name(data_sheet).to_python(skip_empty_area=False)
    if not rows:
        raise SurveyReadError("survey.empty_sheet", name=name, sheet=data_sheet)
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
    return _Loaded(frame, header, detection, text_row, tables)


def _answer_sheet(book: object, sheets: list[str]) -> str:
    """The sheet holding the answers when a workbook has several (a cover page or a summary
    often comes first): a known tool's header wins, else the sheet with the most filled
    cells in its first rows."""
    candidates = [s for s in sheets if s.casefold() not in _COMPANION_SHEETS] or sheets[:1]
    if len(candidates) == 1:
        return candidates[0]
    best: tuple[int, int, int] | None = None
    chosen = candidates[0]
    for order, sheet in enumerate(candidates):
        rows = book.get_sheet_by_name(sheet).to_python(nrows=_PROBE_ROWS)  # type: ignore[attr-defined]
        if not rows:
            continue
        header = [cell_text(c) for c in rows[find_header(rows)]]
        known = detect_tool(header)[0] != "generic"
        filled = sum(1 for row in rows for c in row if cell_text(c).strip())
        score = (int(known), filled, -order)
        if best is None or score > best:
            best, chosen = score, sheet
    return chosen


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
        try:
            tables.merge(read_label_file(candidate))
        except SurveyReadError as exc:
            tables.warnings.append(message("survey.companion_unused", "en", detail=exc))
    return tables


def read_label_file(path: str | Path) -> LabelTables:
    """A label table file (csv/tsv/txt, or a workbook whose sheets are label tables)."""
    path = Path(path)
    if not path.is_file():
        raise SurveyReadError("survey.label_not_found", name=path.name)
    data = path.read_bytes()
    container = sniff_container(data)
    tables = LabelTables()
    if container in ("xlsx", "xls"):
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_path(str(path))
        except Exception:
            raise SurveyReadError("survey.label_bad_workbook", name=path.name) from None
        for sheet in book.sheet_names:
            tables.merge(label_tables_from_rows(book.get_sheet_by_name(sheet).to_python()))
    else:
        text, _ = decode_text(data)
        delimiter = sniff_delimiter(text)
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        tables = label_tables_from_rows(rows)
    if not tables:
        raise SurveyReadError("survey.no_labels", name=path.name)
    tables.source = path.name
    return tables


def _survey_from_frame(loaded: _Loaded, options: Options | None, source: str) -> SurveyData:
    """Status per row, then value counts per question column of the counted rows."""
    frame, detection = loaded.frame, loaded.detection
    plan = plan_columns(loaded.header, detection.tool)
    tail_size = min(len(frame), 2 * tools_spec()["footer"]["max_rows"])
    tail = [[cell_text(v) for v in row] for row in frame.tail(tail_size).itertuples(index=False)]
    cut = len(frame) - tail_size + footer_start(tail)
    if cut < len(frame):
        log.debug("dropped %d summary rows at the end", len(frame) - cut)
        frame = frame.iloc[:cut]
    counts = {i: _value_counts(frame[i]) for i in plan.questions}
    blank = np.ones(len(frame), dtype=bool)
    for i in plan.questions:
        blank_keys = [k for k in counts[i].index if not cell_text(k).strip()]
        if not blank_keys:
            blank[:] = False
            break
        blank &= _is_blank(frame[i], blank_keys)
    # fully empty rows are padding, not respondents (the same rule as the core path)
    empty = blank.copy()
    others = [c for c in frame.columns if c not in set(plan.questions)]
    for row in np.flatnonzero(empty):
        if any(cell_text(frame.iat[row, c]).strip() for c in others):
            empty[row] = False
    if empty.any():
        frame, blank = frame[~empty], blank[~empty]
        counts = {i: _value_counts(frame[i]) for i in plan.questions}
    statuses = _statuses(frame, plan, blank)
    tally = Counter(statuses)
    keep = counted_statuses()
    counted = np.array([s in keep for s in statuses], dtype=bool)
    if not counted.all():
        subset = frame[counted]
        counts = {i: _value_counts(subset[i]) for i in plan.questions}
    column_counts: dict[int, Counter[str]] = {}
    for i, series in counts.items():
        merged: Counter[str] = Counter()
        for value, count in series.items():
            merged[cell_text(value)] += int(count)
        column_counts[i] = merged
    log.debug("counted %d of %d rows", int(counted.sum()), len(statuses))
    return build_survey(
        plan, column_counts, tally, loaded.text_row, loaded.tables, options, detection, source
    )


def _value_counts(series: pd.Series) -> pd.Series:
    """Counts of each cell value, missing ones (short rows, empty cells) included."""
    return series.value_counts(dropna=False)


def _is_blank(series: pd.Series, blank_keys: list[object]) -> np.ndarray:
    mask = series.isin(blank_keys).to_numpy(dtype=bool)
    if series.dtype == object:
        mask = mask | series.isna().to_numpy(dtype=bool)
    return mask


def _statuses(frame: pd.DataFrame, plan: ColumnPlan, blank: np.ndarray) -> list[str]:
    watched = status_columns(plan)
    if not watched:
        return np.where(blank, "not_responded", "completed").tolist()
    columns = [[cell_text(v) for v in frame[i].tolist()] for i in watched]
    out = []
    for row, is_blank in enumerate(blank.tolist()):
        cells = {i: col[row] for i, col in zip(watched, columns, strict=True)}
        out.append(row_status(plan, cells, is_blank))
    return out
