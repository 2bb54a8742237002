"""Survey rows → answer counts per question (core: no pandas, no I/O, runs under Pyodide).

Input is what a worksheet holds after an xlwings Lite user pasted an export into it: a
header row and value rows of plain cells. The same steps serve the pandas readers, which
hand over per-column value counts instead of rows (:func:`build_survey`), so both paths give
identical counts. Personal-data columns are dropped before anything is counted, and only
aggregates leave this module.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from xlgoals.survey.model import AnswerCount, Detection, Question, Selection, SurveyData

MULTI_SEPARATOR = ";"
"""Multi-select answers are joined with ';' (Microsoft Forms also ends them with ';')."""

_WS_RE = re.compile(r"\s+")
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
# A Danish CPR number (ddmmåå-xxxx, the dash optional): personal data wherever it appears.
_CPR_RE = re.compile(r"(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d\d[- ]?\d{4}(?!\d)")
_INT_FLOAT_RE = re.compile(r"^(-?\d+)[.,]0+$")  # '1.0', and '1,0' after Danish Excel
_DECIMAL_COMMA_RE = re.compile(r"^-?\d+,\d+$")
_NUMBER_RE = re.compile(r"^[-+]?\d+([.,]\d+)?$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


# --- data files ----------------------------------------------------------------------------


@cache
def tools_spec() -> dict[str, Any]:
    """Tool signatures, status columns and personal-data patterns (data/survey_tools.json)."""
    text = resources.files("xlgoals.data").joinpath("survey_tools.json").read_text("utf-8")
    return json.loads(text)


@cache
def likert_spec() -> dict[str, Any]:
    """Answer scales and don't-know labels (data/likert_da.json)."""
    text = resources.files("xlgoals.data").joinpath("likert_da.json").read_text("utf-8")
    return json.loads(text)


