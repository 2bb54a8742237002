"""The matrix reader (core): plain cell grids in, a `Plan` out.

The matrix is found by its header labels (Danish or English, `data/matrix.json`) in the
first 30 rows of a sheet, wherever its columns are; without labels, columns C–G are
assumed when the sheet looks like a matrix. Heading rows ("Politisk mål 2: …",
"Delmål 1.1. Derfor vil vi …"), hierarchy columns left of the matrix (filled down, merged
down or empty), IDs written in the text or derived from position, merged continuation
rows and one sheet per sub-goal are all read into the same tree.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from xlgoals.grid import SheetGrid, WorkbookGrid, a1, column_letter
from xlgoals.model import (
    FIELD_NAMES,
    ActionGoal,
    MatrixLocation,
    Owner,
    Plan,
    PoliticalGoal,
    SubGoal,
)
from xlgoals.owned import owned_column_key, owned_sheet_key
from xlgoals.textutil import cell_text, fold, one_line, squash

HEADER_SCAN_ROWS = 30
DEFAULT_COLUMNS = {"action": 2, "criteria": 3, "evaluation": 4, "timeplan": 5, "owner": 6}

_ID_RE = re.compile(r"(?<![\d.])\(?(\d{1,3}(?:\.\d{1,3}){2,3})\.?\)?(?![\d])")
_LEADING_ID_RE = re.compile(r"^\s*\(?(\d{1,3}(?:\.\d{1,3})*)\.?\)?(?=[\s:–-]|$)[\s:–-]*")
_PAREN_RE = re.compile(r"\([^)]*\)")
_LABEL_CLEAN_RE = re.compile(r"[^\w\s/+-]")
_YEAR_RE = re.compile(r"\b(20\d\d)\b")
_BARE_ID_RE = re.compile(r"\(?(\d{1,3}(?:\.\d{1,3})*)\.?\)?")


@cache
def vocabulary() -> dict[str, Any]:
    """The reader's words from `data/matrix.json`."""
    text = resources.files("xlgoals.data").joinpath("matrix.json").read_text("utf-8")
    return json.loads(text)


def _label_key(text: str) -> str:
    """Header cell text reduced for label matching: no sub-captions, letters, punctuation.

    A header that is only a sub-caption ("(hvad skal ske? – hvornår?)") keeps its words.
    """
    first = _PAREN_RE.sub(" ", text)
    if not first.strip():
        first = text.replace("(", " ").replace(")", " ")
    first = fold(first)
    first = re.sub(r"^[a-z]\s*[\n ]\s*", "", first) if re.match(r"^[a-z]\s", first) else first
    first = _LABEL_CLEAN_RE.sub(" ", first)
    return " ".join(first.split())


@cache
def _labels() -> list[tuple[str, str]]:
    """(label, field) pairs, longest label first so 'tids- og handleplan' beats 'handleplan'."""
    pairs = [
        (" ".join(_LABEL_CLEAN_RE.sub(" ", label.casefold()).split()), name)
        for name, labels in vocabulary()["header_labels"].items()
        for label in labels
    ]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def header_field(value: object) -> str | None:
    """The matrix field a header cell names, or None."""
    if not isinstance(value, str) or not value.strip() or len(value) > 150:
        return None
    return _header_field_of_text(value)


@lru_cache(maxsize=4096)
def _header_field_of_text(value: str) -> str | None:
    key = _label_key(value)
    if not key or len(key) > 60:
        return None
    match = _label_pattern().match(key)
    if not match:
        return None
    name = _label_names()[match.group(1)]
    # "Handlemål nr." or "Delmål ID" heads a column of numbers, not of texts.
    if name != "id" and key.split()[-1] in vocabulary()["id_suffixes"] and " " in key:
        return "id"
    return name


@cache
def _label_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for label, name in _labels():
        names.setdefault(label, name)
    return names


