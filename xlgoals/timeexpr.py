"""Danish time expressions → periods and due dates (core; follows CONVENTIONS.md exactly).

A time plan says "primo 2015 (januar-marts)", "senest uge 45 2025" or "inden sommerferien";
a leader needs one due date per milestone. The words live in ``data/time_da.json``; this
module only builds regexes from them (once) and applies the conventions:

1. find atomic expressions (date, month, season, quarter, half, week, school year, year,
   holiday, relative year), each either dated or *yearless* with a builder ``year → span``;
2. mark labels ("Budget 2027") that commit to nothing;
3. join ranges ("august-september 2014", "fra februar til maj 2026", "2026-28"), sharing
   the year between the parts;
4. read the words just before each expression: deadlines, "inden/før", open-ended "fra",
   start-only "efter/tidligst", classifying "for", old dates ("fremrykket fra 2027 til 2026"),
   recurring bounds ("løbende i 2027");
5. let a parenthesised clarification win over the vague word before it;
6. give yearless expressions a year: from an earlier expression in the same text, then from
   ``year`` (an earlier bullet), then the first match ending on/after ``reference``; else none.

The bullet's due date is the latest due among the periods it commits to.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from importlib import resources
from typing import Any, NamedTuple

from xlgoals.model import Period

__all__ = ["TimeParse", "due_date", "find_periods", "parse_time", "vocabulary"]

Span = tuple[dt.date, dt.date]
Builder = Callable[[int], Span]

DASH_CHARS = r"\-‐‑‒–—−"
DASH = rf"[{DASH_CHARS}]"
_LEFT = r"(?<![\w])"
_Y4 = r"(?<!\d)(?<!\d[.,])(?:19[89]\d|20\d\d)(?!\d)"
_Y2 = r"'?\d{2}(?!\d)(?![.,:]\d)"


@cache
def vocabulary() -> dict[str, Any]:
    """The Danish time vocabulary (``data/time_da.json``), read once."""
    text = resources.files("xlgoals.data").joinpath("time_da.json").read_text("utf-8")
    return json.loads(text)


def _norm(phrase: str) -> str:
    """Lower-case, single-spaced form used as a dictionary key."""
    return " ".join(phrase.casefold().split())


def _word(phrase: str) -> str:
    """Regex for one vocabulary phrase: spaces match any whitespace, a final '.' is optional."""
    phrase = phrase.strip()
    dotted = phrase.endswith(".") and len(phrase) > 1
    body = phrase[:-1] if dotted else phrase
    pattern = r"\s+".join(re.escape(part) for part in body.split())
    if dotted:
        pattern += r"\.?"
    return pattern


def _alt(words: Iterable[str]) -> str:
    """Alternation of phrases, longest first so the longest phrase wins at a position."""
    unique = sorted({w for w in words if w.strip()}, key=len, reverse=True)
    return "(?:" + _branches([_word(w) for w in unique]) + ")"


_GROUPABLE_FIRST = frozenset(
    "0123456789abcdefghijklmnopqrstuvwxyzæøåéèêëáàâäíìîïóòôöúùûüçñ"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅÉÈÊËÁÀÂÄÍÌÎÏÓÒÔÖÚÙÛÜÇÑ"
)
"""First characters whose upper/lower case pair is the only other character they can match."""


def _branches(patterns: list[str]) -> str:
    """`a|b|…` with the alternatives grouped by their first (literal) character, in order.

    The regex engine tries every alternative at every position; grouped, it tests each first
    character once ("b(?:udget|udgettet)|p(?:lan|rogram)"). Two groups can never match at the
    same position and each group keeps the original order, so the match is the same. When a
    first character is not a plain letter/digit, or both cases of one letter start
    alternatives (equal under IGNORECASE, not without it), the plain alternation is kept.
    """
    firsts = [p[:1] for p in patterns]
    if not all(f in _GROUPABLE_FIRST for f in firsts) or any(
        p[1:2] in ("?", "*", "+", "{") for p in patterns
    ):
        return "|".join(patterns)
    distinct = set(firsts)
    if len({f.lower() for f in distinct}) != len(distinct):
        return "|".join(patterns)
    groups: dict[str, list[str]] = {}
    for p in patterns:
        groups.setdefault(p[0], []).append(p[1:])
    return "|".join(
        first + (rests[0] if len(rests) == 1 else "(?:" + "|".join(rests) + ")")
        for first, rests in groups.items()
    )


_WORD_RUN = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
_UNSAFE_FOLD = re.compile("[\u0130\u0131\u017f]")
"""İ, ı and ſ: re.IGNORECASE equates them with 'i'/'s' but str.lower() does not map them
there (tests/test_timeexpr_guards.py checks every code point against the vocabulary)."""


@lru_cache(maxsize=16)
def _fold(text: str) -> str | None:
    """`text.lower()` for the cheap guards, or None when lower() is not a faithful stand-in
    for re.IGNORECASE on this text (then no guard applies).

    A guard skips a regex scan only when the scan cannot match: each phrase the regex is
    built from holds a piece (`_piece`) that any match of it holds too, so a text in which
    no piece occurs holds no match. On the lower-cased text such a test is a plain literal
    search that the regex engine runs fast (it skips ahead to the pieces' first letters);
    with re.IGNORECASE it could not. lower() keeps the length of the text that passes here,
    so offsets agree. Cached for the few texts in flight (parse_time and milestones read
    the same bullet).
    """
    if _UNSAFE_FOLD.search(text) is not None:
        return None
    return text.lower()


@lru_cache(maxsize=16)
def _text_words(text: str) -> frozenset[str] | None:
    """The lower-cased words (\\w runs) of `text`; None as for `_fold`."""
    folded = _fold(text)
    return None if folded is None else frozenset(_WORD_RUN.findall(folded))


def _piece(phrase: str) -> str:
    """A literal that every match of the phrase's regex (`_word`) contains, lower-cased: its
    longest space-free part (a final '.' is optional there, so it is left off)."""
    phrase = phrase.strip().lower()
    if phrase.endswith(".") and len(phrase) > 1:
        phrase = phrase[:-1]
    return max(phrase.split(), key=len)


def _pieces(*groups: Iterable[str]) -> re.Pattern[str]:
    """A case-sensitive search for any phrase's piece, run on the lower-cased text."""
    pieces = sorted({_piece(w) for group in groups for w in group if w.strip()})
    return re.compile(_branches([re.escape(w) for w in pieces]))


_FOLD_TOKEN = re.compile(r"\\.|\(\?P<\w+>|.", re.DOTALL)


def _fold_pattern(pattern: str) -> str | None:
    """`pattern` (meant for re.IGNORECASE) for the lower-cased text without the flag: its
    letters lower-cased, escapes and group names kept. None when that could change what it
    matches: scoped flags ("(?-i:[A-Z])" is meant to see capitals), escapes that name a
    character by its code (which could be a capital), a range with a capital end ("[A-z]"
    also holds "_"), a back-reference, or a result the regex compiler refuses.
    """
    if "(?-i" in pattern or "(?i" in pattern or "(?P=" in pattern:
        return None
    if re.search(r"\\[0-9uUxN]", pattern):
        return None
    tokens = _FOLD_TOKEN.findall(pattern)
    out = []
    for i, token in enumerate(tokens):
        folded = token if len(token) > 1 else token.lower()
        if len(folded) != len(token):
            return None  # "İ".lower() is two characters
        if token == "-" and any(
            0 <= j < len(tokens) and len(tokens[j]) == 1 and tokens[j].lower() != tokens[j]
            for j in (i - 1, i + 1)
        ):
            return None
        out.append(folded)
    source = "".join(out)
    try:
        re.compile(source)
    except re.error:
        return None
    return source


def _piece_scan(
    families: dict[str, list[str]],
) -> tuple[re.Pattern[str], dict[str, frozenset[str]]]:
    """One scan for the pieces of several phrase families, and each piece's families.

    A lookahead tries every position, so overlapping pieces are all seen; at a position it
    reports the longest piece there, which lists the families of the pieces that are its
    prefixes too (they start at the same place)."""
    of: dict[str, set[str]] = {}
    for family, phrases in families.items():
        for phrase in phrases:
            if phrase.strip():
                of.setdefault(_piece(phrase), set()).add(family)
    pieces = sorted(of, key=lambda w: (-len(w), w))
    closed = {
        piece: frozenset().union(*(of[other] for other in pieces if piece.startswith(other)))
        for piece in pieces
    }
    scan = re.compile(rf"(?=({_branches([re.escape(w) for w in pieces])}))")
    return scan, closed


@lru_cache(maxsize=16)
def _families(p: _Patterns, text: str) -> frozenset[str] | None:
    """The families of `p.piece_scan` whose pieces occur in `text` (lower-cased, see _fold),
    or None when the text cannot be folded: a scan whose family is absent cannot match."""
    folded = _fold(text)
    if folded is None:
        return None
    found: set[str] = set()
    for m in p.piece_scan.finditer(folded):
        found |= p.piece_families[m.group(1)]
    return frozenset(found)


def _runs(phrase: str) -> list[str]:
    """The lower-cased \\w runs of a vocabulary phrase."""
    return _WORD_RUN.findall(phrase.lower())


def _last_day(year: int, month: int) -> dt.date:
    """Last calendar day of a month (month may run past 12 into the next year)."""
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def _month_span(year: int, first: int, last: int | None = None) -> Span:
    """Months first..last of a year (months past 12 spill into the next year)."""
    last = first if last is None else last
    start_year = year + (first - 1) // 12
    return dt.date(start_year, (first - 1) % 12 + 1, 1), _last_day(year, last)


def _year2(text: str) -> int:
    """'27', "'27" or '2027' → 2027 (two-digit years are 20YY)."""
    digits = text.strip().lstrip("'")
    value = int(digits)
    return 2000 + value if len(digits) == 2 else value


def _easter(year: int) -> dt.date:
    """Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - e - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def _first_tuesday_october(year: int) -> dt.date:
    first = dt.date(year, 10, 1)
    return first + dt.timedelta(days=(1 - first.weekday()) % 7)


def _week_of_month(year: int, month: int, nth: int) -> Span:
    """Monday to Sunday of the week holding the month's nth Thursday (-1: its last): ISO
    counts a week to the month its Thursday falls in, so "første uge i januar 2021" is week 1
    (4–10 January), not the week of New Year's Day (week 53 of 2020)."""
    first = dt.date(year, month, 1)
    thursday = first + dt.timedelta((3 - first.weekday()) % 7)
    if nth == -1:
        while (thursday + dt.timedelta(7)).month == month:
            thursday += dt.timedelta(7)
    else:
        thursday += dt.timedelta(7 * (nth - 1))
        if thursday.month != month:
            raise ValueError("no such week in the month")
    return thursday - dt.timedelta(3), thursday + dt.timedelta(3)


def _iso_week(year: int, week: int, day: int) -> dt.date:
    return dt.date.fromisocalendar(year, week, day)


_HOLIDAYS: dict[str, Builder] = {
    "summer_holiday": lambda y: (dt.date(y, 7, 1), _iso_week(y, 32, 7)),
    "christmas": lambda y: (dt.date(y, 12, 24), dt.date(y, 12, 26)),
    "autumn_holiday": lambda y: (_iso_week(y, 42, 1), _iso_week(y, 42, 7)),
    "winter_holiday": lambda y: (_iso_week(y, 7, 1), _iso_week(y, 7, 7)),
    "easter": lambda y: (_easter(y) - dt.timedelta(days=3), _easter(y) + dt.timedelta(days=1)),
    "easter_holiday": lambda y: (
        _easter(y) - dt.timedelta(days=6),
        _easter(y) + dt.timedelta(days=1),
    ),
    "school_start": lambda y: (_iso_week(y, 33, 1), _iso_week(y, 33, 1)),
    "new_year_eve": lambda y: (dt.date(y, 12, 31), dt.date(y, 12, 31)),
}
_BOUNDARY_RULES = {"new_year_eve"}
"""Holidays that name a moment at the end of a period: 'inden årsskiftet' is Dec 31."""


class _Scans(NamedTuple):
    """The look-around scans `_assign_roles` and `parse_time` run per expression or text."""

    recurring_before: re.Pattern[str]
    enumerator_before: re.Pattern[str]
    recurring_enumerated: re.Pattern[str]
    occurrence_before: re.Pattern[str]
    prefix: re.Pattern[str]
    open_end: re.Pattern[str]
    recurring: re.Pattern[str]
    vague: re.Pattern[str]


class _Patterns:
    """Every regex the parser needs, built from the vocabulary once."""

    def __init__(self, voc: dict[str, Any]) -> None:
        flags = re.IGNORECASE
        self.months = {_norm(k): v for k, v in voc["months"].items()}
        self.months.update({_norm(k).rstrip("."): v for k, v in voc["month_dotted_only"].items()})
        full = [m for m in voc["months"] if m not in voc["month_abbreviations_need_dot_or_year"]]
        abbr = voc["month_abbreviations_need_dot_or_year"]
        dotted = [w.rstrip(".") for w in voc["month_dotted_only"]]
        month = (
            rf"(?:{_LEFT}(?:{_alt(full)}(?![^\W\d_])|{_alt(abbr)}(?:\.|(?=\s*(?:\d|{DASH})))"
            rf"|{_alt(dotted)}\.(?=\s*(?:\d|{DASH}))))"
        )
        self.mod_of = {}
        for name, words in voc["modifiers"].items():
            for word in words:
                self.mod_of[_norm(word).rstrip(".")] = name
        mods = rf"{_LEFT}{_alt(w for ws in voc['modifiers'].values() for w in ws)}"
        mod_fill = _alt(voc["modifier_fillers"])
        self.ordinals = {_norm(k).rstrip("."): v for k, v in voc["ordinals"].items()}
        ords = _alt(k for k in voc["ordinals"] if not k[0].isdigit())
        qwords = _alt(voc["quarter_words"]) + r"(?![\w])"
        qletters = "[" + "".join(voc["quarter_letters"]) + "]"
        hwords = _alt(voc["half_words"]) + r"(?![\w])"
        half_of = _alt(voc["half_of_words"])
        hletters = "[" + "".join(voc["half_letters"]) + "]"
        self.season_of: dict[str, tuple[str, str | None]] = {}
        for season, spec in voc["seasons"].items():
            for form in spec["forms"]:
                self.season_of[_norm(form)] = (season, None)
        for form, (season, part) in voc["season_compounds"].items():
            self.season_of[_norm(form)] = (season, part)
        self.season_months = {k: tuple(v["months"]) for k, v in voc["seasons"].items()}
        self.part_of = {
            _norm(w).rstrip("."): part for part, ws in voc["season_parts"].items() for w in ws
        }
        season_forms = _alt(self.season_of)
        season_parts = _alt(w for ws in voc["season_parts"].values() for w in ws)
        self.holiday_of = {_norm(k): v["rule"] for k, v in voc["holidays"].items()}
        units = _alt(voc["non_year_units"])
        year_guard = rf"(?!\s*{units}(?![\w]))"
        y2 = rf"{_Y2}{year_guard}"
        self.relative = {_norm(k): v for k, v in voc["relative_years"].items()}
        self.relative_school = {_norm(k): v for k, v in voc["relative_school_years"].items()}
        self.relative_end = {_norm(k) for k in voc["relative_year_ends"]}
        self.relative_mod_years = {_norm(k): v for k, v in voc["relative_mod_years"].items()}
        self.relative_unit = {_norm(k): tuple(v) for k, v in voc["relative_units"].items()}
        self.not_dates = set(voc["not_dates"])
        self.paired_openers = {_norm(w) for w in voc["range_openers_paired_with_and"]}
        self.from_words = {_norm(w) for w in voc["from_words"]}
        self.after_end = {_norm(w).rstrip(".") for w in voc["start_after_end"]}
        self.school_edge = {_norm(k): v for k, v in voc["school_year_edges"].items()}
        week = _alt(voc["week_words"])
        school = _alt(voc["school_year_words"])
        parl = _alt(voc["parliament_year_words"])
        year_words = _alt(voc["year_words"])
        mod_pair = rf"(?:{mods}(?:\s*(?:/|{DASH})\s*{mods})?)"
        article = rf"(?:{_alt(voc['date_articles'])}\s*)"  # "den", "d."
        determiner = rf"(?:{_alt(voc['determiners'])}\s+)"  # "i det 2. kvartal"
        year_link = _alt(voc["year_links"])  # "1. kvartal i/af 2026"
        month_fill = _alt(voc["month_year_fillers"])  # "i november måned 2011"
        wom_week = _alt(voc["week_of_month"]["weeks"])  # "den første uge i januar 2021"
        wom_link = _alt(voc["week_of_month"]["links"])
        rel_not_before = _alt(voc["relative_year_not_followed_by"])  # "i år med kommunalvalg"
        not_counted = _alt(voc["day_month_not_followed_by"])  # "1/2 år" is half a year
        parts = [
            rf"(?P<iso>(?P<iso_y>{_Y4}){DASH}(?P<iso_m>\d{{1,2}}){DASH}(?P<iso_d>\d{{1,2}})(?!\d))",
            rf"(?P<dmy>(?<![\d.,/])(?P<dmy_d>\d{{1,2}})[./{DASH_CHARS}](?P<dmy_m>\d{{1,2}})"
            rf"(?:[./{DASH_CHARS}]\s*(?P<dmy_y>\d{{4}}|\d{{2}})|/?\s+(?P<dmy_y4>{_Y4}))"
            rf"(?!\d)(?![.,/]\d))",
            rf"(?P<tdate>(?<![\d.,])(?:(?P<td_d1>\d{{1,2}})\.?\s*{DASH}\s*)?(?P<td_d>\d{{1,2}})"
            rf"(?: ?\.)?\s*(?P<td_m>{month})"
            rf"(?:(?:\s*,(?=\s*{_Y4}))?\s*(?P<td_y>{_Y4}|{y2}(?!\s*{DASH}\s*\d)))?)",
            r"(?P<dm>(?<![\d.,/])(?P<dm_d>\d{1,2})/(?P<dm_m>\d{1,2})(?![\d/]|\.\d)"
            rf"(?!\s*{not_counted}\b))",
            rf"(?P<week>{_LEFT}{week}\s*(?P<w1>\d{{1,2}})(?!\d)(?:\s*(?:{DASH}|/|til|og|eller)\s*"
            rf"(?:{week}\s*)?(?P<w2>\d{{1,2}})(?!\d))?(?:\s*(?:,|/|{DASH})?\s*(?P<wy>{_Y4})"
            rf"|\s*[/']\s*(?P<wy2>\d{{2}})(?!\d))?)",
            rf"(?P<school>{_LEFT}{school}\s*(?:(?P<s_edge>{_alt(self.school_edge)})\s+)?"
            rf"(?P<sa>{_Y4}|\d{{2}})\s*(?:/|{DASH})\s*"
            rf"(?P<sb>\d{{4}}|\d{{2}})(?!\d))",
            rf"(?P<schooledge>{_LEFT}{school}\s+(?P<se>{_alt(self.school_edge)})(?![\w])"
            rf"(?!\s*(?:{_Y4}|\d{{2}}\s*(?:/|{DASH})))(?!\s+(?:{year_link})\s+{_Y4}))",
            rf"(?P<schoolrel>{_LEFT}{_alt(self.relative_school)}\b)",
            rf"(?P<relunit>{_LEFT}{_alt(self.relative_unit)}(?![\w]))",
            rf"(?P<dmdot>{article}(?P<dd_d>\d{{1,2}})\.(?P<dd_m>\d{{1,2}})(?!\d)\.?(?![\d.]\d))",
            rf"(?P<parl>{_LEFT}{parl}\s*(?P<pa>{_Y4}|\d{{2}})\s*(?:/|{DASH})\s*"
            rf"(?P<pb>\d{{4}}|\d{{2}})(?!\d))",
            rf"(?P<slash>(?P<ba>{_Y4})\s*/\s*(?P<bb>\d{{4}}|\d{{2}})(?![\d/]))",
            rf"(?P<quarter>(?:(?P<q_mod>{mod_pair})\s*(?:{DASH}\s*)?(?:{mod_fill}\s+)?{determiner}?)?"
            rf"(?:(?<![\d.,])(?P<q_n>[1-4])\.?\s*(?:(?:{DASH}|og)\s*(?P<q_n2>[1-4])\.?\s*)?{qwords}"
            rf"|{_LEFT}(?P<q_o>{ords})\s+{qwords}"
            rf"|{_LEFT}{qletters}(?P<q_l>[1-4])(?!\w)"
            rf"|(?P<q_yf>{_Y4})\s*[{DASH_CHARS}/]?\s*{qletters}(?P<q_lf>[1-4])(?!\w))"
            rf"(?:\s*(?:,|/|{DASH}|{year_link})?\s*(?P<q_y>{_Y4}|{y2}))?)",
            rf"(?P<half>(?:(?P<h_mod>{mod_pair})\s*(?:{DASH}\s*)?(?:{mod_fill}\s+)?{determiner}?)?"
            rf"(?:(?<![\d.,])(?P<h_n>[12])\.\s*{hwords}|{_LEFT}(?P<h_o>{ords})\s+{hwords}"
            rf"|{_LEFT}(?P<h_of>{ords})\s+{half_of}|{_LEFT}{hletters}(?P<h_l>[12])(?!\w))"
            rf"(?:\s*(?:,|/|{DASH}|{year_link})?\s*(?P<h_y>{_Y4}|{y2}))?)",
            rf"(?P<season>(?:(?P<s_part>{_LEFT}{season_parts})\s+)?(?P<s_form>{_LEFT}{season_forms})"
            rf"(?![\w])(?:\s*(?P<s_y>{_Y4}|{y2})(?:\s*(?:/|{DASH})\s*(?P<s_y2>\d{{4}}|\d{{2}})(?!\d))?)?)",
            rf"(?P<wom>{_LEFT}(?P<wom_o>{ords})\s+{wom_week}\s+{wom_link}\s+(?P<wom_m>{month})(?![\w])"
            rf"(?:\s*(?P<wom_y>{_Y4}))?)",
            rf"(?P<month>(?:(?P<m_mod>{mod_pair})\s*(?:{DASH}\s*)?(?:{mod_fill}\s+)?)?(?P<m_name>{month})"
            rf"(?:\s*(?:{month_fill}\s+(?={_Y4}))?(?P<m_y>{_Y4}|{y2}))?)",
            rf"(?P<year>(?:(?P<y_mod>{mod_pair})\s*(?:{DASH}\s*)?(?:{mod_fill}\s+)?(?:{year_words}\s+)?"
            rf"|(?:{_LEFT}{year_words}\s+)?(?<![^\W\d_]))(?P<y_a>{_Y4})(?:\s*{DASH}\s*(?P<y_b>{_Y4}|\d{{2}}(?!\d)(?![.,]\d)))?{year_guard}(?![{DASH_CHARS}/.]\d))",
            rf"(?P<year2>(?P<y2_mod>{mod_pair})\s*(?P<y2>{y2}))",
            rf"(?P<holiday>{_LEFT}(?P<hol>{_alt(self.holiday_of)})(?![\w])(?:\s*(?P<hol_y>{_Y4})"
            rf"(?:\s*/\s*\d{{2,4}}(?!\d))?)?)",
            rf"(?P<relend>{_LEFT}{_alt(self.relative_end)}(?![\w]))",
            rf"(?P<relmod>(?P<rm_mod>{mod_pair})\s*(?:{mod_fill}\s+)?"
            rf"(?P<rm_rel>{_alt(self.relative_mod_years)})(?![\w]))",
            rf"(?P<rel>{_LEFT}{_alt(self.relative)}(?![\w])(?!\s+(?:{rel_not_before})(?![\w])))",
        ]
        self.atom_source = "|".join(parts)
        # The same alternation without the branches that cannot start at the character at
        # hand: digit-led ones at a letter, word-led ones (whose words all begin with a
        # letter) at a digit. The branches keep their order and names, so the match is the
        # same; the engine just tries fewer branches at each candidate.
        mod_words = [w for ws in voc["modifiers"].values() for w in ws]
        word_led: dict[str, list[str]] = {
            "week": voc["week_words"],
            "school": voc["school_year_words"],
            "schooledge": voc["school_year_words"],
            "schoolrel": list(self.relative_school),
            "relunit": list(self.relative_unit),
            "parl": voc["parliament_year_words"],
            "season": [*(w for ws in voc["season_parts"].values() for w in ws), *self.season_of],
            "month": [*mod_words, *voc["months"], *abbr, *dotted],
            "year2": mod_words,
            "holiday": list(self.holiday_of),
            "relend": list(self.relative_end),
            "relmod": mod_words,
            "rel": list(self.relative),
        }
        digit_led = {"iso", "dmy", "tdate", "dm", "slash"}
        names = [part[4 : part.index(">")] for part in parts]  # "(?P<name>…"

        def letters_only(words: list[str]) -> bool:
            return all(w.strip()[0].isalpha() for w in words if w.strip())

        self.atom_at_letter_source = "|".join(
            part for name, part in zip(names, parts, strict=True) if name not in digit_led
        )
        self.atom_at_other_source = "|".join(
            part
            for name, part in zip(names, parts, strict=True)
            if not (name in word_led and letters_only(word_led[name]))
        )
        # The words that begin an atom at a letter: those above, and those that lead the
        # other branches (an article; a modifier, an ordinal word or "Q1"/"H2"; a year word).
        # Where none of them starts, the big alternation cannot match; it is slowest exactly
        # there ("i", "til", "den": every branch tries its modifiers again), so _find_atoms
        # asks this small regex first, on the lower-cased text (see _fold).
        ordinal_words = [k for k in voc["ordinals"] if not k[0].isdigit()]
        leading: dict[str, list[str]] = {
            "dmdot": voc["date_articles"],
            "quarter": [*mod_words, *ordinal_words],
            "half": [*mod_words, *ordinal_words],
            "wom": ordinal_words,
            "year": [*mod_words, *voc["year_words"]],
        }
        lead_words = {
            w.strip().lower() for ws in (*word_led.values(), *leading.values()) for w in ws
        }
        lead_letters = re.escape("".join(voc["quarter_letters"] + voc["half_letters"]).lower())
        self.atom_lead: re.Pattern[str] | None = re.compile(
            rf"[{lead_letters}]\d|{_alt(lead_words)}"
        )
        if set(names) - digit_led - set(word_led) - set(leading):
            self.atom_lead = None  # a branch nobody listed the leading words of: no shortcut
        letter_folded = _fold_pattern(self.atom_at_letter_source)
        other_folded = _fold_pattern(self.atom_at_other_source)
        self.atom_folded: tuple[re.Pattern[str], re.Pattern[str]] | None = None
        """(at a letter, elsewhere) for the lower-cased text (see _fold): the same matches
        as `atom_at_letter` / `atom_at_other` on the text, a quarter faster (the engine
        rules out most alternatives by their first letter, which re.IGNORECASE prevents)."""
        if letter_folded is not None and other_folded is not None:
            self.atom_folded = (re.compile(letter_folded), re.compile(other_folded))
        starters: set[str] = {"den", "d."}
        for phrases in (
            self.months,
            self.mod_of,
            self.part_of,
            self.season_of,
            self.holiday_of,
            self.relative,
            self.relative_end,
            self.relative_unit,
            self.relative_school,
            self.ordinals,
            voc["week_words"],
            voc["school_year_words"],
            voc["parliament_year_words"],
            voc["year_words"],
            voc["month_dotted_only"],
        ):
            starters.update(phrase.split()[0] for phrase in phrases if phrase.strip())
        letters = "".join(voc["quarter_letters"] + voc["half_letters"])
        self.word_start = re.compile(
            rf"(?<!\w)(?:\d|[{letters}]\d|{_alt(starters)}(?![^\W\d_]))", flags
        )
        """Where an expression can start: a number or a word that begins one (so "primo2015"
        and "uge45" count). Trying the big alternation only there is many times faster than
        trying it at every character or every word."""
        self.word_start_folded = re.compile(
            rf"(?<!\w)(?:\d|[{letters.lower()}]\d|{_alt(w.lower() for w in starters)}"
            r"(?![^\W\d_]))"
        )
        """`word_start` for the lower-cased text (see _fold): the same matches, found faster
        without re.IGNORECASE (the engine rules out most words by their first letter)."""

        label_words = _alt(voc["labels"])
        labelled_word = rf"[\w]*{label_words}"
        if all(re.fullmatch(r"\w+", w) for w in voc["labels"]):
            # The same words, found faster: take the whole word at once, then look back for a
            # label at its end (a label must end the word, as whitespace follows it).
            by_last: dict[str, list[str]] = {}
            for w in sorted(set(voc["labels"])):
                by_last.setdefault(w[-1], []).append(f"(?<={re.escape(w)})")
            ends = "|".join(f"(?<={re.escape(c)})(?:{'|'.join(ws)})" for c, ws in by_last.items())
            labelled_word = rf"\w*+(?:{ends})"
        not_time = rf"(?!{_alt(voc['months'])}\b|{season_forms}\b)"
        links = _alt(voc["label_title_links"])  # "handleplan for Røgfri Fremtid 2020-2021"
        place_links = _alt(voc["label_title_place_links"])
        # "Redegørelse om ældreområdet 2020", "handleplan for digitaliseringsprojekter 2009/2010":
        # after a link word, one lower-case word that cannot itself lead to a date
        leading = {
            phrase.split()[0]
            for key in (
                "deadline_end", "deadline_before", "open_start_due", "start_only",
                "prefix_fillers", "year_words", "weekdays", "recurring", "vague",
            )
            for phrase in voc[key]
            if phrase.strip()
        }  # fmt: skip
        leading.update(w.split()[0] for ws in voc["modifiers"].values() for w in ws if w.strip())
        not_lead = rf"(?!(?:{_alt(leading)}|{_alt(voc['months'])}|{season_forms})(?![\w-]))"
        titled = (
            rf"(?:{links}\s+)?(?:{not_time}(?-i:[A-ZÆØÅ])[\w-]*\s+){{1,3}}"
            rf"|{links}\s+{not_lead}(?-i:[a-zæøå])[\w-]*\s+"
            # … and the place it is for: "Strategiplaner for skoleområdet i Vordingborg Kommune"
            rf"(?:{place_links}\s+(?:{not_time}(?-i:[A-ZÆØÅ])[^\W\d_]*\s+){{1,3}})?"
        )
        # "Bekendtgørelse nr. 1542 af 19. december 2019", "lov nr. 12 af 1/7-2020": the date
        # names a numbered document, it is not a time the text commits to.
        numbered = voc["document_number"]
        issued = (
            rf"{_LEFT}(?:{_alt(numbered['number'])}\s*\d+[\w/-]*|{_alt(numbered['dated_documents'])})"
            rf"\s+{_alt(numbered['of'])}\s+"
            rf"(?:{_alt(voc['date_articles'])}\s*)?"
            rf"(?:\d{{1,2}}\.?\s*[^\W\d]+\.?\s*{_Y4}|\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}(?!\d)|{_Y4})"
        )
        self.label = re.compile(
            rf"{_LEFT}{labelled_word}\s+(?:{titled})?{_Y4}(?:\s*(?:{DASH}|/)\s*(?:{_Y4}|\d{{2}}(?!\d)))?"
            rf"|{_Y4}(?:{DASH}|/)(?=[^\W\d])",  # "2030-målene"; "2019/S 247-611110" (a number)
            flags,
        )
        self.issued = re.compile(issued, flags)
        # '"Bekendtgørelse om kvalitetsstandarder …" af 9. oktober 2002': a quoted title
        # followed by "af" and a date names a document, like "Notat af X".
        self.quote_closers = tuple(voc["quoted_title_closers"])
        self.quoted_issued = re.compile(
            rf"(?<=[{re.escape(''.join(self.quote_closers))}])\s*{_alt(numbered['of'])}\s+"
            rf"(?:{_alt(voc['date_articles'])}\s*)?"
            rf"(?:\d{{1,2}}\.?\s*[^\W\d]+\.?\s*{_Y4}|\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}(?!\d)|{_Y4})",
            flags,
        )
        # A year that a bracket only cites: a source "(Klagenævnet for Udbud 2015)" (a name
        # and a year, no time word), or a price level after an amount ("1,063 mio. kr. (2025)").
        cite_excluded = {w.lower() for w in (*starters, *leading)} | {
            w.lower() for w in (*voc["quarter_words"], *voc["half_words"])
        }
        not_time_word = rf"(?!(?:{_alt(cite_excluded)})(?![\w-]))"
        rest = r"[^\W\d_]*(?:[-.][^\W\d_]+)*\.?"  # letters only: no "Q1", no "uge 34"
        self.cited = re.compile(
            rf"\(\s*{not_time_word}(?-i:[A-ZÆØÅ]){rest}"
            rf"(?:,?\s+{not_time_word}[^\W\d_]{rest}){{0,4}},?\s+{_Y4}\s*\)"
            rf"|(?<![\w]){units}\s*\(\s*{_Y4}\s*\)",
            flags,
        )
        # "fordelt med 8,6 mio. kr. til 2026": money moved to a budget year, not a deadline.
        money = voc["money_to_budget_year"]
        self.money_year = re.compile(
            rf"(?<![\w]){_alt(money['units'])}\s+{_alt(money['links'])}\s+{_Y4}", flags
        )
        self.number_word = re.compile(
            rf"{_LEFT}{_alt(numbered['number'] + numbered['dated_documents'])}", flags
        )
        self.roles: dict[str, str] = {}
        role_words: list[str] = []
        for role, key in (
            ("deadline_end", "deadline_end"),
            ("deadline_before", "deadline_before"),
            ("open", "open_start_due"),
            ("start_only", "start_only"),
            ("classify", "classifying"),
            ("old", "old_markers"),
        ):
            for word in voc[key]:
                self.roles[_norm(word).rstrip(":").rstrip(".")] = role
                role_words.append(word)
        fillers = _alt(voc["prefix_fillers"])
        self.prefix = re.compile(
            rf"(?<![\w.])(?P<p>{_alt(role_words)})\s*:?\s*(?:{fillers}\s+)*(?:{fillers}\s*)?$",
            flags,
        )
        self.moved = re.compile(rf"{_LEFT}{_alt(voc['moved_verbs'])}(?![\w])", flags)
        # "Ældrerådsvalg 2021 - udsættes til mødet i februar": the date before the verb is the
        # one being moved, so the new date after it governs.
        self.moved_to_gap = re.compile(
            rf"^[^.;!?\n]{{0,50}}?{_LEFT}{_alt(voc['moved_verbs'])}\s+{_alt(voc['moved_to'])}\s+"
            rf"(?:[^\W\d]+\s+){{0,3}}$",
            flags,
        )
        vp_units = voc["vague_patterns_words"]["units"]
        seps = _alt(voc["range_separators"])
        weekday = _alt(voc["weekdays"])
        self.range_gap = re.compile(rf"^\s*{seps}\s*(?:{weekday}\s*)?{article}?$", flags)
        self.range_and = re.compile(rf"^\s*{_alt(voc['range_and'])}\s*$", flags)
        openers = _alt(voc["range_openers"])
        self.opener = re.compile(rf"(?<![\w])(?P<o>{openers})\s*{article}?$", flags)
        self.open_end = re.compile(rf"\s*,?\s*{_alt(voc['open_end_suffixes'])}(?![\w])", flags)
        every = _alt(voc["recurring_every"])
        rec = (
            rf"(?:{_alt(voc['recurring'])}|{every}\s+(?:\d+\.?|{_alt(voc['ordinal_words'])})\s+"
            rf"{_alt(vp_units)})"
        )
        self.recurring = re.compile(rf"{_LEFT}{rec}(?![\w])", flags)
        bounds = _alt(voc["recurring_bounds"])
        starts = _alt(voc["recurring_from"])
        rec_fill = _alt(voc["recurring_fillers"])
        # "3 gange årligt en budgetopfølgning hhv. 31. marts, 30. juni og 30. september": an
        # enumerating word a few words after the recurring one lists its (yearless) occurrences.
        enumerate_ = _alt(voc["recurring_enumerators"])
        self.recurring_before = re.compile(
            rf"{_LEFT}{rec}\s*[,:]?\s*\(?\s*(?:{rec_fill}\s*)*(?:(?:{bounds}|{starts})\s+)?$", flags
        )
        self.enumerator_before = re.compile(rf"{_LEFT}{enumerate_}\s*:?\s*$", flags)
        self.recurring_enumerated = re.compile(
            rf"{_LEFT}{rec}\s+(?:[^\W\d]+\s+){{1,4}}{enumerate_}\s*:?\s*$", flags
        )
        self.recurring_from = re.compile(rf"{_LEFT}{starts}\s*$", flags)
        self.coordination = re.compile(rf"^\s*(?:,|{_alt(voc['coordinators'])})\s*$", flags)
        cond = voc["vague_conditions"]
        vague_condition = (
            rf"{_alt(cond['openers'])}\s+[^.;:!?\n]{{0,80}}?{_alt(cond['closers'])}(?![\w])"
        )
        self.occurrence_before = re.compile(
            rf"{_LEFT}{_alt(voc['occurrence_markers'])}\s*:?\s*(?:{fillers}\s+)?$", flags
        )
        vp = voc["vague_patterns_words"]
        self.vague = re.compile(
            rf"{_LEFT}(?:{vague_condition}|{_alt(voc['vague'])}|{_alt(vp['within'])}\s+"
            rf"(?:{_alt(vp['count_words'])}\s+|{_alt(vp['next_words'])}\s+)?"
            rf"(?:\d+|{_alt(vp['count_words'])})(?:\s*{DASH}\s*\d+)?\s+{_alt(vp['units'])})(?![\w])",
            flags,
        )
        self.narrowing_gap = re.compile(r"\s*[,:]\s*(?:i\s+)?$")
        # A calendar line "21. juni: Sidste skoledag – sommerferie": the day before the colon
        # says when; a yearless holiday named after it is what happens then.
        self.line_start = re.compile(r"(?:^|\n)[^\w\n]{0,3}$")
        self.calendar_gap = re.compile(r"\s*:[^.;:!?()\n]*$")
        day_words = _alt(voc["weekdays"] + voc["date_articles"])
        self.narrowing_colon = re.compile(rf"\s*\)?\s*:\s*(?:(?:{day_words})\s*)*$", flags)
        self.paren_open = re.compile(r"^\s*\(\s*(?:[\w.]+\s+){0,2}$")
        self.paren_close = re.compile(r"[^()]{0,60}\)")

        # Cheap guards (see _fold): what a match of each scan must contain.
        self.atom_words: frozenset[str] | None = frozenset(
            _runs(w)[0] for w in starters if _runs(w)
        )
        """First words of atoms, which a text without a digit (or '_') must hold as a whole
        word: a starter's first run ends the word unless a digit or '_' follows it."""
        if not all(_WORD_RUN.match(w) for w in starters):
            self.atom_words = None
        self.piece_scan, self.piece_families = _piece_scan(
            {
                "recurring": [*voc["recurring"], *voc["recurring_every"]],  # `rec`
                "vague": [*voc["vague"], *cond["openers"]],
                "vague_within": vp["within"],  # "inden for 3 måneder" needs both
                "vague_unit": vp["units"],
                "role": role_words,  # `prefix`
                "number": [*numbered["number"], *numbered["dated_documents"]],
            }
        )
        """Which of these scans can match a text: see `_families`."""
        labels = sorted({w.strip().lower() for w in voc["labels"] if w.strip()})
        self.label_end: re.Pattern[str] | None = re.compile(
            rf"(?:{_branches([re.escape(w) for w in labels])})(?!\w)"
        )
        """On the lower-cased text: a word ending in a label word."""
        if not all(re.fullmatch(r"\w+", w) for w in labels):
            self.label_end = None
        self.year_dash = re.compile(rf"(?:19[89]\d|20\d\d)(?:{DASH}|/)")
        """The second label form ("2026-planen") needs a year with a dash right after it."""

        self.written = _Scans(*(getattr(self, name) for name in _Scans._fields))
        """The scans run on every expression or text, as written (for `text`)."""
        folded = []
        for regex in self.written:
            source = _fold_pattern(regex.pattern) if regex.flags & re.IGNORECASE else None
            folded.append(None if source is None else re.compile(source))
        self.folded: _Scans | None = None
        """The same scans folded (see _fold_pattern), for the lower-cased text."""
        if all(regex is not None for regex in folded):
            self.folded = _Scans(*folded)

    def scans(self, text: str) -> tuple[_Scans, str]:
        """The scans and the string to run them on: folded on the lower-cased text when the
        text allows it (the same match spans, found faster), else as written on `text`. Take
        matched words from `text` by span, never from the match."""
        folded = _fold(text)
        if folded is None or self.folded is None:
            return self.written, text
        return self.folded, folded

    # The alternations as written, compiled when first needed: a text that `_fold` refuses
    # (or a vocabulary `_fold_pattern` refuses) is read with them; others with atom_folded.
    @cached_property
    def atom(self) -> re.Pattern[str]:
        return re.compile(self.atom_source, re.IGNORECASE)

    @cached_property
    def atom_at_letter(self) -> re.Pattern[str]:
        return re.compile(self.atom_at_letter_source, re.IGNORECASE)

    @cached_property
    def atom_at_other(self) -> re.Pattern[str]:
        return re.compile(self.atom_at_other_source, re.IGNORECASE)


@cache
def _patterns() -> _Patterns:
    return _Patterns(vocabulary())


@dataclass(slots=True)
class _Atom:
    """One expression before roles are applied: fixed dates or a builder for any year."""

    s: int
    e: int
    kind: str
    build: Builder | None
    year: int | None
    """The year the text names (None: yearless, resolved later)."""
    boundary: bool = False
    relative: int | None = None
    """Years after the reference year ('næste år' = 1); needs a reference."""
    relative_school: int | None = None
    relative_unit: tuple[str, int] | None = None
    """('month', 1) for 'næste måned': a period counted from the reference date."""
    role: str = "plain"
    prefix_start: int | None = None
    after_end: bool = False
    """A start-only word that starts after X ends ("efter X"), not with X ("tidligst X")."""
    span: Span | None = None
    label: bool = False

    def at(self, year: int) -> Span:
        assert self.build is not None
        return self.build(year)

    def try_at(self, year: int) -> Span | None:
        """The span in `year`, or None when it does not exist (uge 53, 29. februar)."""
        if self.build is None:
            return None
        try:
            return self.build(year)
        except ValueError:
            return None


def _ordinal(p: _Patterns, word: str | None, count: int) -> int:
    value = p.ordinals.get(_norm(word or "").rstrip("."), 0)
    return count if value == -1 else value


def _mods(p: _Patterns, text: str | None) -> tuple[str, str] | None:
    """('primo', 'ultimo') for 'primo/ultimo'; None without modifiers."""
    if not text:
        return None
    parts = [_norm(t).rstrip(".") for t in re.split(rf"/|{DASH}", text)]
    names = [p.mod_of.get(part) for part in parts]
    names = [n for n in names if n]
    if not names:
        return None
    return names[0], names[-1]


_THIRD = {"primo": 0, "medio": 1, "ultimo": 2}


def _modify_months(mods: tuple[str, str] | None, first: int, count: int) -> tuple[int, int]:
    """Months (first, last) of a span of `count` months narrowed by primo/medio/ultimo."""
    if mods is None:
        return first, first + count - 1
    if count == 12:
        table = {"primo": (1, 3), "medio": (5, 8), "ultimo": (10, 12)}
        return first + table[mods[0]][0] - 1, first + table[mods[1]][1] - 1
    step = count // 3
    return first + _THIRD[mods[0]] * step, first + _THIRD[mods[1]] * step + step - 1


def _month_days(year: int, month: int, mods: tuple[str, str] | None) -> Span:
    """A month, or its days 1–10 / 11–20 / 21–last under primo/medio/ultimo."""
    start, end = _month_span(year, month)
    if mods is None:
        return start, end
    starts = {"primo": 1, "medio": 11, "ultimo": 21}
    ends = {"primo": dt.date(year, month, 10), "medio": dt.date(year, month, 20), "ultimo": end}
    return dt.date(year, month, starts[mods[0]]), ends[mods[1]]


def _atom_from_match(p: _Patterns, m: re.Match[str]) -> _Atom | None:
    """Turn one regex match into an atom; None when the numbers are not a real date."""
    atom = _build_atom(p, m)
    if atom is not None and atom.year is not None and atom.try_at(atom.year) is None:
        return None  # "uge 53 2025", "31. april 2026"
    return atom


def _build_atom(p: _Patterns, m: re.Match[str]) -> _Atom | None:
    """Build the atom for the named group that matched (may raise ValueError)."""
    g = m  # groups by name; a group that did not take part is None (no dict per match)
    s, e = m.span()
    kind = m.lastgroup or ""
    try:
        if kind == "iso":
            day = dt.date(int(g["iso_y"]), int(g["iso_m"]), int(g["iso_d"]))
            return _Atom(s, e, "date", lambda y: (day, day), day.year)
        if kind == "dmy":
            year = _year2(g["dmy_y"] or g["dmy_y4"])
            day = dt.date(year, int(g["dmy_m"]), int(g["dmy_d"]))
            return _Atom(s, e, "date", lambda y: (day, day), year)
        if kind == "tdate":
            month = p.months[_norm(g["td_m"]).rstrip(".")]
            d2 = int(g["td_d"])
            d1 = int(g["td_d1"]) if g["td_d1"] else d2

            def build(y: int) -> Span:
                return dt.date(y, month, d1), dt.date(y, month, d2)

            year = _year2(g["td_y"]) if g["td_y"] else None
            build(year or 2000)
            return _Atom(s, e, "range" if d1 != d2 else "date", build, year)
        if kind == "dm":
            d, mo = int(g["dm_d"]), int(g["dm_m"])
            if _norm(m.group(0)) in p.not_dates:
                return None
            if mo > 12 and mo == d + 1 and len(g["dm_d"]) == len(g["dm_m"]) == 2:
                y1 = 2000 + d  # "26/27" cannot be a day and month: the school year 2026/27
                span = (dt.date(y1, 8, 1), dt.date(y1 + 1, 6, 30))
                return _Atom(s, e, "period", lambda y: span, y1)
            dt.date(2000, mo, d)
            return _Atom(s, e, "date", lambda y: (dt.date(y, mo, d), dt.date(y, mo, d)), None)
        if kind == "week":
            w1 = int(g["w1"])
            w2 = int(g["w2"]) if g["w2"] else w1
            if not (1 <= w1 <= 53 and w1 <= w2 <= 53):
                return None
            year = int(g["wy"]) if g["wy"] else (_year2(g["wy2"]) if g["wy2"] else None)
            return _Atom(s, e, "week", lambda y: (_iso_week(y, w1, 1), _iso_week(y, w2, 7)), year)
        if kind in ("school", "parl", "slash"):
            a, b = {"school": ("sa", "sb"), "parl": ("pa", "pb"), "slash": ("ba", "bb")}[kind]
            y1, y2 = _year2(g[a]), _year2(g[b])
            if y2 < 100:
                y2 += y1 // 100 * 100
            if kind == "slash" and y2 != y1 + 1:
                span = (dt.date(min(y1, y2), 1, 1), dt.date(max(y1, y2), 12, 31))
                return _Atom(s, e, "range", lambda y: span, y1)
            if y2 != y1 + 1:
                return None
            if kind == "parl":
                span = (_first_tuesday_october(y1), _first_tuesday_october(y2) - dt.timedelta(1))
            else:
                span = (dt.date(y1, 8, 1), dt.date(y2, 6, 30))
            edge = p.school_edge.get(_norm(g["s_edge"] or "")) if kind == "school" else None
            if edge is not None:
                day = span[0] if edge == "start" else span[1]
                return _Atom(s, e, "date", lambda y: (day, day), y1)
            return _Atom(s, e, "period", lambda y: span, y1)
        if kind == "dmdot":
            d, mo = int(g["dd_d"]), int(g["dd_m"])
            dt.date(2000, mo, d)
            return _Atom(s, e, "date", lambda y: (dt.date(y, mo, d), dt.date(y, mo, d)), None)
        if kind == "relunit":
            unit, offset = p.relative_unit[_norm(m.group(0))]
            return _Atom(s, e, unit, None, None, relative_unit=(unit, offset))
        if kind == "schooledge":
            # "ved skoleårets afslutning": a yearless day (Jun 30 / Aug 1) the reference dates
            at_end = p.school_edge[_norm(g["se"])] == "end"
            month, day = (6, 30) if at_end else (8, 1)
            return _Atom(s, e, "date", lambda y: (dt.date(y, month, day),) * 2, None)
        if kind == "schoolrel":
            offset = p.relative_school[_norm(m.group(0))]
            return _Atom(
                s,
                e,
                "period",
                lambda y: (dt.date(y, 8, 1), dt.date(y + 1, 6, 30)),
                None,
                relative_school=offset,
            )
        if kind == "quarter":
            mods = _mods(p, g["q_mod"])
            if g["q_l"]:
                q1 = int(g["q_l"])
            elif g["q_lf"]:
                q1 = int(g["q_lf"])
            elif g["q_n"]:
                q1 = int(g["q_n"])
            else:
                q1 = _ordinal(p, g["q_o"], 4)
            q2 = int(g["q_n2"]) if g["q_n2"] else q1
            if not (1 <= q1 <= q2 <= 4):
                return None
            year = _year2(g["q_yf"] or g["q_y"]) if (g["q_yf"] or g["q_y"]) else None
            first, last = (q1 - 1) * 3 + 1, q2 * 3
            if mods and q1 == q2:
                first, last = _modify_months(mods, first, 3)
            kind_ = "period" if mods else ("range" if q2 != q1 else "quarter")
            return _Atom(s, e, kind_, lambda y: _month_span(y, first, last), year)
        if kind == "half":
            mods = _mods(p, g["h_mod"])
            if g["h_l"]:
                h = int(g["h_l"])
            elif g["h_n"]:
                h = int(g["h_n"])
            else:
                h = _ordinal(p, g["h_o"] or g["h_of"], 2)
            if h not in (1, 2):
                return None
            first, last = _modify_months(mods, (h - 1) * 6 + 1, 6)
            year = _year2(g["h_y"]) if g["h_y"] else None
            kind_ = "period" if mods else "half"
            return _Atom(s, e, kind_, lambda y: _month_span(y, first, last), year)
        if kind == "season":
            season, part = p.season_of[_norm(g["s_form"])]
            if g["s_part"]:
                part = p.part_of.get(_norm(g["s_part"]).rstrip("."), part)
            first, last = p.season_months[season]
            if part == "first":
                last = first
            elif part == "middle":
                first = last = first + 1
            elif part == "last":
                first = last
            year = _year2(g["s_y"]) if g["s_y"] else None
            if year is not None and g["s_y2"]:
                y2 = _year2(g["s_y2"])
                if y2 < 100:
                    y2 += year // 100 * 100
                if season == "winter" and y2 != year + 1:
                    return None
                if season != "winter":  # "sommeren 2026-2027": from one summer to the next
                    if y2 <= year:
                        return None
                    span = (_month_span(year, first, last)[0], _month_span(y2, first, last)[1])
                    return _Atom(s, e, "range", lambda y: span, year)
            return _Atom(s, e, "season", lambda y: _month_span(y, first, last), year)
        if kind == "wom":
            month = p.months[_norm(g["wom_m"]).rstrip(".")]
            nth = p.ordinals.get(_norm(g["wom_o"]).rstrip("."), 0)
            if nth == 0:
                return None
            year = int(g["wom_y"]) if g["wom_y"] else None
            return _Atom(s, e, "week", lambda y: _week_of_month(y, month, nth), year)
        if kind == "month":
            month = p.months[_norm(g["m_name"]).rstrip(".")]
            mods = _mods(p, g["m_mod"])
            year = _year2(g["m_y"]) if g["m_y"] else None
            kind_ = "period" if mods else "month"
            return _Atom(s, e, kind_, lambda y: _month_days(y, month, mods), year)
        if kind in ("year", "year2"):
            mods = _mods(p, g["y_mod"] if kind == "year" else g["y2_mod"])
            y1 = _year2(g["y_a"] if kind == "year" else g["y2"])
            if kind == "year" and g["y_b"]:
                y2 = _year2(g["y_b"])
                if y2 < 100:
                    y2 += y1 // 100 * 100
                if y2 <= y1:
                    return None
                span = (dt.date(y1, 1, 1), dt.date(y2, 12, 31))
                return _Atom(s, e, "range", lambda y: span, y1)
            first, last = _modify_months(mods, 1, 12)
            span = _month_span(y1, first, last)
            return _Atom(s, e, "period" if mods else "year", lambda y: span, y1)
        if kind == "holiday":
            rule = p.holiday_of[_norm(g["hol"])]
            year = int(g["hol_y"]) if g["hol_y"] else None
            return _Atom(s, e, "period", _HOLIDAYS[rule], year, boundary=rule in _BOUNDARY_RULES)
        if kind == "relend":
            return _Atom(
                s,
                e,
                "deadline",
                lambda y: (dt.date(y, 12, 31), dt.date(y, 12, 31)),
                None,
                boundary=True,
                relative=0,
            )
        if kind == "relmod":
            mods = _mods(p, g["rm_mod"])
            first, last = _modify_months(mods, 1, 12)
            offset = p.relative_mod_years[_norm(g["rm_rel"])]
            return _Atom(
                s, e, "period", lambda y: _month_span(y, first, last), None, relative=offset
            )
        if kind == "rel":
            offset = p.relative[_norm(m.group(0))]
            return _Atom(
                s,
                e,
                "year",
                lambda y: (dt.date(y, 1, 1), dt.date(y, 12, 31)),
                None,
                relative=offset,
            )
    except (ValueError, KeyError):
        return None
    return None


@dataclass(slots=True)
class TimeParse:
    """What a text says about time: the bullet-level due date, its kind and every period."""

    due: dt.date | None
    kind: str | None
    periods: list[Period] = field(default_factory=list)
    undatable: list[str] = field(default_factory=list)
    """Time-like phrases that could not be dated (vague, recurring, or yearless)."""

    @property
    def dates(self) -> list[dict[str, dt.date | None]]:
        """Every committed {start, end} (CONVENTIONS.md: `dates`)."""
        return [{"start": q.start, "end": q.end} for q in self.periods if q.commits]


def _find_atoms(p: _Patterns, text: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    if p.atom_words is not None and "_" not in text and _DIGIT.search(text) is None:
        words = _text_words(text)
        if words is not None and words.isdisjoint(p.atom_words):
            return atoms  # no digit and no word that starts an expression
    folded = _fold(text)
    if folded is None or p.atom_folded is None:  # the regexes as written, on the text
        starts = p.word_start.finditer(text)
        lead, at_letter, at_other, subject = None, p.atom_at_letter, p.atom_at_other, text
    else:  # the same matches, found on the lower-cased text
        starts = p.word_start_folded.finditer(folded)
        lead, (at_letter, at_other), subject = p.atom_lead, p.atom_folded, folded
    end = 0
    for word in starts:
        if word.start() < end:
            continue
        start = word.start()
        if text[start].isalpha():
            if lead is not None and lead.match(subject, start) is None:
                continue  # no word that begins an atom starts here
            rx = at_letter
        else:
            rx = at_other
        m = rx.match(subject, start)
        if m is None:
            continue
        atom = _atom_from_match(p, m)
        if atom is not None:
            atoms.append(atom)
            end = m.end()
    if not atoms:
        return atoms
    labels = _labels(p, text, folded)
    families = _families(p, text)
    if (families is None or "number" in families) and p.number_word.search(text):
        labels += p.issued.finditer(text)
    if "(" in text:
        labels += p.cited.finditer(text)
    if any(closer in text for closer in p.quote_closers):
        labels += p.quoted_issued.finditer(text)
    if "kr" in text or "mi" in text:
        labels += p.money_year.finditer(text)
    for m in labels:  # labels only mark atoms
        for atom in atoms:
            if atom.s >= m.start() and atom.e <= m.end() + 1:
                atom.label = True
    return atoms


def _labels(p: _Patterns, text: str, folded: str | None) -> list[re.Match[str]]:
    """`p.label.finditer(text)`, trying the regex only where a label can start.

    A label starts at a word that ends in a label word ("Budget 2027", "handleplanen for X
    2026") or at a year with a dash ("2026-planen"), and needs a year. Trying the candidates
    in order, each from the end of the last match, gives the matches finditer gives.
    """
    if folded is None or p.label_end is None:
        return list(p.label.finditer(text))
    if "19" not in text and "20" not in text:
        return []
    starts = {m.start() for m in p.year_dash.finditer(text)}
    for m in p.label_end.finditer(folded):
        start = m.start()
        while start > 0 and _is_word_char(folded[start - 1]):
            start -= 1  # back to the start of the word that ends in the label word
        starts.add(start)
    found: list[re.Match[str]] = []
    end = 0
    for start in sorted(starts):
        if start < end:
            continue
        m = p.label.match(text, start)
        if m is not None:
            found.append(m)
            end = m.end()
    return found


def _is_word_char(char: str) -> bool:
    """What the regex `\\w` matches (str patterns): a letter, digit or number, or '_'."""
    return char.isalnum() or char == "_"


def _extra_scans(p: _Patterns, text: str) -> list[str]:
    """Which of the scans 'recurring' and 'vague' can match `text` (both without a guard);
    each name is also the kind of the periods it finds."""
    families = _families(p, text)
    if families is None:
        return ["recurring", "vague"]
    scans = []
    if "recurring" in families:
        scans.append("recurring")
    if "vague" in families or {"vague_within", "vague_unit"} <= families:
        scans.append("vague")
    return scans


def _share_year(first: _Atom, second: _Atom) -> None:
    """Give a yearless part of a range the year of the other part ("august-september 2014")."""
    with contextlib.suppress(ValueError):  # a part missing in that year stays yearless
        _share_year_or_fail(first, second)


def _share_year_or_fail(first: _Atom, second: _Atom) -> None:
    if first.year is None and second.year is not None and first.build is not None:
        year = second.year
        if second.kind == "range" and second.span is None:
            year = second.at(second.year)[1].year
        if first.at(year)[0] > second.at(second.year)[0]:
            year -= 1
        first.year = year
    elif second.year is None and first.year is not None and second.build is not None:
        year = first.at(first.year)[0].year
        if second.at(year)[1] < first.at(first.year)[0]:
            year += 1
        second.year = year


def _join_ranges(p: _Patterns, text: str, atoms: list[_Atom]) -> list[_Atom]:
    """Merge 'X-Y', 'X til Y', 'fra X til Y', 'mellem X og Y' into one range atom."""
    out: list[_Atom] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        if i + 1 < len(atoms) and not a.label and a.relative is None:
            b = atoms[i + 1]
            gap = text[a.e : b.s]
            opener = p.opener.search(text, max(0, a.s - 30), a.s)
            opener_word = _norm(opener.group("o")) if opener else ""
            joined = bool(p.range_gap.match(gap)) or (
                opener_word in p.paired_openers and bool(p.range_and.match(gap))
            )
            if joined and b.relative is None and not b.label and a.build and b.build:
                _share_year(a, b)
                moved = opener is not None and p.moved.search(text, max(0, a.s - 60), a.s)
                if moved and opener_word in p.from_words:
                    a.role = "old"
                    a.prefix_start = opener.start()
                    out.extend([a, b])
                    i += 2
                    continue
                merged = _merge(a, b)
                if opener is not None:
                    merged.prefix_start = opener.start()
                out.append(merged)
                i += 2
                continue
            if p.coordination.match(gap) and a.kind == b.kind and a.year is None:
                _share_year(a, b)  # "i juni og december 2025"
        out.append(a)
        i += 1
    return out


def _merge(a: _Atom, b: _Atom) -> _Atom:
    """A range from the start of `a` to the end of `b` (yearless when both are)."""
    kind = "week" if a.kind == b.kind == "week" else "range"
    first, last = a.try_at(a.year or 0), b.try_at(b.year or 0)
    if a.year is not None and b.year is not None and first and last:
        span = (first[0], last[1])
        return _Atom(a.s, b.e, kind, lambda y: span, a.year, span=span)
    build_a, build_b = a.build, b.build
    assert build_a is not None and build_b is not None

    def build(y: int) -> Span:
        end_b = build_b(y)
        start_a = build_a(y)[0]
        if start_a > end_b[0]:
            start_a = build_a(y - 1)[0]
        return start_a, end_b[1]

    return _Atom(a.s, b.e, kind, build, None)


def _assign_roles(p: _Patterns, text: str, atoms: list[_Atom]) -> None:
    """Read the words before (and just after) each expression."""
    if not atoms:
        return
    rx, subject = p.scans(text)
    families = _families(p, text)  # without their words these searches cannot match
    may_recur = families is None or "recurring" in families
    may_role = families is None or "role" in families
    for a in atoms:
        if a.label:
            a.role = "label"
            continue
        if a.role != "plain":
            continue
        lo = a.prefix_start if a.prefix_start is not None else a.s
        window_start = max(0, lo - 60)
        rec = rx.recurring_before.search(subject, window_start, lo) if may_recur else None
        if may_recur and rec is None and rx.enumerator_before.search(subject, max(0, lo - 16), lo):
            rec = rx.recurring_enumerated.search(subject, window_start, lo)
        if rec and not rx.occurrence_before.search(subject, window_start, lo):
            said = text[rec.start() : rec.end()]
            bounded = a.year is not None and not p.recurring_from.search(said)
            a.role = "recurring" if bounded else "recurring_member"
            a.prefix_start = rec.start()
            continue
        m = rx.prefix.search(subject, window_start, lo) if may_role else None
        if m:
            word = text[m.start("p") : m.end("p")]
            role = p.roles.get(_norm(word).rstrip(":").rstrip("."), "plain")
            if (
                role == "open"
                and _norm(word) in p.from_words
                and p.moved.search(text, max(0, m.start() - 60), m.start())
            ):  # "udskudt fra X til Y"; but "udskudt og er nu pr. X" dates the new time
                role = "old"
            elif role == "open" and a.kind == "range" and _norm(word) in p.from_words:
                role = "plain"  # "fra 2020-2025" is the range itself, not open-ended
            a.role = role
            a.prefix_start = m.start()
            a.after_end = _norm(word).rstrip(".") in p.after_end
        if a.role == "plain" and rx.open_end.match(subject, a.e):
            a.role = "open"
    for a, b in itertools.pairwise(atoms):
        b_start = b.prefix_start if b.prefix_start is not None else b.s
        if a.role == "plain" and b.role != "label" and p.moved_to_gap.match(text[a.e : b_start]):
            a.role = "old"


def _spread_recurrence(p: _Patterns, text: str, atoms: list[_Atom]) -> None:
    """Coordinated parts share a non-committing role: 'to gange årligt (juni og december)',
    'for 2021 og 2022', 'tidligst 1. januar 2025 og fra skoleåret 2025/26'."""
    for a, b in itertools.pairwise(atoms):
        if a.role == "start_only" and b.role == "open" and b.prefix_start is not None:
            if p.coordination.match(text[a.e : b.prefix_start]):
                b.role = "start_only"  # "tidligst 1. januar 2025 og fra skoleåret 2025/26"
            continue
        if b.role != "plain" or p.coordination.match(text[a.e : b.s]) is None:
            continue
        if a.role == "start_only" and a.kind == b.kind:
            b.role = "start_only"  # "tidligst i 2027 og 2028"
        elif a.role == "recurring_member" and b.year is None:
            b.role = "recurring_member"
            b.prefix_start = b.s
        elif a.role in ("classify", "label") and a.kind == b.kind:
            b.role = a.role


def _narrow_years(p: _Patterns, text: str, atoms: list[_Atom]) -> None:
    """'2027, uge 9' / 'i sommerferien 2024: uge 28-29': a yearless expression right after a
    dated one takes its year, and when it lies inside it, it is the commitment."""
    for a, b in itertools.pairwise(atoms):
        if a.year is None or a.build is None or a.role != "plain" or b.year is not None:
            continue
        if b.build is None or b.role != "plain" or not p.narrowing_gap.match(text[a.e : b.s]):
            continue
        outer = a.span or a.try_at(a.year)
        if outer is None or outer[0].year != outer[1].year:
            continue  # "i perioden 2021-2024, juni": which June is not said
        b.year = outer[0].year
        inner = b.try_at(b.year)
        if inner and outer[0] <= inner[0] and inner[1] <= outer[1]:
            a.role = "clarified"
    for a, b in itertools.pairwise(atoms):
        # "Efterårsferie (uge 42): Mandag den 13. oktober - fredag den 17. oktober 2025": the
        # dated days after the colon lie inside the yearless week, so they are the commitment.
        if a.year is not None or a.build is None or a.role != "plain" or b.role != "plain":
            continue
        if a.kind == "week" and b.kind == "date":
            continue  # "uge 10: 3. marts 2025" names the Monday; it does not narrow the week
        lo = b.prefix_start if b.prefix_start is not None else b.s
        if not p.narrowing_colon.match(text[a.e : lo]):
            continue
        inner = b.span or (b.try_at(b.year) if b.year is not None else None)
        if inner is None:
            continue
        a.year = _year_inside(a, inner)
        outer = a.try_at(a.year)
        if outer and outer[0] <= inner[0] and inner[1] <= outer[1]:
            a.role = "clarified"


def _calendar_lines(p: _Patterns, text: str, atoms: list[_Atom]) -> None:
    """'21. juni: Sidste skoledag – sommerferie': the yearless holiday after the colon of a
    dated calendar line does not commit; the day that heads the line does."""
    for a, b in itertools.pairwise(atoms):
        if a.kind not in ("date", "range") or a.role != "plain" or b.role != "plain":
            continue
        if b.year is not None or _norm(text[b.s : b.e]) not in p.holiday_of:
            continue
        lo = a.prefix_start if a.prefix_start is not None else a.s
        if p.line_start.search(text[:lo]) and p.calendar_gap.match(text[a.e : b.s]):
            b.role = "clarified"


def _year_inside(atom: _Atom, outer: Span) -> int:
    """The year that puts a yearless clarification inside (or else across) the outer span:
    'ultimo 2014/primo 2015 (december-februar)' is December 2014 – February 2015."""
    years = sorted({outer[0].year, outer[1].year, outer[1].year + 1})
    spans = [(y, atom.try_at(y)) for y in years]
    for y, span in spans:
        if span and outer[0] <= span[0] and span[1] <= outer[1]:
            return y
    for y, span in spans:
        if span and span[0] <= outer[1] and outer[0] <= span[1]:
            return y
    return outer[0].year


def _clarify(p: _Patterns, text: str, atoms: list[_Atom]) -> None:
    """A parenthesised expression right after another one wins over it (CONVENTIONS.md)."""
    for a, b in itertools.pairwise(atoms):
        lo = b.prefix_start if b.prefix_start is not None else b.s
        if not p.paren_open.match(text[a.e : lo]) or not p.paren_close.match(text, b.e):
            continue
        if a.role in ("label", "old", "classify") or b.role in ("old", "label"):
            continue
        outer = a.span or (a.try_at(a.year) if a.year is not None else None)
        if b.year is None and outer is not None and b.build is not None:
            b.year = _year_inside(b, outer)
        if a.kind == "week" and b.kind == "date":
            b.role = "ignored"
            continue
        if a.kind == "date" and b.kind == "week":
            b.role = "ignored"  # "24. august 2021 (uge 34)": the week only places the day
            continue
        a.role = "clarified"


def _relative_year_of(text: str, atoms: list[_Atom]) -> None:
    """A relative year right after yearless expressions names their year, as "juni 2021"
    would: "i december næste år" is December of next year, and "ved skolestart efter
    sommerferien næste år" dates both holidays; the relative year then commits to nothing."""
    for i, b in enumerate(atoms):
        if b.kind != "year" or b.relative is None or i == 0:
            continue
        named = False
        nxt = b
        for a in reversed(atoms[:i]):
            lo = nxt.prefix_start if nxt.prefix_start is not None else nxt.s
            if text[a.e : lo].strip() or a.build is None or a.label:
                break
            if a.year is not None or a.span is not None or a.relative is not None:
                break
            if a.relative_unit is not None or a.relative_school is not None:
                break
            a.relative = b.relative
            named = True
            nxt = a
        if named:
            b.role = "ignored"


def _relative_span(reference: dt.date, unit: str, offset: int) -> Span:
    """The month, ISO week, quarter or half `offset` steps from the one holding `reference`."""
    if unit == "week":
        monday = reference - dt.timedelta(days=reference.weekday()) + dt.timedelta(weeks=offset)
        return monday, monday + dt.timedelta(days=6)
    size = {"month": 1, "quarter": 3, "half": 6}[unit]
    index = (reference.year * 12 + reference.month - 1) // size + offset
    first = index * size
    year, month = divmod(first, 12)
    return _month_span(year, month + 1, month + size)


_HINTING = {"plain", "deadline_end", "deadline_before", "open"}
"""Roles whose year a later yearless expression in the same text inherits."""


_SENTENCE_END = re.compile(r"[.!?;]\s+[A-ZÆØÅ]|[\n()]")


def _years_ahead(text: str, atoms: list[_Atom]) -> list[int | None]:
    """For each yearless atom, a year from the next dated expression of the same sentence:
    'godkendte i juni rammerne for mødet den 11. september 2025' is June 2025 (the year that
    puts it before the dated one: 'i december … 15. januar 2026' is December 2025)."""
    ahead: list[int | None] = [None] * len(atoms)
    if len(atoms) < 2 or all(a.year is not None or a.span is not None for a in atoms):
        return ahead  # nothing yearless, or nothing to take a year from
    following: _Atom | None = None
    following_start: dt.date | None = None
    for i in range(len(atoms) - 1, -1, -1):
        a = atoms[i]
        if following is not None and _SENTENCE_END.search(text, a.e, following.s):
            following = following_start = None
        dated = a.span or (a.try_at(a.year) if a.year is not None else None)
        if dated is not None and a.relative is None and a.role in _HINTING:
            following, following_start = a, dated[0]
            continue
        if a.year is None and following_start is not None:
            y = following_start.year
            own = a.try_at(y)
            if own is not None and own[0] > following_start:
                y -= 1
            ahead[i] = y
    return ahead


def _resolve_years(
    atoms: list[_Atom], reference: dt.date | None, year: int | None, text: str = ""
) -> list[Span | None]:
    """Each atom's (start, end): its own year, then the text's (earlier, else later in the same
    sentence), then `year`, then reference."""
    spans: list[Span | None] = []
    hint: int | None = None
    ahead = _years_ahead(text, atoms)
    for a, later in zip(atoms, ahead, strict=True):
        span: Span | None = None
        if a.span is not None:
            span = a.span
        elif a.relative is not None:
            span = a.try_at(reference.year + a.relative) if reference else None
        elif a.relative_unit is not None:
            span = _relative_span(reference, *a.relative_unit) if reference else None
        elif a.relative_school is not None:
            if reference is not None:
                base = reference.year if reference.month >= 8 else reference.year - 1
                span = a.try_at(base + a.relative_school)
        elif a.year is not None:
            span = a.try_at(a.year)
        else:
            known = hint if hint is not None else later if later is not None else year
            if known is not None:
                span = a.try_at(known)
            elif reference is not None:
                for y in range(reference.year - 1, reference.year + 5):
                    candidate = a.try_at(y)  # "29. februar" waits for a leap year
                    if candidate is not None and candidate[1] >= reference:
                        span = candidate
                        break
        spans.append(span)
        dated = a.year is not None or a.span is not None
        if span is not None and dated and a.role in _HINTING:
            hint = span[0].year
    return spans


_COMMITTING = {"plain", "deadline_end", "deadline_before", "open", "start_only", "recurring"}


def _period(text: str, a: _Atom, span: Span | None) -> Period:
    lo = a.prefix_start if a.prefix_start is not None else a.s
    phrase = text[lo : a.e]
    commits = a.role in _COMMITTING
    kind = "deadline" if a.role in ("deadline_end", "deadline_before") else a.kind
    if a.role == "recurring":
        kind = "recurring"
    if a.role == "recurring_member":
        return Period(text=phrase, kind="recurring", span=(lo, a.e), commits=True)
    if span is None:
        return Period(text=phrase, kind=kind, span=(lo, a.e), commits=commits)
    start, end = span
    due: dt.date | None = end
    if a.role == "deadline_end":
        kind, start = "deadline", None
    elif a.role == "deadline_before":
        kind = "deadline"
        end = due = end if a.boundary else start - dt.timedelta(days=1)
        start = None
    elif a.role == "open":
        end, due = None, start
    elif a.role == "start_only":
        if a.after_end:
            start = end + dt.timedelta(days=1)
        end = due = None
    elif a.role == "recurring":
        kind = "recurring"
    if a.kind == "deadline":
        start = None
    return Period(
        text=phrase, start=start, end=end, due=due, kind=kind, span=(lo, a.e), commits=commits
    )


def parse_time(
    text: str, reference: dt.date | None = None, *, year: int | None = None
) -> TimeParse:
    """Every period in `text`, the bullet-level due date and the phrases that could not be dated.

    `reference` is the date the text was written (or the plan year's start); `year` is a year
    carried over from an earlier bullet of the same cell. Without either, yearless phrases stay
    undated: the parser never invents the current year.
    """
    if not text or not text.strip():
        return TimeParse(None, None)
    if isinstance(reference, dt.datetime):
        reference = reference.date()  # a datetime does not compare with dates
    p = _patterns()
    atoms = _find_atoms(p, text)
    atoms = _join_ranges(p, text, atoms)
    _assign_roles(p, text, atoms)
    _spread_recurrence(p, text, atoms)
    _narrow_years(p, text, atoms)
    _clarify(p, text, atoms)
    _calendar_lines(p, text, atoms)
    _relative_year_of(text, atoms)
    spans = _resolve_years(atoms, reference, year, text)
    periods = [_period(text, a, span) for a, span in zip(atoms, spans, strict=True)]
    undatable = [q.text for q in periods if q.due is None and q.start is None and q.commits]
    taken = [(a.prefix_start if a.prefix_start is not None else a.s, a.e) for a in atoms]
    extra: list[Period] = []
    scans, subject = p.scans(text)
    for name in _extra_scans(p, text):
        regex = scans.recurring if name == "recurring" else scans.vague
        for m in regex.finditer(subject):
            if any(lo < m.end() and m.start() < hi for lo, hi in taken):
                continue
            taken.append(m.span())
            phrase = text[m.start() : m.end()]
            extra.append(Period(text=phrase, kind=name, span=m.span(), commits=True))
    bounded = {a.prefix_start for a in atoms if a.role in ("recurring", "recurring_member")}
    for q in extra:
        if q.kind == "vague" or q.span[0] not in bounded:
            undatable.append(q.text)
    periods = sorted(periods + extra, key=lambda q: q.span)
    committed = [q for q in periods if q.commits and q.due is not None]
    if committed:
        best = max(committed, key=lambda q: q.due or dt.date.min)
        return TimeParse(best.due, best.kind, periods, undatable)
    kinds = [q.kind for q in periods if q.commits]
    kind = None
    for candidate in ("recurring", "vague"):
        if candidate in kinds:
            kind = candidate
            break
    else:
        kind = kinds[0] if kinds else None
    return TimeParse(None, kind, periods, undatable)


def find_periods(text: str, reference: dt.date | None = None) -> list[Period]:
    """Every time expression in `text` with start, end, due, kind, span and commits."""
    return parse_time(text, reference).periods


def due_date(text: str, reference: dt.date | None = None) -> dt.date | None:
    """The bullet-level due date: the latest due among the periods the text commits to."""
    return parse_time(text, reference).due
