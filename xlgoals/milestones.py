"""A time-and-action-plan cell (column F) → milestones with due date and done state (core).

Each bullet is one milestone. Cells are typed in Excel with hard line breaks inside bullets
(the seed wraps every bullet over several lines), so when a cell uses bullets a line without
a bullet belongs to the bullet above it. Without bullets every line is a milestone, except a
line that starts in lower case after a line that does not end a sentence (a wrapped line).

A milestone is done when the leader marked it so: a leading ✓/☑/[x], a done word
("gennemført", "(done)") or strikethrough over all of its text. The words live in
``data/done_markers.json``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from xlgoals.grid import TextRun, WorkbookGrid, parse_a1
from xlgoals.model import ActionGoal, Milestone, Plan
from xlgoals.timeexpr import (
    _alt,
    _fold,
    _patterns,
    _pieces,
    find_periods,
    parse_time,
    vocabulary,
)

__all__ = [
    "attach_milestones",
    "done_vocabulary",
    "goal_milestones",
    "milestone_state",
    "next_milestone",
    "split_milestones",
]

_BULLET_SYMBOLS = "•●▪▫◦·‣⁃∙○■□►▸➢➤→*\\-–—\uf0b7\uf0a7\uf0d8\uf076\uf0fc"
"""Characters that start a bullet line (not language, so not in a data file)."""


@cache
def done_vocabulary() -> dict[str, Any]:
    """Done markers (``data/done_markers.json``), read once."""
    text = resources.files("xlgoals.data").joinpath("done_markers.json").read_text("utf-8")
    return json.loads(text)


@dataclass(frozen=True, slots=True)
class _Regexes:
    bullet: re.Pattern[str]
    done_symbol: re.Pattern[str]
    done_word: re.Pattern[str]
    not_done_before: re.Pattern[str]
    done_pieces: re.Pattern[str]
    """On the lower-cased bullet: no done word, no `done_word` match (a cheap guard)."""


@cache
def _regexes() -> _Regexes:
    voc = done_vocabulary()
    flags = re.IGNORECASE
    months = _alt(vocabulary()["months"])
    symbols = _alt(voc["leading_symbols"])
    words = _alt(voc["words"])
    bracketed = _alt(voc["bracketed_words"])
    bullet = re.compile(
        rf"^[ \t]*(?:{symbols}[ \t]*|[{_BULLET_SYMBOLS}](?:[ \t]+|(?=\S))"
        rf"|\(?\d{{1,2}}[.)](?![\d.])(?![ \t]*{months}\b)[ \t]+|\(?[a-zæøå]\)[ \t]+)",
        flags,
    )
    done_symbol = re.compile(rf"^\s*{symbols}", flags)
    done_word = re.compile(
        rf"^\W*{words}\b|\b(?P<end>{words})\b[\s\d./\-–,:]*$|[(\[]\s*{bracketed}\s*[)\]]"
        rf"|[-–—:]\s*{words}\b",
        flags,
    )
    not_done = re.compile(rf"\b{_alt(voc['not_done_before'])}\s+$", flags)
    done_pieces = _pieces(voc["words"], voc["bracketed_words"])
    return _Regexes(bullet, done_symbol, done_word, not_done, done_pieces)


@dataclass(slots=True)
class _Item:
    """One bullet while splitting: the character ranges of the cell it covers."""

    chunks: list[tuple[int, int]] = field(default_factory=list)
    symbol_done: bool = False


_LINE_BREAK = re.compile(r"[\r\n]")
_WORD_CHAR = re.compile(r"\w")


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without the line break: the text between breaks, where
    "\r" and "\n" each break a line (so "\r\n" leaves an empty line between them)."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _LINE_BREAK.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


_TIME_ONLY_MAX = 80
"""Longer lines always say more than a date (a cheap test before parsing)."""


@cache
def _line_openers() -> re.Pattern[str]:
    """First words of the phrases that may precede a date ("Senest 1. marts", "Fra uge 10")."""
    voc = vocabulary()
    keys = ("deadline_end", "deadline_before", "open_start_due", "start_only", "range_openers")
    words = {phrase.split()[0] for key in keys for phrase in voc[key] if phrase.strip()}
    words.update(voc["weekdays"], voc["date_articles"], voc["prefix_fillers"])
    return re.compile(rf"^\W*{_alt(sorted(words))}(?!\w)", re.IGNORECASE)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _time_only(line: str) -> bool:
    """A line that is nothing but a time expression ("1. marts – 15. april 2019", "Uge 32:")."""
    first = _WORD_CHAR.search(line)
    if len(line) > _TIME_ONLY_MAX or first is None:
        return False
    if not (_patterns().word_start.match(line, first.start()) or _line_openers().match(line)):
        return False  # the first word cannot begin a time expression: no need to parse
    periods = find_periods(line)
    if not periods:
        return False
    rest = list(line)
    for period in periods:
        lo, hi = period.span
        rest[lo:hi] = [" "] * (hi - lo)
    return not any(char.isalnum() for char in rest)


def _split(text: str) -> list[_Item]:
    rx = _regexes()
    lines = _lines(text)
    uses_bullets = any(rx.bullet.match(text[s:e]) for s, e in lines if text[s:e].strip())
    items: list[_Item] = []
    current: _Item | None = None
    bullet_indent = 0
    heading = False  # `current` is a time-only line that the next lines describe
    for s, e in lines:
        line = text[s:e]
        if not line.strip():
            current = None
            continue
        m = rx.bullet.match(line)
        if m:
            current = _Item(symbol_done=bool(rx.done_symbol.match(line)))
            current.chunks.append((s + m.end(), e))
            items.append(current)
            bullet_indent, heading = _indent(line), False
            continue
        if current is not None:
            previous = text[current.chunks[-1][0] : current.chunks[-1][1]].rstrip()
            wrapped = line.lstrip()[:1].islower() and not previous.endswith(
                (".", ":", ";", "!", "?")
            )
            # A line left of the indented bullets above is a heading ("Efterår 2019"
            # over "  • Torvet anlægges"), not the bullet's wrapped text.
            if (uses_bullets and _indent(line) >= bullet_indent) or wrapped:
                current.chunks.append((s, e))
                continue
            single = heading and len(current.chunks) == 1
            if single and _time_only(previous) and not _time_only(line):
                current.chunks.append((s, e))  # "1. februar 2019" / "Frist for indberetning"
                heading = False
                continue
        current = _Item(chunks=[(s, e)])
        items.append(current)
        heading = not uses_bullets  # checked only if a line follows directly
    return items


def _strike_mask(text: str, runs: list[TextRun] | None) -> list[bool] | None:
    """Per character of `text`: struck through? None when the runs do not spell the text."""
    if not runs:
        return None
    joined = "".join(r.text for r in runs)
    if joined.replace("\r\n", "\n") != text.replace("\r\n", "\n"):
        return None
    mask: list[bool] = []
    for run in runs:
        mask.extend([run.strike] * len(run.text.replace("\r\n", "\n")))
    if "\r\n" in text:  # map back onto the original offsets
        out: list[bool] = []
        i = 0
        for char in text:
            out.append(mask[min(i, len(mask) - 1)] if mask else False)
            if char != "\r":
                i += 1
        return out
    return mask


def _is_done(text: str, item: _Item, cell: str, mask: list[bool] | None) -> bool:
    rx = _regexes()
    if item.symbol_done:
        return True
    folded = _fold(text)
    if folded is None or rx.done_pieces.search(folded) is not None:
        for m in rx.done_word.finditer(text):
            if m.group("end") and rx.not_done_before.search(text, 0, m.start("end")):
                continue
            return True
    if mask is not None:
        chars = [mask[i] for s, e in item.chunks for i in range(s, e) if not cell[i].isspace()]
        if chars and all(chars):
            return True
    return False


def _clean(text: str, rx: _Regexes) -> str:
    """Bullet text without leading done symbols, whitespace collapsed."""
    text = " ".join(text.split())
    return rx.done_symbol.sub("", text).strip()


def split_milestones(
    text: str,
    *,
    reference: dt.date | None = None,
    runs: list[TextRun] | None = None,
) -> list[Milestone]:
    """The milestones of a time-plan cell, numbered from 1 in reading order.

    `reference` is the plan year's start or the date the plan was written; a yearless bullet
    first takes the year of the nearest earlier dated bullet in the cell. `runs` are the cell's
    rich-text runs (a bullet whose text is all struck through is done).
    """
    if not text or not text.strip():
        return []
    mask = _strike_mask(text, runs)
    milestones: list[Milestone] = []
    year: int | None = None
    rx = _regexes()
    for item in _split(text):
        raw = " ".join(text[s:e] for s, e in item.chunks)
        item.symbol_done = item.symbol_done or bool(rx.done_symbol.match(raw))
        bullet = _clean(raw, rx)
        if not bullet:
            continue
        parsed = parse_time(bullet, reference, year=year)
        if parsed.due is not None:
            year = parsed.due.year
        milestones.append(
            Milestone(
                index=len(milestones) + 1,
                text=bullet,
                due=parsed.due,
                kind=parsed.kind,
                done=_is_done(bullet, item, text, mask),
                periods=parsed.periods,
                undatable=parsed.undatable,
            )
        )
    return milestones


def goal_milestones(
    goal: ActionGoal, workbook: WorkbookGrid | None = None, plan_year: int | None = None
) -> list[Milestone]:
    """The milestones of an action goal's time-plan cell, with its strikethrough if known.

    The plan year (when the workbook states one) is the reference for yearless bullets; a
    cell struck through as a whole marks every milestone done.
    """
    cell = goal.timeplan
    runs: list[TextRun] | None = None
    struck = False
    sheet = workbook.sheet(cell.sheet) if workbook is not None else None
    if sheet is not None and cell.cell:
        try:
            position = parse_a1(cell.cell)
        except ValueError:
            position = None
        if position is not None:
            runs = sheet.rich_text.get(position)
            struck = position in sheet.struck_cells
    reference = dt.date(plan_year, 1, 1) if plan_year else None
    milestones = split_milestones(cell.text, reference=reference, runs=runs)
    if struck:
        for milestone in milestones:
            milestone.done = True
    return milestones


def attach_milestones(plan: Plan, workbook: WorkbookGrid | None = None) -> None:
    """Fill every action goal's `milestones` from its time-plan cell (once)."""
    for goal in plan.action_goals():
        if not goal.milestones:
            goal.milestones = goal_milestones(goal, workbook, plan.plan_year)


def milestone_state(milestone: Milestone, today: dt.date, due_soon_days: int = 30) -> str:
    """'done', 'overdue', 'due_soon', 'open' or 'undated' – the state shown to the leader."""
    if milestone.done:
        return "done"
    if milestone.due is None:
        return "undated"
    if milestone.due < today:
        return "overdue"
    if milestone.due <= today + dt.timedelta(days=due_soon_days):
        return "due_soon"
    return "open"


def next_milestone(milestones: list[Milestone], today: dt.date) -> Milestone | None:
    """The earliest dated milestone not done and not yet overdue (for a status column)."""
    upcoming = [m for m in milestones if not m.done and m.due is not None and m.due >= today]
    return min(upcoming, key=lambda m: (m.due, m.index)) if upcoming else None