@cache
def _label_pattern() -> re.Pattern[str]:
    """One alternation of every label, longest first, ending at a space, '/' or the end."""
    alternatives = "|".join(re.escape(label) for label, _ in _labels())
    return re.compile(rf"({alternatives})(?:$|[ /])")


@dataclass(slots=True)
class _Header:
    row: int | None
    columns: dict[str, int]
    owned: dict[str, int] = field(default_factory=dict)


def _find_header(sheet: SheetGrid) -> _Header | None:
    """The header row: the first of the top rows naming at least three of the five fields."""
    best: _Header | None = None
    for r in range(min(HEADER_SCAN_ROWS, len(sheet.rows))):
        found: dict[str, int] = {}
        owned: dict[str, int] = {}
        for c, value in enumerate(sheet.rows[r]):
            key = owned_column_key(value)
            if key:
                owned[key] = c
                continue
            name = header_field(value)
            if name and name not in found:
                found[name] = c
        main = [n for n in FIELD_NAMES if n in found]
        if len(main) >= 3 and (best is None or len(main) > len(_main(best.columns))):
            best = _Header(r, found, owned)
            if len(main) == 5:
                break
    if best is None:
        return None
    _infer_missing_columns(best.columns)
    return best


def _main(columns: dict[str, int]) -> list[str]:
    return [n for n in FIELD_NAMES if n in columns]


def _infer_missing_columns(columns: dict[str, int]) -> None:
    """Place unlabelled fields by position between or after the labelled ones."""
    for i, name in enumerate(FIELD_NAMES):
        if name in columns:
            continue
        before = [columns[n] for n in FIELD_NAMES[:i] if n in columns]
        after = [columns[n] for n in FIELD_NAMES[i + 1 :] if n in columns]
        if before:
            guess = max(before) + 1
        elif after:
            guess = min(after) - 1
        else:
            guess = DEFAULT_COLUMNS[name]
        taken = {v for k, v in columns.items() if k in FIELD_NAMES}
        if guess >= 0 and guess not in taken:
            columns[name] = guess


def _is_words(value: object) -> bool:
    """A cell a leader wrote words in (numbers, dates and codes are not matrix text)."""
    return isinstance(value, str) and sum(ch.isalpha() for ch in value) >= 3


def _fallback_columns(sheet: SheetGrid) -> dict[str, int] | None:
    """Without header labels: the five adjacent columns that hold matrix rows, or None.

    Each window of five columns scores the filled cells of rows that have at least three
    of the five filled and a real text in the first; C–G wins ties, as the seed lays the
    matrix out there.
    """
    width = min(sheet.max_cols, 40)
    if width < 3:
        return None
    scores: dict[int, int] = {}
    for cells in sheet.rows[:2000]:
        filled = [_is_words(v) for v in cells[:width]]
        filled += [False] * (width + 5 - len(filled))
        for start in range(0, max(width - 2, 1)):
            window = filled[start : start + 5]
            if sum(window) >= 3 and window[0] and len(cell_text(cells[start]).strip()) > 3:
                scores[start] = scores.get(start, 0) + sum(window)
    if not scores:
        return None
    best = max(scores.values())
    start = DEFAULT_COLUMNS["action"] if scores.get(DEFAULT_COLUMNS["action"]) == best else None
    if start is None:
        start = min(c for c, score in scores.items() if score == best)
    return {name: start + offset for offset, name in enumerate(FIELD_NAMES)}


@dataclass(slots=True)
class _Heading:
    kind: str  # "political_goal" | "sub_goal"
    id: str | None
    title: str


def _strip_prefix(text: str, prefixes: tuple[str, ...]) -> str | None:
    """`text` without a leading heading word (`prefixes` longest first), or None."""
    folded = text.casefold()
    for prefix in prefixes:
        if folded.startswith(prefix):
            rest = text[len(prefix) :]
            if rest[:1].isalpha():
                continue
            return rest
    return None