@cache
def _patterns(group: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    spec = tools_spec()
    if group == "metadata":
        return tuple(("metadata", re.compile(p)) for p in spec["metadata"])
    return tuple((kind, re.compile(p)) for kind, pats in spec["personal"].items() for p in pats)


# --- cells and labels ----------------------------------------------------------------------


def cell_text(value: object) -> str:
    """A worksheet cell as the text a CSV export would hold ('1.0' → '1', None → '')."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value != value:  # NaN from an empty cell
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def normalise_label(value: str) -> str:
    """Display form: NFC, NBSP and other spaces as one space, trimmed ('Enig\\xa0' → 'Enig')."""
    text = unicodedata.normalize("NFC", value).replace("\u00a0", " ").replace("\u202f", " ")
    return _WS_RE.sub(" ", text).strip()


def match_key(value: str) -> str:
    """Matching form of a label: the display form, casefolded."""
    return normalise_label(value).casefold()


def code_key(value: str) -> str:
    """A code as written in a label table or a cell: '9', '9.0', '9,0' and ' 9 ' are one code."""
    text = normalise_label(value)
    match = _INT_FLOAT_RE.match(text)
    return match.group(1) if match else text.casefold()


def as_text_cell(value: object) -> str:
    """Text a writer can put in a cell without Excel reading it as a formula.

    Survey answers are the respondents' words; one starting with '=', '+', '-', '@', TAB or
    CR would become a formula (or a DDE call) in Excel. Prefixing an apostrophe makes Excel
    store it as text, as OWASP advises for CSV injection.
    """
    text = cell_text(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def column_key(name: str) -> str:
    """A column name for signature and pattern matching."""
    return match_key(name)


# --- label tables --------------------------------------------------------------------------


@dataclass
class LabelTables:
    """Code → label tables and question texts from a tool's companion files."""

    values: dict[str, dict[str, str]] = field(default_factory=dict)
    """Variable (column key) → {code key → label}, in the order of the table."""
    texts: dict[str, str] = field(default_factory=dict)
    """Variable (column key) → question text."""
    source: str = ""
    warnings: list[str] = field(default_factory=list)
    """Companion files that were found but could not be used (shown, never fatal)."""

    def add_value(self, variable: str, code: object, label: object) -> None:
        """Record one row of a label table, ignoring empty rows."""
        var, code_s, label_s = column_key(cell_text(variable)), cell_text(code), cell_text(label)
        if var and code_s.strip() and label_s.strip():
            self.values.setdefault(var, {})[code_key(code_s)] = normalise_label(label_s)

    def add_text(self, variable: object, text: object) -> None:
        var, text_s = column_key(cell_text(variable)), normalise_label(cell_text(text))
        if var and text_s:
            self.texts.setdefault(var, text_s)

    def merge(self, other: LabelTables) -> None:
        for var, table in other.values.items():
            self.values.setdefault(var, {}).update(table)
        for var, text in other.texts.items():
            self.texts.setdefault(var, text)
        self.source = ", ".join(s for s in (self.source, other.source) if s)
        self.warnings.extend(other.warnings)

    def __bool__(self) -> bool:
        """True when there is anything to decode or name questions with."""
        return bool(self.values or self.texts)


def label_tables_from_rows(rows: Sequence[Sequence[object]], source: str = "") -> LabelTables:
    """Read a companion table in any of the known shapes.

    - three columns variable, value, label (SurveyXact `Labels` sheet / labels.csv; a header
      row is optional);
    - a LimeSurvey structure file (columns class, name, text: Q rows give question texts,
      SQ rows sub-questions, A rows the answer codes of the question above);
    - two columns variable, text (SurveyXact `Variables`/`Structure`).
    """
    tables = LabelTables(source=source)
    cleaned = [[cell_text(c) for c in row] for row in rows if any(cell_text(c) for c in row)]
    if not cleaned:
        return tables
    head = [column_key(c) for c in cleaned[0]]
    if "class" in head and "name" in head and "text" in head:
        _limesurvey_structure(cleaned, head, tables)
        return tables
    words = tools_spec()["label_table_columns"]
    var_col = _first_index(head, words["variable"])
    val_col = _first_index(head, words["value"])
    lab_col = _first_index(head, words["label"])
    txt_col = _first_index(head, words["text"])
    if var_col is not None and val_col is not None and lab_col is not None:
        for row in cleaned[1:]:
            _pad(row, 3)
            tables.add_value(row[var_col], row[val_col], row[lab_col])
        return tables
    if var_col is not None and txt_col is not None:
        for row in cleaned[1:]:
            _pad(row, max(var_col, txt_col) + 1)
            tables.add_text(row[var_col], row[txt_col])
        return tables
    width = max(len(r) for r in cleaned)
    if width >= 3:
        for row in cleaned:
            _pad(row, 3)
            tables.add_value(row[0], row[1], row[2])
    elif width == 2:
        for row in cleaned:
            tables.add_text(row[0], row[1])
    return tables


def _pad(row: list[str], width: int) -> None:
    row.extend([""] * (width - len(row)))


def _first_index(head: Sequence[str], names: Iterable[str]) -> int | None:
    for name in names:
        if name in head:
            return head.index(name)
    return None


def _limesurvey_structure(rows: list[list[str]], head: list[str], tables: LabelTables) -> None:
    i_class, i_name, i_text = head.index("class"), head.index("name"), head.index("text")
    i_lang = head.index("language") if "language" in head else None
    first_lang: str | None = None
    question = ""
    for row in rows[1:]:
        _pad(row, len(head))
        if i_lang is not None and row[i_lang]:
            first_lang = first_lang or row[i_lang]
            if row[i_lang] != first_lang:
                continue
        kind, name, text = row[i_class].strip().upper(), row[i_name].strip(), row[i_text]
        if kind == "Q":
            question = name
            tables.add_text(name, _strip_html(text))
        elif kind == "SQ" and question:
            base = tables.texts.get(column_key(question), question)
            tables.add_text(f"{question}[{name}]", f"{base} [{_strip_html(text)}]")
        elif kind == "A" and question:
            tables.add_value(question, name, _strip_html(text))


def _strip_html(text: str) -> str:
    return re.sub(r"<[^>]+>", " ", text)


# --- detection -----------------------------------------------------------------------------


def detect_tool(header: Sequence[object]) -> tuple[str, str]:
    """(tool id, display name) from the column names; ('generic', …) when none matches."""
    keys = {column_key(cell_text(h)) for h in header}
    for sig in tools_spec()["tools"]:
        if all(name in keys for name in sig.get("all", [])) and all(
            any(k.startswith(p) for k in keys) for p in sig.get("prefix", [])
        ):
            return sig["id"], sig["name"]
    return "generic", "Generic table"


def find_header(rows: Sequence[Sequence[object]], probe: int = 30) -> int:
    """Index of the header row: the first row about as wide as the table below it.

    Exports saved from Excel often carry a title and an export date above the header.
    """
    widths = [sum(1 for c in row if cell_text(c).strip()) for row in rows[:probe]]
    if not widths:
        return 0
    widest = max(widths)
    for index, width in enumerate(widths):
        if width >= 2 and width >= 0.6 * widest:
            return index
    return 0


def import_id_rows(rows: Sequence[Sequence[object]], header_index: int) -> int:
    """Extra header rows after the header: 2 for Qualtrics (texts + ImportId JSON), else 0."""
    for extra in (1, 2):
        index = header_index + extra
        if index < len(rows):
            cells = [cell_text(c).strip() for c in rows[index] if cell_text(c).strip()]
            if cells and sum(c.startswith('{"ImportId"') for c in cells) >= len(cells) / 2:
                return extra
    return 0


# --- columns -------------------------------------------------------------------------------


@dataclass
class ColumnPlan:
    """What each column of an export is: a question, a status flag, metadata or personal."""

    header: list[str]
    tool: str
    questions: list[int] = field(default_factory=list)
    personal: dict[int, str] = field(default_factory=dict)
    metadata: list[int] = field(default_factory=list)
    status: dict[str, int] = field(default_factory=dict)
    """Status role → column index (SurveyXact flags, Qualtrics Finished/Status, LimeSurvey)."""


def plan_columns(header: Sequence[object], tool: str) -> ColumnPlan:
    """Sort the columns by their names; free text is found later from the answers."""
    names = [cell_text(h) for h in header]
    plan = ColumnPlan(header=names, tool=tool)
    status_spec = tools_spec()["status"].get(tool, {})
    status_columns = dict(status_spec.get("columns", {}))
    roles: dict[str, str] = {}
    for role in ("finished", "status", "submitted", "lastpage"):
        spelled = status_spec.get(role, [])
        for status_name in [spelled] if isinstance(spelled, str) else spelled:
            roles[status_name] = role  # one role may have several names (code/full headings)
    for index, name in enumerate(names):
        key = column_key(name)
        if not key:
            plan.metadata.append(index)
            continue
        if key in status_columns:
            plan.status[status_columns[key]] = index
            plan.metadata.append(index)
            continue
        if roles.get(key):
            plan.status[roles[key]] = index
            plan.metadata.append(index)
            continue
        kind = next((k for k, pat in _patterns("personal") if pat.search(key)), None)
        if kind is None and (_CPR_RE.search(name) or _EMAIL_RE.search(name)):
            kind = "personal_in_heading"  # "Kontakt (010203-1234)": the heading is personal
        if kind:
            plan.personal[index] = kind
        elif any(pat.search(key) for _, pat in _patterns("metadata")):
            plan.metadata.append(index)
        else:
            plan.questions.append(index)
    return plan


def row_status(plan: ColumnPlan, cells: Mapping[int, str], all_blank: bool) -> str:
    """One respondent's status; non-responders and test rows are rows too, but not counted."""
    status = "completed"
    if plan.tool == "surveyxact":
        for role in ("not_invited", "not_responded", "partial", "completed", "excused"):
            index = plan.status.get(role)
            if index is not None and code_key(cells.get(index, "")) == "1":
                status = role
                break
    elif plan.tool == "qualtrics":
        excluded = set(tools_spec()["status"]["qualtrics"]["excluded_status"])
        if "status" in plan.status and match_key(cells.get(plan.status["status"], "")) in excluded:
            return "excluded"
        if "finished" in plan.status:
            finished = match_key(cells.get(plan.status["finished"], ""))
            if finished in ("0", "false", "falsk"):
                status = "partial"
    elif (
        plan.tool == "limesurvey"
        and "submitted" in plan.status
        and not cells.get(plan.status["submitted"], "").strip()
    ):
        status = "partial"
    if status in ("completed", "partial") and all_blank:
        return "not_responded"
    return status


def footer_start(rows: Sequence[Sequence[str]]) -> int:
    """Index of the first summary row ('I alt', 'Total' …) at the end of `rows` (the cells of
    the last rows as text), or len(rows) when there is none. Empty rows between are skipped."""
    spec = tools_spec()["footer"]
    words = {match_key(w) for w in spec["labels"]}
    start = len(rows)
    seen = 0
    for index in range(len(rows) - 1, -1, -1):
        first = next((c for c in rows[index] if c.strip()), None)
        if first is None:
            continue
        if match_key(first).rstrip(":") not in words or seen >= spec["max_rows"]:
            break
        start, seen = index, seen + 1
    return start


def status_columns(plan: ColumnPlan) -> list[int]:
    return sorted(set(plan.status.values()))


# --- counting ------------------------------------------------------------------------------


@dataclass
class Options:
    """Choices the leader may change: don't-know labels and the multi-select separator."""

    dont_know: Sequence[str] | None = None
    multi_separator: str = MULTI_SEPARATOR

    def no_answer_keys(self) -> set[str]:
        """Answers that stand for no answer ('No answer'): counted as blanks."""
        return {match_key(label) for label in likert_spec().get("no_answer", [])}

    def dont_know_keys(self) -> set[str]:
        labels = self.dont_know if self.dont_know is not None else likert_spec()["dont_know"]
        return {match_key(label) for label in labels}


def tabulate(
    header: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    text_row: Sequence[object] | None = None,
    labels: LabelTables | None = None,
    options: Options | None = None,
    detection: Detection | None = None,
    source: str = "",
) -> SurveyData:
    """Count the answers of every question in plain worksheet rows (the pure-Python path)."""
    tool, tool_name = detect_tool(header)
    plan = plan_columns(header, tool)
    watched = status_columns(plan)
    counts: dict[int, Counter[str]] = {i: Counter() for i in plan.questions}
    statuses: Counter[str] = Counter()
    width = len(plan.header)
    rows = list(rows)
    tail = [[cell_text(c) for c in row] for row in rows[-2 * tools_spec()["footer"]["max_rows"] :]]
    rows = rows[: len(rows) - len(tail) + footer_start(tail)]
    for row in rows:
        values = [cell_text(row[i]) if i < len(row) else "" for i in range(width)]
        if not any(v.strip() for v in values):
            continue  # a trailing empty row of a worksheet is not a respondent
        blank = all(not values[i].strip() for i in plan.questions)
        status = row_status(plan, {i: values[i] for i in watched}, blank)
        statuses[status] += 1
        if status in counted_statuses():
            for index in plan.questions:
                counts[index][values[index]] += 1
    info = detection or Detection()
    info.tool, info.tool_name = tool, tool_name
    return build_survey(plan, counts, statuses, text_row, labels, options, info, source)


def tabulate_grid(
    rows: Sequence[Sequence[object]],
    *,
    labels: LabelTables | None = None,
    options: Options | None = None,
    source: str = "",
) -> SurveyData:
    """Count a whole pasted sheet: title lines and Qualtrics' extra header rows are found."""
    header_index = find_header(rows)
    extra = import_id_rows(rows, header_index)
    header = [cell_text(c) for c in rows[header_index]] if rows else []
    while header and not header[-1].strip():
        header.pop()
    text_row = rows[header_index + 1] if extra == 2 else None
    detection = Detection(title_lines=header_index, header_rows=1 + extra)
    return tabulate(
        header,
        rows[header_index + 1 + extra :],
        text_row=text_row,
        labels=labels,
        options=options,
        detection=detection,
        source=source,
    )


def counted_statuses() -> frozenset[str]:
    return frozenset(tools_spec()["counted_statuses"])


def build_survey(
    plan: ColumnPlan,
    column_counts: Mapping[int, Mapping[str, int]],
    statuses: Mapping[str, int],
    text_row: Sequence[object] | None,
    labels: LabelTables | None,
    options: Options | None,
    detection: Detection,
    source: str,
) -> SurveyData:
    """Turn raw per-column value counts of the counted rows into questions.

    Shared by :func:`tabulate` and the pandas readers, so both give the same counts.
    """
    options = options or Options()
    labels = labels or LabelTables()
    dont_know = options.dont_know_keys()
    detection.respondents = {k: int(v) for k, v in sorted(statuses.items()) if v}
    detection.counted = sum(v for k, v in statuses.items() if k in counted_statuses())
    # a heading may itself hold a CPR number: report the dropped column with it masked
    detection.dropped_personal = [_mask_cpr(plan.header[i]) for i in sorted(plan.personal)]
    detection.personal_kinds = {
        _mask_cpr(plan.header[i]): kind for i, kind in sorted(plan.personal.items())
    }
    detection.ignored_metadata = [plan.header[i] for i in plan.metadata if plan.header[i]]
    if labels.values:
        detection.label_source = labels.source or detection.label_source
    detection.warnings.extend(labels.warnings)
    decoded_any = False
    comma = tools_spec()["comma_joined"]["tools"].get(plan.tool)
    questions: list[Question] = []
    texts = [cell_text(c) for c in text_row] if text_row is not None else []
    for index in plan.questions:
        name = plan.header[index]
        key = column_key(name)
        table = labels.values.get(key)
        if table is None and "[" in key:
            # LimeSurvey array sub-questions (G01Q01[SQ001]) share their question's answers
            table = labels.values.get(key.split("[", 1)[0])
        text = labels.texts.get(key) or (
            normalise_label(texts[index]) if index < len(texts) and texts[index].strip() else ""
        )
        raw = column_counts.get(index, {})
        coded, unknown = 0, 0
        if table is not None:
            table, coded, unknown = _fit_table(table, raw)
        separator = options.multi_separator
        if table is None and comma and comma_joined(raw, comma):
            separator = comma
        question, reason = _question(
            name,
            text or normalise_label(name),
            raw,
            table,
            dont_know,
            separator,
            options.no_answer_keys(),
        )
        if table is not None and unknown:
            detection.warnings.append(
                f"{name}: {unknown} answers have a code missing from the label table"
            )
        if reason:
            detection.dropped_personal.append(name)
            detection.personal_kinds[name] = reason
            continue
        decoded_any = decoded_any or coded > 0
        taken = {q.id for q in questions}
        suffix = 2
        while question.id in taken:  # two columns with the same heading stay apart
            question.id = f"{name} ({suffix})"
            suffix += 1
        questions.append(question)
    detection.values = "codes" if decoded_any else "labels"
    return SurveyData(source=source, detection=detection, questions=questions)


def _question(
    name: str,
    text: str,
    raw_counts: Mapping[str, int],
    table: Mapping[str, str] | None,
    dont_know: set[str],
    separator: str,
    no_answer: frozenset[str] | set[str] = frozenset(),
) -> tuple[Question, str | None]:
    """One question from raw cell counts; the reason string says why it is personal data."""
    multi = table is None and any(separator in v for v in raw_counts if v.strip())
    typed = any("\n" in v.strip() for v in raw_counts)  # line breaks are typed, not chosen
    blank = 0
    variants: dict[str, Counter[str]] = {}
    option_counts: Counter[str] = Counter()
    selections: Counter[tuple[str, ...]] = Counter()
    for raw, count in raw_counts.items():
        if not count:
            continue
        parts = raw.split(separator) if multi else [raw]
        labels = [_decode(p, table) for p in parts if p.strip()]
        labels = [label for label in labels if match_key(label) not in no_answer]
        if not labels:
            blank += count
            continue
        keys: list[str] = []
        for label in labels:
            display = normalise_label(label)
            k = display.casefold()
            variants.setdefault(k, Counter())[display] += count
            if k not in keys:
                keys.append(k)
        for k in keys:
            option_counts[k] += count
        if multi:
            selections[tuple(sorted(keys))] += count
    reason = None
    if table is None:
        reason = _free_text_reason(variants, option_counts, dont_know, typed)
    display = {k: min(v.items(), key=lambda kv: (-kv[1], kv[0]))[0] for k, v in variants.items()}
    dk = sorted(k for k in option_counts if k in dont_know)
    dk_count = 0
    if multi:
        valid_sel: Counter[tuple[str, ...]] = Counter()
        for keys, count in selections.items():
            kept = tuple(k for k in keys if k not in dont_know)
            if kept:
                valid_sel[kept] += count
            else:
                dk_count += count
    else:
        dk_count = sum(option_counts[k] for k in dk)
    possible = [match_key(v) for v in table.values()] if table else []
    valid = [k for k in option_counts if k not in dont_know]
    scale = detect_scale(valid + [k for k in possible if k not in dont_know])
    order = _answer_order(valid, possible, scale)
    answers = [AnswerCount(label=display[k], count=option_counts[k]) for k in order]
    question = Question(
        id=name,
        text=text,
        answers=answers,
        blank=blank,
        dont_know=dk_count,
        dont_know_answers=[AnswerCount(label=display[k], count=option_counts[k]) for k in dk],
        multi=multi,
        scale=scale,
    )
    if multi:
        question.selections = [
            Selection(labels=[display[k] for k in keys], count=count)
            for keys, count in sorted(valid_sel.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
    return question, reason


def _fit_table(
    table: Mapping[str, str], raw_counts: Mapping[str, int]
) -> tuple[Mapping[str, str] | None, int, int]:
    """(table to use, answers that are codes, answers neither code nor label).

    A label export keeps its label table (answers already are labels: nothing to decode).
    A column whose answers are mostly neither codes nor labels is not decoded at all, so
    typed text in it is checked for personal data like any other column.
    """
    specials = {code_key(k): v for k, v in tools_spec()["special_codes"].items() if k[0] != "_"}
    used = {code_key(raw) for raw in raw_counts if raw.strip()}
    full = {**{k: v for k, v in specials.items() if k in used and k not in table}, **table}
    labels = {match_key(v) for v in full.values()}
    coded = as_label = unknown = 0
    for raw, n in raw_counts.items():
        if not raw.strip():
            continue
        if code_key(raw) in full:
            coded += n
        elif match_key(raw) in labels:
            as_label += n
        else:
            unknown += n
    if unknown > coded + as_label:
        return None, 0, 0
    return full, coded, unknown


def comma_joined(raw_counts: Mapping[str, int], separator: str = ", ") -> bool:
    """True when a column's answers are checkbox choices joined with `separator` (Google).

    Commas also occur inside single answers ('Ja, delvist') and typed text, so a column is
    split only when every part starts with a capital letter or a digit and is seen on its own
    or in at least two answers: chosen options repeat, sentence fragments do not.
    """
    answers = {normalise_label(v): n for v, n in raw_counts.items() if n and v.strip()}
    if any(separator in v for v in answers if "\n" in v):
        return False
    joined = [v for v in answers if separator in v]
    if not joined or any(v.casefold() in _vocabulary() for v in answers):
        return False
    if all(_DECIMAL_COMMA_RE.match(v) for v in joined):
        return False  # '37,5' is a typed number with a decimal comma, not choices 37 and 5
    seen: Counter[str] = Counter()
    for value, count in answers.items():
        for part in {p.strip() for p in value.split(separator) if p.strip()}:
            seen[part] += count
    for value in joined:
        for part in value.split(separator):
            part = part.strip()
            if not part or not (part[0].isupper() or part[0].isdigit()):
                return False
            if part not in answers and seen[part] < 2:
                return False
    return True


def _decode(raw: str, table: Mapping[str, str] | None) -> str:
    if table is None:
        return raw
    return table.get(code_key(raw), raw)


def _mask_cpr(text: str) -> str:
    return _CPR_RE.sub("xxxxxx-xxxx", text)


def _free_text_reason(
    variants: Mapping[str, Counter[str]],
    all_counts: Counter[str],
    dont_know: set[str],
    typed: bool,
) -> str | None:
    """'free_text' or 'email' when a column's answers look typed rather than chosen."""
    rules = tools_spec()["free_text_detection"]
    labels = [label for v in variants.values() for label in v]
    if any(_EMAIL_RE.search(label) for label in labels):
        return "email"
    if any(_CPR_RE.search(label) for label in labels):
        return "cpr"  # CPR numbers repeat like chosen answers (one per child, many forms)
    counts = Counter({k: v for k, v in all_counts.items() if k not in dont_know})
    if not counts or set(counts) <= _vocabulary():
        return None  # chosen from known scales: never typed text
    answered = sum(counts.values())
    distinct = len(counts)
    if any(len(label) > rules["max_label_length"] for label in labels):
        return "free_text"
    unique_each = distinct == answered
    if all(_NUMBER_RE.match(label) for label in labels):
        # Scores ("4,5") repeat; a column of numbers that never repeat is an ID.
        return "respondent_id" if unique_each and distinct >= 3 else None
    if typed or distinct > rules["max_categories"]:
        return "free_text"
    # Chosen answers repeat. Answers that never repeat, or too few answers to tell (they
    # could never be shown anyway under the anonymity threshold), are treated as typed.
    if unique_each or answered < rules["min_answers_for_ratio"]:
        return "free_text"
    spread = distinct / answered
    if distinct >= rules["min_distinct_for_ratio"] and spread > rules["max_distinct_ratio"]:
        return "free_text"
    return None


# --- scales --------------------------------------------------------------------------------


@cache
def _scales() -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    out = []
    for scale in likert_spec()["scales"]:
        keys = tuple(match_key(label) for label in scale["labels"])
        if "positive" in scale:
            positive = tuple(match_key(label) for label in scale["positive"])
        else:
            positive = keys[: scale.get("top", 2)]
        out.append((scale["id"], keys, positive))
    return tuple(out)


@cache
def _vocabulary() -> frozenset[str]:
    """Every label of every known scale and every default don't-know label."""
    words = {k for _, keys, _ in _scales() for k in keys}
    return frozenset(words | {match_key(label) for label in likert_spec()["dont_know"]})


def detect_scale(keys: Iterable[str]) -> str | None:
    """The scale holding all these answer keys with the fewest unused labels, or None."""
    wanted = set(keys)
    if not wanted:
        return None
    best: tuple[int, str] | None = None
    for scale_id, scale_keys, _ in _scales():
        if wanted <= set(scale_keys):
            unused = len(scale_keys) - len(wanted)
            if best is None or unused < best[0]:
                best = (unused, scale_id)
    return best[1] if best else None


def scale_labels(scale_id: str) -> tuple[str, ...]:
    """Match keys of a scale's labels, most positive first."""
    for sid, keys, _ in _scales():
        if sid == scale_id:
            return keys
    raise KeyError(scale_id)


def scale_positive(scale_id: str) -> tuple[str, ...]:
    """Match keys of a scale's default positive set (its top two, or 'Ja')."""
    for sid, _, positive in _scales():
        if sid == scale_id:
            return positive
    raise KeyError(scale_id)


def _answer_order(valid: list[str], possible: list[str], scale: str | None) -> list[str]:
    """Scale order, else label-table order, else alphabetical: the same on every path."""
    rank: dict[str, int] = {}
    if scale:
        rank = {k: i for i, k in enumerate(scale_labels(scale))}
    elif possible:
        rank = {k: i for i, k in enumerate(possible)}
    return sorted(valid, key=lambda k: (rank.get(k, len(rank)), k))