def _clean_title(text: str) -> str:
    title = one_line(text).strip(" .:–-")
    for filler in vocabulary()["sub_goal_filler"]:
        if title.casefold().startswith(filler + " "):
            title = title[len(filler) + 1 :]
            title = title[:1].upper() + title[1:]
    return title


def parse_heading(text: str) -> _Heading | None:
    """'Delmål 1.1. Derfor vil vi …' / 'Politisk mål 2: …' → heading; else None."""
    text = squash(text)
    if not text:
        return None
    for kind, prefixes in _heading_prefixes():
        rest = _strip_prefix(text, prefixes)
        if rest is None:
            continue
        rest = rest.lstrip(" :–-")
        match = _LEADING_ID_RE.match(rest)
        goal_id = None
        if match and match.group(1):
            goal_id = match.group(1).rstrip(".")
            rest = rest[match.end() :]
        return _Heading(kind, goal_id, _clean_title(rest))
    return None


@cache
def _heading_prefixes() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Political-goal and sub-goal heading words, longest first (sorted once)."""
    prefixes = vocabulary()["heading_prefixes"]
    return tuple(
        (kind, tuple(sorted(prefixes[kind], key=len, reverse=True)))
        for kind in ("political_goal", "sub_goal")
    )


def parse_numbered_heading(text: str) -> _Heading | None:
    """'1.2 Inddrage forældrene …' → sub-goal; '2. Tidlig indsats' → political goal."""
    text = squash(text)
    match = _LEADING_ID_RE.match(text)
    if not match or not text[match.end() :].strip():
        return None
    depth = match.group(1).count(".") + 1
    if depth == 1:
        return _Heading("political_goal", match.group(1), _clean_title(text[match.end() :]))
    if depth == 2:
        return _Heading("sub_goal", match.group(1), _clean_title(text[match.end() :]))
    return None


def action_goal_id(text: str) -> str | None:
    """An ID written in the action-goal text: '(1.1.1.)', '1.1.1 …', '… (1.1.2.) have …'."""
    match = _ID_RE.search(text[:80])
    return match.group(1) if match else None


def split_owner(text: str) -> Owner:
    """'Forankret i chefgruppen – Claus Herbert er ansvarlig' → body, person, role."""
    owner = _split_owner(text)
    if not owner.model_fields_set:
        return Owner()
    # A fresh copy (the cached one is shared); cheaper than model_copy.
    return Owner(body=owner.body, person=owner.person, role=owner.role)


@lru_cache(maxsize=4096)
def _split_owner(text: str) -> Owner:
    words = _owner_words()
    flat = one_line(text)
    if not flat:
        return Owner()
    role = None
    role_span: tuple[int, int] | None = None
    folded = flat.casefold()
    for role_name, role_words in words.roles:
        for word in role_words:
            pos = _find_word(folded, word) if word in folded else -1
            if pos >= 0 and (role_span is None or pos < role_span[0]):
                role, role_span = role_name, (pos, pos + len(word))
    body = None
    for prefix in words.body_prefixes:
        pos = _find_word(folded, prefix) if prefix in folded else -1
        if pos >= 0:
            tail = flat[pos + len(prefix) :]
            body = _BODY_END_RE.split(tail, maxsplit=1)[0].strip(" .–-")
            break
    person = _find_person(flat, role_span, body)
    if body is None:
        for part in _OWNER_PARTS_RE.split(flat):
            part_words = part.strip(" .").casefold().split()
            if (
                part_words
                and any(w in words.groups for w in part_words)
                and (person is None or person not in part)
            ):
                body = part.strip(" .")
                break
    return Owner(body=body or None, person=person, role=role)


_BODY_END_RE = re.compile(r"\s[–—-]\s|[,;:]|\s[–—-]|\n")
_OWNER_PARTS_RE = re.compile(r"\s[–—-]\s|[,;/]|\s[–—-]")


@dataclass(frozen=True, slots=True)
class _OwnerWords:
    """The owner vocabulary prepared once: longest words first, groups as a set."""

    roles: tuple[tuple[str, tuple[str, ...]], ...]
    body_prefixes: tuple[str, ...]
    groups: frozenset[str]
    person: re.Pattern[str]


@cache
def _owner_words() -> _OwnerWords:
    vocab = vocabulary()["owner"]
    particles = "|".join(vocab["name_particles"])
    return _OwnerWords(
        roles=tuple(
            (name, tuple(sorted(words, key=len, reverse=True)))
            for name, words in vocab["role_words"].items()
        ),
        body_prefixes=tuple(sorted(vocab["body_prefixes"], key=len, reverse=True)),
        groups=frozenset(g.casefold() for g in vocab["group_words"]),
        person=re.compile(rf"{_NAME_WORD}(?:\s+(?:(?:{particles})\s+)?{_NAME_WORD})+"),
    )


def _find_word(folded: str, word: str) -> int:
    """Where `word` first stands as a whole word in `folded`, else -1."""
    if word not in folded:  # the common case, without a regex
        return -1
    match = _word_pattern(word).search(folded)
    return match.start() if match else -1


@lru_cache(maxsize=1024)
def _word_pattern(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)")


_NAME_WORD = r"[A-ZÆØÅÄÖÜÉ][a-zæøåäöüéè]+(?:-[A-ZÆØÅ][a-zæøåäöüéè]+)?"
_PERSON_LABEL_RE = re.compile(
    rf"(?:tovholder|ansvarlig|owner|coordinator)\s*:\s*({_NAME_WORD})", re.I
)


def _find_person(flat: str, role_span: tuple[int, int] | None, body: str | None) -> str | None:
    """A person's name: two or more capitalised words that are not group words."""
    groups = _owner_words().groups
    body_words = body.casefold().split() if body else []
    candidates = []
    for match in _owner_words().person.finditer(flat):
        words = match.group(0).split()
        words = [w for w in words if w.casefold() not in groups]
        if body:
            words = [w for w in words if w.casefold() not in body_words]
        # Drop sentence-initial heading words ("Forankret", "Tovholder").
        while words and words[0].casefold() in _NON_NAME_WORDS:
            words = words[1:]
        if len(words) >= 2:
            candidates.append((match.start(), " ".join(words)))
    if not candidates:
        single = _PERSON_LABEL_RE.search(flat)
        return single.group(1) if single else None
    if role_span:
        candidates.sort(key=lambda cand: abs(cand[0] - role_span[0]))
    return candidates[0][1]


_NON_NAME_WORDS = {"forankret", "tovholder", "ansvarlig", "ansvar", "owner", "anchored", "leder"}


@dataclass(slots=True)
class _State:
    """Where the reader is in the hierarchy while walking rows and sheets."""

    plan: Plan
    political: PoliticalGoal | None = None
    sub: SubGoal | None = None
    sub_implicit: bool = False
    current: ActionGoal | None = None
    current_anchor_rows: set[int] = field(default_factory=set)
    last_left: dict[int, str] = field(default_factory=dict)
    placeholders: set[int] = field(default_factory=set)
    """id() of the sub-goals made for action goals without any (never adopted by a heading)."""

    def political_goal(self, sheet: str | None = None) -> PoliticalGoal:
        if self.political is None:
            self.political = PoliticalGoal(id="1", title="", sheet=sheet)
            self.plan.political_goals.append(self.political)
        return self.political

    def start_political(self, heading: _Heading, sheet: str, row: int, col: int) -> None:
        goal_id = heading.id or str(len(self.plan.political_goals) + 1)
        existing = next((p for p in self.plan.political_goals if p.id == goal_id), None)
        if existing is not None and (not heading.title or existing.title == heading.title):
            self.political = existing
        elif (
            self.political is not None and not self.political.sub_goals and not self.political.title
        ):
            self.political.id = goal_id
            self.political.title = heading.title
            self.political.sheet, self.political.row, self.political.cell = (
                sheet,
                row + 1,
                a1(row, col),
            )
        else:
            self.political = PoliticalGoal(
                id=goal_id, title=heading.title, sheet=sheet, row=row + 1, cell=a1(row, col)
            )
            self.plan.political_goals.append(self.political)
        self.sub = None
        self.current = None

    def start_sub(self, heading: _Heading, sheet: str, row: int, col: int) -> None:
        political = self.political_goal(sheet)
        goal_id = heading.id or f"{political.id}.{len(political.sub_goals) + 1}"
        existing = next((s for s in self.plan.sub_goals() if s.id == goal_id), None)
        if existing is not None and existing.sheet == sheet and existing.title == heading.title:
            self.sub = existing
        elif existing is not None and existing.implied and id(existing) not in self.placeholders:
            self.sub = existing
            existing.implied = False
            existing.title = heading.title
            existing.sheet, existing.row, existing.cell = sheet, row + 1, a1(row, col)
        elif existing is not None and not existing.action_goals and heading.id:
            # The sub-goal was listed earlier (e.g. in the intro); its matrix comes now.
            self.sub = existing
            if heading.title and not existing.title:
                existing.title = heading.title
            existing.sheet, existing.row, existing.cell = sheet, row + 1, a1(row, col)
        else:
            self.sub = SubGoal(
                id=goal_id, title=heading.title, sheet=sheet, row=row + 1, cell=a1(row, col)
            )
            political.sub_goals.append(self.sub)
        self.sub_implicit = False
        self.current = None


def read_plan(workbook: WorkbookGrid, *, plan_year: int | None = None) -> Plan:
    """Read every matrix in the workbook into one plan."""
    plan = Plan(plan_year=plan_year)
    state = _State(plan)
    sheets = [sheet for sheet in workbook.sheets if not owned_sheet_key(sheet.name)]
    headers = {sheet.name: _find_header(sheet) for sheet in sheets}
    # Columns C–G are only assumed when no sheet names its columns: a workbook with a
    # labelled matrix keeps its other sheets (lists, data, calculations) out of the plan.
    labelled = any(header is not None for header in headers.values())
    for sheet in sheets:
        header = headers[sheet.name]
        if header is None:
            columns = None if labelled else _fallback_columns(sheet)
            if columns is None:
                continue
            header = _Header(None, columns)
        _read_sheet(sheet, header, state)
    if plan.plan_year is None:
        plan.plan_year = _plan_year(workbook)
    return plan


def _plan_year(workbook: WorkbookGrid) -> int | None:
    """A plan year stated in a title row: 'Planår: 2025', 'Handleplan for 2025'."""
    labels = vocabulary()["plan_year_labels"]
    for sheet in workbook.sheets:
        for cells in sheet.rows[:HEADER_SCAN_ROWS]:
            for c, value in enumerate(cells):
                text = fold(cell_text(value))
                if not text or not any(text.startswith(label) for label in labels):
                    continue
                match = _YEAR_RE.search(text)
                if not match and c + 1 < len(cells):
                    neighbour = cells[c + 1]
                    match = _YEAR_RE.search(cell_text(neighbour))
                if match:
                    return int(match.group(1))
    return None


def _merged_lookup(sheet: SheetGrid) -> dict[tuple[int, int], tuple[int, int]]:
    """Non-anchor cell → its merged range's anchor."""
    lookup: dict[tuple[int, int], tuple[int, int]] = {}
    for r1, c1, r2, c2 in sheet.merged:
        if (r2 - r1 + 1) * (c2 - c1 + 1) > 5000:
            continue
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    lookup[(r, c)] = (r1, c1)
    return lookup


def _is_caption_row(texts: list[str]) -> bool:
    """Sub-caption rows under a header: '(det betyder, at…)' or the column letters C D E."""
    filled = [t for t in texts if t]
    if not filled:
        return False
    if all(len(t) == 1 and "A" <= t <= "Z" for t in filled):  # fullmatch [A-Z]
        return True
    return len(filled) >= 2 and all(
        t.startswith("(") and t.endswith(")") and len(t) <= 60 for t in filled
    )


def _is_repeated_header(texts: list[str]) -> bool:
    """A header row repeated further down (one table per sub-goal on the same sheet)."""
    filled = [t for t in texts if t]
    if len(filled) < 3 or any(len(t) > 150 for t in filled):
        return False
    names = {header_field(t) for t in filled}
    return len(names & set(FIELD_NAMES)) >= 3


def _read_sheet(sheet: SheetGrid, header: _Header, state: _State) -> None:
    columns = header.columns
    matrix_cols = [columns[name] for name in FIELD_NAMES]
    action_col = columns["action"]
    last_col = max(matrix_cols)
    merged = _merged_lookup(sheet)
    hierarchy_cols = {
        name: columns[name] for name in ("political_goal", "sub_goal") if name in columns
    }
    id_col = columns.get("id")
    weight_col = columns.get("weight")
    left_cols = [c for c in range(0, min(matrix_cols)) if c not in (id_col, weight_col)]
    state.current = None
    state.last_left = {}

    header_row = header.row if header.row is not None else -1
    # Title rows above the header: political goal and sub-goal headings.
    for r in range(0, max(header_row, 0)):
        _title_row(sheet, r, state)
    sheet_heading = parse_heading(sheet.name)
    if (
        sheet_heading
        and sheet_heading.kind == "sub_goal"
        and (state.sub is None or state.sub.sheet != sheet.name)
    ):
        state.start_sub(sheet_heading, sheet.name, 0, 0)
        state.sub.row = None
        state.sub.cell = "A1"  # named by the sheet: findings point at its first cell

    first_data = header_row + 1
    last_data = first_data
    count_before = len(state.plan.action_goals())
    width = last_col + 1
    for r in range(first_data, len(sheet.rows)):
        # Each cell's text once per row: stripped for the checks, squashed for the goal.
        raw = [cell_text(value) for value in sheet.rows[r][:width]]
        if len(raw) < width:
            raw += [""] * (width - len(raw))
        texts = [text.strip() for text in raw]
        if not any(texts):
            continue
        if _is_caption_row(texts) or _is_repeated_header(texts):
            continue
        if _heading_row(sheet, r, texts, merged, state):
            last_data = r
            continue
        fields = {name: texts[columns[name]] for name in FIELD_NAMES}
        if not any(fields.values()):
            # Only hierarchy columns filled: a political goal or sub-goal heading by column.
            _hierarchy_cells(sheet, r, texts, left_cols, hierarchy_cols, state)
            last_data = r
            continue
        left_id = _hierarchy_cells(sheet, r, texts, left_cols, hierarchy_cols, state)
        anchor = merged.get((r, action_col))
        if (
            state.current is not None
            and anchor is not None
            and anchor[0] in state.current_anchor_rows
        ):
            _continue_action_goal(state.current, fields)
            state.current_anchor_rows.add(r)
            last_data = r
            continue
        explicit_id = texts[id_col] if id_col is not None and id_col < len(texts) else ""
        explicit_id = explicit_id or left_id or ""
        _new_action_goal(sheet, r, columns, fields, explicit_id, raw, texts, weight_col, state)
        last_data = r
    if len(state.plan.action_goals()) > count_before or header.row is not None:
        state.plan.matrices.append(
            MatrixLocation(
                sheet=sheet.name,
                header_row=None if header.row is None else header.row + 1,
                columns={name: column_letter(columns[name]) for name in FIELD_NAMES},
                owned_columns={k: column_letter(v) for k, v in header.owned.items()},
                first_row=first_data + 1,
                last_row=last_data + 1,
            )
        )


def _title_row(sheet: SheetGrid, r: int, state: _State) -> None:
    """Headings in rows above the matrix header (the seed's 'Politisk mål' block)."""
    cells = sheet.rows[r]
    texts = [cell_text(v).strip() for v in cells]
    filled = [(c, t) for c, t in enumerate(texts) if t]
    for i, (c, text) in enumerate(filled):
        heading = parse_heading(text)
        if heading is None:
            continue
        if heading.kind == "political_goal" and not heading.title:
            heading.title = _next_text(sheet, r, filled[i + 1 :])
        if heading.kind == "political_goal":
            state.start_political(heading, sheet.name, r, c)
        else:
            state.start_sub(heading, sheet.name, r, c)
        return


def _next_text(sheet: SheetGrid, r: int, rest: list[tuple[int, str]]) -> str:
    """The political goal's title: the next cell in the row, else the next filled row."""
    if rest:
        return _clean_title(rest[0][1])
    for below in range(r + 1, min(r + 4, len(sheet.rows))):
        texts = [cell_text(v).strip() for v in sheet.rows[below]]
        filled = [t for t in texts if t]
        if filled and parse_heading(filled[0]) is None and header_field(filled[0]) is None:
            return _clean_title(filled[0])
    return ""


def _heading_row(
    sheet: SheetGrid,
    r: int,
    texts: list[str],
    merged: dict[tuple[int, int], tuple[int, int]],
    state: _State,
) -> bool:
    """A row whose only content is a political-goal or sub-goal heading."""
    filled = [(c, t) for c, t in enumerate(texts) if t]
    if not filled:
        return False
    c, text = filled[0]
    heading = parse_heading(text)
    spans = merged.get((r, c + 1)) == (r, c)  # the heading cell is merged across
    if heading is None:
        if len(filled) == 1:
            heading = parse_numbered_heading(text)
        if heading is None:
            return False
    elif len(filled) > 2 and not spans:
        return False
    if not heading.title and len(filled) > 1:
        heading.title = _clean_title(filled[1][1])  # "Delmål 1.2" | "Inddrage forældrene"
    if heading.kind == "political_goal":
        state.start_political(heading, sheet.name, r, c)
    else:
        state.start_sub(heading, sheet.name, r, c)
    state.last_left = {}
    return True


def _hierarchy_cells(
    sheet: SheetGrid,
    r: int,
    texts: list[str],
    left_cols: list[int],
    hierarchy_cols: dict[str, int],
    state: _State,
) -> str | None:
    """Political goal / sub-goal written in columns left of the matrix (A/B).

    Labelled columns say what they hold; unlabelled ones are read as the seed lays them
    out: the last column before the matrix is the sub-goal, the one before it the
    political goal. A bare ID such as '1.1.2' in such a column is the action goal's ID and
    is returned. Empty cells (merged down or left blank) and repeated text (filled down)
    keep the current goal.
    """
    if hierarchy_cols:
        kinds = {c: kind for kind, c in hierarchy_cols.items()}
    elif len(left_cols) >= 2:
        kinds = {left_cols[-2]: "political_goal", left_cols[-1]: "sub_goal"}
    elif left_cols:
        kinds = {left_cols[0]: "sub_goal"}
    else:
        kinds = {}
    action_id = None
    for c in sorted(set(kinds) | set(left_cols)):
        text = texts[c] if c < len(texts) else ""
        if not text:
            continue
        bare = _BARE_ID_RE.fullmatch(text)
        if bare and bare.group(1).count(".") >= 2:
            action_id = bare.group(1)
            continue
        if state.last_left.get(c) == text:
            continue
        state.last_left[c] = text
        heading = parse_heading(text) or parse_numbered_heading(text)
        if heading is None and bare:
            if "." not in bare.group(1):
                continue  # a bare 1, 2, 3 is row numbering, not a political goal
            heading = _Heading("sub_goal", bare.group(1), "")
        if heading is None:
            kind = kinds.get(c)
            if kind is None:
                continue
            heading = _Heading(kind, None, _clean_title(text))
        if heading.kind == "political_goal":
            state.start_political(heading, sheet.name, r, c)
            for other in list(state.last_left):
                if other > c:
                    del state.last_left[other]
        else:
            state.start_sub(heading, sheet.name, r, c)
    return action_id


def _new_action_goal(
    sheet: SheetGrid,
    r: int,
    columns: dict[str, int],
    fields: dict[str, str],
    explicit_id: str,
    raw: list[str],
    texts: list[str],
    weight_col: int | None,
    state: _State,
) -> None:
    """A new action goal from row `r`; `raw` and `texts` are its cells' texts as read and
    stripped (columns 0 to the matrix's last)."""
    goal_id = explicit_id.strip(" .()") if explicit_id else None
    from_text = True
    if not goal_id:
        goal_id = action_goal_id(fields["action"])
    sub = state.sub
    if sub is None and goal_id and goal_id.count(".") >= 2:
        sub = _implied_sub_goal(goal_id, sheet.name, state)
    if sub is None:
        sub = _placeholder_sub_goal(state, sheet.name)
    if not goal_id:
        from_text = False
        goal_id = f"{sub.id}.{len(sub.action_goals) + 1}"
    row = str(r + 1)
    # Plain data validated in one call (nested models are built by pydantic-core).
    cells = {
        name: {
            "text": squash(raw[columns[name]]),
            "sheet": sheet.name,
            "cell": _column_letter(columns[name]) + row,
        }
        for name in FIELD_NAMES
    }
    weight = None
    if weight_col is not None and weight_col < len(texts) and texts[weight_col]:
        try:
            weight = float(texts[weight_col].replace(",", "."))
        except ValueError:
            weight = None
    owner = _split_owner(cells["owner"]["text"])
    goal = ActionGoal(
        id=goal_id,
        id_from_text=from_text,
        sheet=sheet.name,
        row=r + 1,
        action=cells["action"],
        criteria=cells["criteria"],
        evaluation=cells["evaluation"],
        timeplan=cells["timeplan"],
        owner_text=cells["owner"],
        owner={"body": owner.body, "person": owner.person, "role": owner.role}
        if owner.model_fields_set
        else {},
        weight=weight,
    )
    sub.action_goals.append(goal)
    state.current = goal
    state.current_anchor_rows = {r}


def _placeholder_sub_goal(state: _State, sheet: str) -> SubGoal:
    """Where action goals go that no heading, column or ID places under a sub-goal.

    It keeps them in the tree (numbered like the next sub-goal of the political goal), and
    `implied` makes MX004 ask the leader for the missing heading.
    """
    political = state.political_goal(sheet)
    sub = SubGoal(id=f"{political.id}.{len(political.sub_goals) + 1}", implied=True)
    political.sub_goals.append(sub)
    state.sub = sub
    state.placeholders.add(id(sub))
    return sub


def _implied_sub_goal(goal_id: str, sheet: str, state: _State) -> SubGoal:
    """The sub-goal an ID like 1.2.3 implies when no heading declared it (flagged by MX)."""
    sub_id = goal_id.rsplit(".", 1)[0]
    existing = next((s for s in state.plan.sub_goals() if s.id == sub_id), None)
    if existing is not None:
        return existing
    political_id = sub_id.split(".")[0]
    political = next((p for p in state.plan.political_goals if p.id == political_id), None)
    if political is None:
        political = state.political_goal(sheet)
    sub = SubGoal(id=sub_id, title="", implied=True)
    political.sub_goals.append(sub)
    return sub


@cache
def _column_letter(col: int) -> str:
    return column_letter(col)


def _continue_action_goal(goal: ActionGoal, fields: dict[str, str]) -> None:
    """A row inside the action goal's merged cell adds its texts to the goal's fields."""
    for name, text in fields.items():
        if not text or name == "action":
            continue
        target = goal.field(name)
        target.text = f"{target.text}\n{text}" if target.text else text
        if name == "owner":
            goal.owner = split_owner(target.text)
