"""Success criteria (column D) → measurable targets, and SMART checks on them (core).

The parser follows /work/shared/CONVENTIONS.md "Success criteria → targets". Every Danish
word it knows lives in `data/criteria_da.json`; dates come from `xlgoals.timeexpr`, so a
deadline here means exactly what it means in the time-and-action plan.

How a cell is read, in short:
1. whitespace is collapsed and the cell is split into sentences;
2. time expressions are found once (their numbers are never values);
3. value mentions are found: numbers with a unit, fraction words ("halvdelen"),
   number words after a comparator ("mindst to"), change words ("halveres",
   "klimaneutral"), "ingen" (== 0) and a leading "alle" (== 100 %);
4. each mention gets a comparator, unit, baseline, relative_to, deadline/horizon and a
   subject (the words saying what is measured: after "N % af …", else before the value).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

from xlgoals.model import Baseline, Comparator, Horizon, Period, Plan, Target
from xlgoals.timeexpr import _branches

__all__ = [
    "SmartIssue",
    "evaluation_kinds",
    "fill_targets",
    "parse_targets",
    "smart_issues",
    "vocabulary",
]


@cache
def vocabulary() -> dict[str, Any]:
    """The Danish criterion vocabulary from `data/criteria_da.json`."""
    text = resources.files("xlgoals.data").joinpath("criteria_da.json").read_text("utf-8")
    return json.loads(text)


def _phrase_pattern(phrases: list[str] | tuple[str, ...]) -> str:
    """A regex alternation of phrases, longest first, whole words where they start/end in one."""
    return _phrase_pattern_cached(tuple(phrases))


@cache
def _phrase_pattern_cached(phrases: tuple[str, ...]) -> str:
    runs: list[tuple[str, list[str]]] = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        body = r"\s+".join(re.escape(word) for word in phrase.split())
        left = r"(?<![\w])" if phrase[0].isalnum() else ""
        right = r"(?![\w])" if phrase[-1].isalnum() else ""
        if runs and runs[-1][0] == left:
            runs[-1][1].append(body + right)
        else:
            runs.append((left, [body + right]))
    # Neighbours that share the word-start check test it once ("L(?:a|b)" is "La|Lb" but
    # does not repeat the look-behind for every phrase at every position of the text).
    parts = [
        left + "(?:" + _branches(bodies) + ")" if left else _branches(bodies)
        for left, bodies in runs
    ]
    return "(?:" + "|".join(parts) + ")"


@cache
def _patterns() -> dict[str, Any]:
    """Compiled matchers for the vocabulary (built once)."""
    v = vocabulary()
    flags = re.IGNORECASE
    unit_phrases = []
    for phrases in v["units"].values():
        unit_phrases += [p.split(":")[0] for p in phrases]
    comparators_before = [p for ps in v["comparators_before"].values() for p in ps]
    comparators_after = [p for ps in v["comparators_after"].values() for p in ps]
    # A free-standing dash ("… i 2020 - alternativt skal …") separates clauses; a hyphen
    # inside or after a word ("el- og varme") does not.
    dashes = r"|(?<=\s)(?:" + "|".join(map(re.escape, v["clause_dashes"])) + r")(?=\s)"
    return {
        "unit": re.compile(r"\s*(" + _phrase_pattern(unit_phrases) + ")", flags),
        "cmp_before": re.compile("(" + _phrase_pattern(comparators_before) + r")\s*$", flags),
        "cmp_after": re.compile(r"^\s*(" + _phrase_pattern(comparators_after) + ")", flags),
        "filler_end": re.compile(
            r"(?:\s+|^)(?:" + _phrase_pattern(v["comparator_fillers"]) + r")\s*$", flags
        ),
        "level_down": re.compile(_phrase_pattern(v["level_down_verbs"]) + r"\s*$", flags),
        "sibling_cut": re.compile(  # where a coordinated clause may open: ", og", "mens" …
            r"[,;]\s*|(?:"
            + _phrase_pattern(
                [w.strip(", ") for tier in v["clause_split"] for w in tier if w.strip(",; ")]
            )
            + r")\s+",
            flags,
        ),
        "link_end": re.compile(
            r"\b(?:" + _phrase_pattern(v["subject_dangling_links"]["links"]) + r")\s*$", flags
        ),
        "level_down_only": re.compile(
            r"\s*(?:" + _phrase_pattern(v["level_down_verbs"]) + r")\s*$", flags
        ),
        "down_before": re.compile(_phrase_pattern(v["change_down"]["before"]), flags),
        "up_before": re.compile(_phrase_pattern(v["change_up"]["before"]), flags),
        "down_after": re.compile(r"^\s*" + _phrase_pattern(v["change_down"]["after"]), flags),
        "up_after": re.compile(r"^\s*" + _phrase_pattern(v["change_up"]["after"]), flags),
        "relative_to": re.compile(
            "("
            + _phrase_pattern(v["relative_to"])
            + r")\s+(?:"
            + _words("relative_year_prefixes")
            + r"\s+|(?:[^\W\d_][\w.-]*\s+){1,4}?"  # "i forhold til byens udslip i 1986"
            + _words("relative_year_link")
            + r"\s+)?((?:19|20)\d\d)(?:"
            + _words("relative_year_suffixes")
            + ")?",
            flags,
        ),
        "change_word": re.compile(_phrase_pattern(list(v["change_words"])), flags),
        "none_word": re.compile(_phrase_pattern(v["none_words"]), flags),
        "all_word": re.compile(_phrase_pattern(v["all_words"]), flags),
        "fraction_word": re.compile(_phrase_pattern(list(v["fraction_words"])), flags),
        "number_word": re.compile(_phrase_pattern(list(v["number_words"])), flags),
        "per_year": re.compile(_phrase_pattern(v["per_year"]), flags),
        "long_term": re.compile(_phrase_pattern(v["long_term"]), flags),
        "scale": re.compile(
            r"(?:\(?"
            + _words("scale_intro")
            + r"\s+|\()(\d+)\s*"
            + _words("scale_joiners")
            + r"\s*(\d+)\)?",
            flags,
        ),
        "score_word": re.compile(_phrase_pattern(v["score_words"]), flags),
        "not_after": re.compile(r"^\s*\+?\s*" + _phrase_pattern(v["not_value_after"]), flags),
        "not_before_pattern": re.compile("|".join(v["not_value_before_patterns"]), flags),
        "reference": re.compile("|".join(v["reference_patterns"]), flags),
        "not_before": re.compile(r"(?:" + _phrase_pattern(v["not_value_before"]) + r")\s*$", flags),
        "window_before": re.compile(r"(?:" + _phrase_pattern(v["window_before"]) + r")\s*$", flags),
        "window_unit": re.compile(r"^\s*" + _phrase_pattern(v["window_units"]), flags),
        "conditional": re.compile(r"^\W*" + _phrase_pattern(v["conditional_words"]), flags),
        "conditional_any": re.compile(_phrase_pattern(v["conditional_words"]), flags),
        "subject_stop": re.compile(_phrase_pattern(v["subject_stops"]), flags),
        "status_marker": re.compile(
            "(?:" + _phrase_pattern(v["status_markers"]) + r")[\s:(]*(?:(?:19|20)\d\d)?[\s:=)–-]*$",
            flags,
        ),
        "status_verb": re.compile(_phrase_pattern(v["status_verbs"]), flags),
        "target_marker": re.compile(_phrase_pattern(v["target_markers"]), flags),
        "limit_phrase": re.compile(_phrase_pattern(v["limit_phrases"]), flags),
        "goal_lead": re.compile("(?:" + _phrase_pattern(v["goal_period_leads"]) + r")\s*$", flags),
        "goal_suffix": re.compile(_phrase_pattern(v["goal_period_suffixes"]), flags),
        "goal_naming": re.compile(_phrase_pattern(v["goal_naming_phrases"]), flags),
        "status_clause": re.compile(_phrase_pattern(v["status_clause_markers"]), flags),
        "restatement": re.compile(_phrase_pattern(v["restatement_openers"]), flags),
        "direction_verb": re.compile(_phrase_pattern(v["direction_verbs"]), flags),
        "baseline_marker": re.compile(
            "(" + _phrase_pattern(v["baseline_markers"]) + r"|\((?=\s*(?:19|20)\d\d\s*[:=]))"
            r"(?:\s+(?:" + _words("baseline_marker_links") + r"))?"  # "i dag er på 21,7 %"
            r"[\s:(]*((?:19|20)\d\d)?[\s:=)]*$",
            flags,
        ),
        "clause_split": [
            re.compile(_phrase_pattern(tier) + (dashes if k == 1 else ""), flags)
            for k, tier in enumerate(v["clause_split"])
        ],
        "rank_before": re.compile(r"(?:" + _phrase_pattern(v["rank_before"]) + r")\s*$", flags),
        "rank_after": re.compile(r"^\s*" + _phrase_pattern(v["rank_after"]), flags),
        # Built from the word classes in `words`; compiled here so no hot path compiles.
        "list_dot": re.compile(r"[.)](?:\s|$)"),
        "scale_label": re.compile(r"\s+er\b"),
        "not_after_patterns": [re.compile(p) for p in v["not_value_after_patterns"]],
        "ordinal": re.compile(r"\.\s+([^\W\d_])"),
        "ordinal_multiplier": re.compile(r"\.\s+" + _words("multiplier_units_after_ordinal_dot")),
        "grade": re.compile(r"\s+i\s+" + _words("grade_subjects"), flags),
        "compound": re.compile(r"\s+\w+?(" + "|".join(v["compound_units"]) + r")\b"),
        "condition": re.compile(_words("condition_prepositions") + r"\s+[^\W\d_][\w-]*\s*$", flags),
        "window_after": re.compile(r"\s*" + _words("window_after"), flags),
        "ratio": re.compile(r"\s+" + _words("ratio") + r"\s+(\d+)", flags),
        "range": re.compile(r"\s*" + _words("range_joiners") + r"\s*(\d+(?:,\d+)?)"),
        "range_between": re.compile(_words("range_between") + r"\s*$", flags),
        "level_link_end": re.compile(_words("level_link") + "$"),
        "last_clause": re.compile(r"[,;]|" + _words("coordinators")),
        "last_clause_i": re.compile(r"[,;:]|" + _words("coordinators"), flags),
        "change_link_end": re.compile(_words("change_links") + r"(?:\s+\w+)?$"),
        "next_word": re.compile(r"\s*([^\W\d]+)"),
        "word_follows": re.compile(r"\s*\w"),
        "time_preps_end": re.compile(r"(?:" + _words("time_prepositions") + r"\s*)+$", flags),
        "share_of": re.compile(r"\s*" + _words("share_of"), flags),
        "subject_openers": re.compile(_words("subject_openers"), flags),
        "period_joiners": re.compile(r"\s*" + _words("period_coordinators") + r"\s*", flags),
        "paren_open": re.compile(r"\s*\(\s*"),
        "coordinated_change": re.compile(
            _words("coordinators") + ".*" + _words("change_links") + r"\s*$", flags
        ),
        "baseline_to_end": re.compile(r"\s" + _words("baseline_to") + r"\s*$", flags),
        "baseline_to": re.compile(_words("baseline_to"), flags),
        "baseline_year": re.compile(r"\s*(?:i\s+|\()?((?:19|20)\d\d)\)?"),
        "baseline_from": re.compile(
            _words("baseline_from")
            + r"\s+(?:(?:"
            + _words("baseline_from_fillers")  # "fra nu 18,5 procent til 13 procent"
            + r")\s+)?(?:"
            + _words("rank_markers")
            + r"\s*)?$",
            flags,
        ),
        "baseline_from_range": re.compile(
            _words("baseline_from") + r"(?:\s+[^\W\d_]+\s*[-–]\s*$|\s+\d+(?:,\d+)?\s*[-–]\s*$)",
            flags,
        ),
        "year_span": re.compile(
            _words("baseline_from")
            + r"\s+((?:19|20)\d\d)\s+"
            + _words("baseline_to")
            + r"\s+(?:19|20)\d\d",
            flags,
        ),
    }


_SPACES = re.compile(r"\s+")
# Letters IGNORECASE matches to a vocabulary letter that lower() does not map to it
# ("gå ı nul" is found by the pattern for "gå i nul"): folded before the lookup.
_VOCAB_FOLD = str.maketrans({"ı": "i", "ſ": "s", "\u0307": None})


def _vocab_key(found: str) -> str:
    """The vocabulary key of a phrase a case-insensitive pattern found."""
    return _SPACES.sub(" ", found.lower().translate(_VOCAB_FOLD))


_DIGIT = re.compile(r"\d")
_PAREN_DIGIT = re.compile(r"\(\d")
_CLAUSE_CUT = re.compile(r"[,;:]|\s(?:men|mens)\s", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(?![\w])(?![.,]\d)")


@cache
def _words(key: str) -> str:
    """A regex alternation for a closed word class in `criteria_da.json` → `words`."""
    return _phrase_pattern(vocabulary()["words"][key])


def _number_value(integer: str, decimals: str | None) -> Fraction | int:
    """Danish number text → exact value ("1.000" → 1000, "4,5" → 9/2); whole numbers stay
    ints (exact too, and far cheaper to compare and multiply)."""
    value = int(integer.replace(".", ""))
    if decimals:
        return value + Fraction(int(decimals), 10 ** len(decimals))
    return value


@dataclass(slots=True)
class _Mention:
    """A value found in a sentence, before it becomes a Target."""

    start: int
    end: int
    value: Fraction | int
    unit: str
    comparator: str | None = None
    value_max: Fraction | int | None = None
    baseline: Fraction | int | None = None
    baseline_year: int | None = None
    relative_to: int | None = None
    is_baseline: bool = False
    long_term: bool = False
    deadline: dt.date | None = None
    subject: str = ""
    sentence: int = 0
    extra_mask: list[tuple[int, int]] = field(default_factory=list)
    """Spans that are not subject words: comparator, number, unit, baseline phrase."""
    change_word: bool = False
    """From a word like "halveres"; dropped when "fra 40 til 20" states the same exactly."""
    absorbs: bool = False
    """'ingen …': later values in the same clause are part of its subject."""
    own_clause: bool = False
    """'alle …': the subject is only the clause that 'alle' opens."""


@cache
def _load_find_periods():
    """The time normaliser's `find_periods` (branch `dates`), or None until it is merged."""
    try:
        from xlgoals.timeexpr import find_periods
    except ImportError:  # pragma: no cover - only before the dates branch is merged
        return None
    return find_periods


def _periods(text: str, reference: dt.date | None) -> list[Period]:
    find_periods = _load_find_periods()
    if find_periods is None:
        return []
    return list(find_periods(text, reference))


_SENTENCE_END = re.compile(r"[.;!?](?=\s+[A-ZÆØÅ•])|[;](?=\s)|\s[•·▪]\s")


@cache
def _lowered(key: str) -> tuple[str, ...]:
    """A word list of the vocabulary in lower case, built once (the parser asks per value)."""
    return tuple(w.lower() for w in vocabulary()[key])


@cache
def _lookup(key: str, lower: bool = True) -> dict[str, str]:
    """Phrase → its name for a `{name: [phrases]}` table; the first name listing it wins."""
    table: dict[str, str] = {}
    for name, phrases in vocabulary()[key].items():
        for phrase in phrases:
            table.setdefault(phrase.lower() if lower else phrase, name)
    return table


@cache
def _unit_table() -> dict[str, tuple[str, str]]:
    """Unit phrase (lower case) → (unit name, factor text); the first entry listing it wins."""
    table: dict[str, tuple[str, str]] = {}
    for unit, phrases in vocabulary()["units"].items():
        for entry in phrases:
            word, _, factor = entry.partition(":")
            table.setdefault(word.lower(), (unit, factor))
    return table


@cache
def _abbreviation_reach() -> int:
    """How far back from a full stop an abbreviation ("f.eks.") can start, with margin."""
    return max(map(len, _lowered("sentence_abbreviations")), default=0) + 8


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: split at . ; ! ? or a line bullet before an upper-case letter or digit."""
    if not any(mark in text for mark in ".;!?•·▪"):  # no sentence end can match
        return [(0, len(text))] if text.strip() else []
    spans = []
    start = 0
    abbreviations = _lowered("sentence_abbreviations")
    reach = _abbreviation_reach()
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if text[match.start()] == "." and (
            text[max(start, end - reach) : end].lower().endswith(abbreviations)
        ):
            continue
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


# ---------------------------------------------------------------------- guards
# A phrase pattern is searched with IGNORECASE at every position of a text, which costs far
# more than asking whether the text holds a word the phrases start (or end) with. The guards
# below answer that question exactly: they only say "cannot match" when the regex could not.


def _case_fold_table() -> dict[int, int] | None:
    """Characters IGNORECASE treats as equal beyond str.lower() ("ſ" = "s"), or None."""
    try:
        from re._casefix import _EXTRA_CASES  # CPython's own table (3.11+)
    except ImportError:  # pragma: no cover - guards are switched off, results unchanged
        return None
    table: dict[int, int] = {}
    for code, others in _EXTRA_CASES.items():
        canonical = min((code, *others))
        for member in (code, *others):
            table[member] = canonical
    return table


_CASE_FOLD = _case_fold_table()
_UNFOLDED = re.compile(
    "[" + "".join(chr(c) for c, to in (_CASE_FOLD or {}).items() if c != to) + "\u0130]"
)
"""The characters `_fold` has to translate (rare: "ſ", "ı", "µ", "İ" …)."""
_CASE_PAIRED = re.compile("[" + "".join(map(chr, _CASE_FOLD or {})) + "\u0130]")
"""Every character with an extra IGNORECASE pair, and "İ"."""
_WORD_RUN = re.compile(r"\w+")


def _fold(text: str) -> str:
    """`text` lower-cased so that two characters IGNORECASE equates fold to the same one."""
    low = text.lower()
    if low.isascii() or _CASE_FOLD is None or not _UNFOLDED.search(text + low):
        return low
    # "İ".lower() is two characters; the regex engine lowers it to "i".
    return text.replace("\u0130", "i").lower().translate(_CASE_FOLD)


def _is_word_char(ch: str) -> bool:
    """What `\\w` matches in a str pattern."""
    return ch.isalnum() or ch == "_"


def _splits_word(text: str, at: int) -> bool:
    """True when a slice of `text` starting or ending at `at` cuts a word in two."""
    if at <= 0 or at >= len(text):
        return False
    pair = text[at - 1 : at + 1]
    return pair.isalnum() or ("_" in pair and _is_word_char(pair[0]) and _is_word_char(pair[1]))


@dataclass(frozen=True, slots=True)
class _Guard:
    """What any match of a phrase pattern must contain (None: no guard possible).

    A match of a phrase holds all the phrase's whole words as whole words of the text
    (`needs`, with its uncased symbols); `keys` is one word per phrase (its longest) and
    `key_chars` a symbol of each phrase without words. `lasts`/`last_chars`: how every
    phrase ends, for patterns anchored at `$`: its folded last word, or its last symbol.
    """

    keys: frozenset[str] | None
    key_chars: frozenset[str]
    lasts: frozenset[str] | None
    last_chars: frozenset[str]
    needs: tuple[tuple[frozenset[str], str], ...] | None = None
    """Per phrase: all its folded whole words and all its symbols (for `_holds`)."""
    alone: re.Pattern[str] | None = None
    """Alternatives of the pattern besides its phrases (the free-standing dashes that also
    split clauses): `_holds` searches for them as they are ..."""
    alone_chars: re.Pattern[str] = re.compile("")
    """... where one of their characters occurs."""
    all_words: frozenset[str] = frozenset()
    """Every whole word of every phrase."""
    by_key: dict[str, tuple[tuple[frozenset[str], str], ...]] = field(default_factory=dict)
    """`needs` of the phrases by their key word (phrases without words under "")."""

    def present(self, words: set[str] | None, text: str) -> bool:
        """False when no phrase finds all its words among `words` (the folded words of
        `text`) and all its symbols in `text`: no match anywhere in `text`."""
        if self.needs is None or words is None:
            return True
        if self.alone is not None and self.alone_chars.search(text):
            return True
        for _, need_symbols in self.by_key.get("", ()):
            if all(ch in text for ch in need_symbols):
                return True
        for key in self.keys.intersection(words) if self.keys is not None else ():
            for need_words, need_symbols in self.by_key[key]:
                if need_words <= words and all(ch in text for ch in need_symbols):
                    return True
        return False

    def may_end(self, text: str, truncated: bool = False) -> bool:
        """False when `text` (trailing spaces aside) cannot end in one of the phrases;
        `truncated`: `text` is only the tail of the string searched."""
        return self.lasts is None or self.ends(_ending(text, truncated))

    def ends(self, ending: tuple[str, str | None]) -> bool:
        """`may_end` for a text's `_ending`."""
        if self.lasts is None:
            return True
        last, word = ending
        if last in self.last_chars or word is None:
            return True
        return word in self.lasts


def _ending(text: str, truncated: bool = False) -> tuple[str, str | None]:
    """How `text` ends, trailing spaces aside: (last character, its folded word), the word
    "" when that character is not a word character (or there is none), None when unknown
    (the word runs on past what we looked at)."""
    stripped = text.rstrip()
    if not stripped:
        return "", None if truncated else ""
    last = stripped[-1]
    if not (last.isalnum() or last == "_"):
        return last, ""
    space = stripped.rfind(" ")
    token = stripped[space + 1 :]
    if (space >= 0 or not truncated) and len(token) < 40 and token.isalnum():
        return last, _fold(token)  # a whole word after a space (or the whole text)
    backwards = _WORD_RUN.match(stripped[-1:-41:-1])  # the last word, read from its end
    assert backwards is not None
    if len(backwards.group()) == 40 or (truncated and backwards.end() == len(stripped)):
        return last, None
    return last, _fold(backwards.group()[::-1])


def _guard(
    phrases: list[str] | tuple[str, ...],
    extra_chars: str = "",
    alone: re.Pattern[str] | None = None,
) -> _Guard:
    """The guard for `_phrase_pattern(phrases)` (plus alternatives starting with a char of
    `extra_chars`). The words of a phrase are whole words of the text it matches: they are
    split by spaces or symbols, and `(?<![\\w])`/`(?![\\w])` bound a phrase that starts or
    ends with a letter or digit. Symbols (uncased) match only themselves."""
    keys: set[str] | None = set()
    key_chars = set(extra_chars)
    lasts: set[str] | None = set()
    last_chars: set[str] = set()
    needs: list[tuple[frozenset[str], str]] = []
    by_key: dict[str, list[tuple[frozenset[str], str]]] = {}
    if extra_chars and alone is None:
        alone = re.compile("[" + re.escape(extra_chars) + "]")
    for phrase in phrases:
        phrase = " ".join(phrase.split())
        head, tail = phrase[0], phrase[-1]
        whole = [
            run
            for run in _WORD_RUN.finditer(phrase)
            if (run.start() > 0 or head.isalnum()) and (run.end() < len(phrase) or tail.isalnum())
        ]
        symbols = [ch for ch in phrase if not (_is_word_char(ch) or ch.isspace())]
        symbols = [ch for ch in symbols if ch.lower() == ch.upper()]
        need = (frozenset(_fold(run.group()) for run in whole), "".join(set(symbols)))
        needs.append(need)
        key = _fold(max((run.group() for run in whole), key=len)) if whole else ""
        by_key.setdefault(key, []).append(need)
        if keys is not None:
            if whole:
                keys.add(key)
            elif symbols:
                key_chars.add(symbols[0])
            else:
                keys = None
        if lasts is not None:
            if whole and whole[-1].end() == len(phrase):
                lasts.add(_fold(whole[-1].group()))
            elif not _is_word_char(tail) and tail in symbols:
                last_chars.add(tail)
            else:
                lasts = None
    if _CASE_FOLD is None:
        keys = lasts = None
    return _Guard(
        None if keys is None else frozenset(keys),
        frozenset(key_chars),
        None if lasts is None else frozenset(lasts),
        frozenset(last_chars),
        None if keys is None else tuple(needs),
        alone,
        re.compile("[" + re.escape(extra_chars) + "]") if extra_chars else re.compile(""),
        frozenset().union(*(need_words for need_words, _ in needs)),
        {key: tuple(group) for key, group in by_key.items()},
    )


def _holds(guard: _Guard, text: str, plain: bool = False) -> bool:
    """False when no phrase of `guard`'s pattern can match anywhere in `text` (its own
    words are looked at, so a piece of a word at either end counts as a word)."""
    if guard.needs is None:
        return True
    if guard.alone is not None and guard.alone_chars.search(text) and guard.alone.search(text):
        return True
    words: set[str] | None = None
    for need_words, need_symbols in guard.needs:  # some phrase must find all it needs
        if need_symbols and (
            need_symbols not in text
            if len(need_symbols) == 1
            else not all(ch in text for ch in need_symbols)
        ):
            continue
        if need_words:
            if words is None:  # `plain`: no character needs more than lower() to fold
                words = set(_WORD_RUN.findall(text.lower() if plain else _fold(text)))
            if not need_words <= words:
                continue
        return True
    return False


_WHITESPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_PAREN_YEAR = re.compile(r"\((?=\s*(?:19|20)\d\d\s*[:=])")
"""The bracket alternative of the `baseline_marker` pattern ("(2015: 340)")."""


@cache
def _has_digit_end(words: frozenset[str]) -> bool:
    return any(w[-1:].isdigit() for w in words)


def _marker_may_end(guard: _Guard, text: str, trailing: str) -> bool:
    """False when `text` cannot end in a marker phrase followed only by characters of
    `trailing`, spaces and digits (a year): the shape of the `status_marker` and
    `baseline_marker` patterns (`(?:P)[\\s:(]*(?:year)?[\\s:=)…]*$`)."""
    lasts = guard.lasts
    if lasts is None or guard.last_chars or _has_digit_end(lasts):
        return True  # a phrase ending in a symbol or digit: the strip below could cut it
    stripped = text.rstrip(trailing + _WHITESPACE + "0123456789")
    if not stripped or not _is_word_char(stripped[-1]):
        return False
    word = _WORD_RUN.match(stripped[-1:-41:-1])
    assert word is not None
    if len(word.group()) == 40:
        return True
    return _fold(word.group()[::-1]) in lasts


@cache
def _split_tiers() -> tuple[tuple[frozenset[str], _Guard, re.Pattern[str]], ...]:
    """Per clause-split tier, strongest first: its single-character marks (or none), its
    guard and its pattern."""
    return tuple(
        zip(_tier_marks(), _guards()["clause_split"], _patterns()["clause_split"], strict=True)
    )


@cache
def _tier_marks() -> list[frozenset[str]]:
    """Per clause-split tier: its marks when all are single symbols (";", ","), which match
    wherever they stand, else an empty set (the tier needs its regex)."""
    out = []
    for tier in vocabulary()["clause_split"]:
        single = all(len(p) == 1 and not _is_word_char(p) and not p.isspace() for p in tier)
        out.append(frozenset(tier) if single else frozenset())
    return out


@cache
def _guards() -> dict[str, Any]:
    """Guards for the phrase patterns of `_patterns()` that the parser searches most."""
    v = vocabulary()
    words = v["words"]

    def flat(key: str) -> list[str]:
        value = v[key]
        if isinstance(value, dict):
            return [p.split(":")[0] for ps in value.values() for p in ps]
        return list(value)

    dashes = "".join(v["clause_dashes"])
    # The dash alternative of the second tier as `_patterns()` writes it: between spaces.
    free_dashes = re.compile(
        r"(?<=\s)(?:" + "|".join(map(re.escape, v["clause_dashes"])) + r")(?=\s)"
    )
    tiers = v["clause_split"]
    return {
        "cmp_before": _guard(flat("comparators_before")),
        "filler_end": _guard(v["comparator_fillers"]),
        "level_down": _guard(v["level_down_verbs"]),
        "down_before": _guard(v["change_down"]["before"]),
        "up_before": _guard(v["change_up"]["before"]),
        "relative_to": _guard(v["relative_to"]),
        "change_word": _guard(list(v["change_words"])),
        "none_word": _guard(v["none_words"]),
        "all_word": _guard(v["all_words"]),
        "fraction_word": _guard(list(v["fraction_words"])),
        "number_word": _guard(list(v["number_words"])),
        "per_year": _guard(v["per_year"]),
        "long_term": _guard(v["long_term"]),
        "score_word": _guard(v["score_words"]),
        "not_before": _guard(v["not_value_before"]),
        "window_before": _guard(v["window_before"]),
        "conditional_any": _guard(v["conditional_words"]),
        "subject_stop": _guard(v["subject_stops"]),
        "status_marker": _guard(v["status_markers"]),
        "status_verb": _guard(v["status_verbs"]),
        "target_marker": _guard(v["target_markers"]),
        "limit_phrase": _guard(v["limit_phrases"]),
        "goal_lead": _guard(v["goal_period_leads"]),
        "goal_naming": _guard(v["goal_naming_phrases"]),
        "status_clause": _guard(v["status_clause_markers"]),
        "restatement": _guard(v["restatement_openers"]),
        "direction_verb": _guard(v["direction_verbs"]),
        "baseline_marker": _guard(  # a link may end it: "i dag er på"
            v["baseline_markers"] + words["baseline_marker_links"], extra_chars="("
        ),
        "clause_split": [
            _guard(tier, dashes if k == 1 else "", free_dashes if k == 1 else None)
            for k, tier in enumerate(tiers)
        ],
        "rank_before": _guard(v["rank_before"]),
        "range_between": _guard(words["range_between"]),
        "time_preps_end": _guard(words["time_prepositions"]),
        "subject_openers": _guard(words["subject_openers"]),
        "baseline_from": _guard(
            words["baseline_from"] + words["rank_markers"] + words["baseline_from_fillers"]
        ),
        "level_link_end": _guard(words["level_link"]),
        "year_span": _guard(words["baseline_from"]),
        "baseline_to": _guard(words["baseline_to"]),
        "baseline_to_end": _guard(words["baseline_to"]),
        "scale": _guard(words["scale_intro"], extra_chars="("),
    }


@cache
def _tail_lengths() -> dict[str, int]:
    """The longest match, trailing spaces aside, of the patterns anchored at `$` (in text
    with single spaces): only that much of a text's end can hold a match."""
    v = vocabulary()
    words = v["words"]

    def longest(*lists: list[str]) -> int:
        return max(len(" ".join(p.split())) for phrases in lists for p in phrases)

    comparators = [p for ps in v["comparators_before"].values() for p in ps]
    return {
        "cmp_before": longest(comparators),
        "filler_end": 1 + longest(v["comparator_fillers"]),  # "(?:\s+|^)" before it
        "not_before": longest(v["not_value_before"]),
        "window_before": longest(v["window_before"]),
        "level_down": longest(v["level_down_verbs"]),
        "rank_before": longest(v["rank_before"]),
        "range_between": longest(words["range_between"]),
        "goal_lead": longest(v["goal_period_leads"]),
        "level_link_end": longest(words["level_link"]),
        "baseline_to_end": 1 + longest(words["baseline_to"]),
        "baseline_from": longest(words["baseline_from"])
        + 2
        + longest(words["baseline_from_fillers"])
        + longest(words["rank_markers"]),
    }


def _search_tail(
    key: str, text: str, ending: tuple[str, str | None] | None = None
) -> re.Match[str] | None:
    """`_patterns()[key].search(text)` for a pattern anchored at `$`, started where its
    longest match could begin. The leftmost match is the same: every match ends at the
    end, and in text with single spaces none is longer than `_tail_lengths()[key]`.
    With `text`'s `_ending`, skipped when no phrase of the pattern ends that way."""
    if ending is not None and not _guards()[key].ends(ending):
        return None
    pattern = _patterns()[key]
    longest = _tail_lengths()[key]
    if len(text) > longest + 1 and "  " not in text and text.isprintable():
        return pattern.search(text, max(0, len(text.rstrip(" ")) - longest))
    return pattern.search(text)


def _comparator_before(
    segment: str, ending: tuple[str, str | None] | None = None
) -> tuple[str | None, int]:
    """Comparator phrase ending `segment` (fillers allowed after it) → (comparator, start).
    `ending`: `segment`'s `_ending`, when known."""
    probe = segment
    for _ in range(3):
        if ending is None:
            ending = _ending(probe)
        match = _search_tail("cmp_before", probe, ending)
        if match:
            phrase = _SPACES.sub(" ", match.group(1).lower())
            comparator = _lookup("comparators_before").get(phrase)
            if comparator is not None:
                return comparator, match.start()
        filler = _search_tail("filler_end", probe, ending)
        if not filler:
            break
        probe = probe[: filler.start()]
        ending = None
    return None, len(segment)


def _comparator_after(text: str) -> str | None:
    match = _patterns()["cmp_after"].match(text)
    if not match:
        return None
    phrase = _SPACES.sub(" ", match.group(1).lower())
    return _lookup("comparators_after", lower=False).get(phrase)


def _unit_at(text: str, pos: int) -> tuple[str | None, Fraction | int, int]:
    """The unit written at `pos` → (unit name, exact multiplier, end position)."""
    match = _patterns()["unit"].match(text, pos)
    if not match:
        return None, 1, pos
    phrase = _SPACES.sub(" ", match.group(1).lower())
    found = _unit_table().get(phrase)
    if found is None:  # pragma: no cover - every alternative is in the table
        return None, 1, pos
    unit, factor = found
    multiplier = int(factor) if factor else 1
    if unit == "DKK":
        return "DKK mio.", Fraction(multiplier, 1_000_000), match.end()
    return unit, multiplier, match.end()


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return bool(spans) and any(s <= pos < e for s, e in spans)


def _drop_unbalanced(text: str) -> str:
    """Remove parentheses left without their partner after masking ("er )" → "er")."""
    if "(" not in text and ")" not in text:
        return text
    drop: list[int] = []
    open_at: list[int] = []
    for paren in _PARENS.finditer(text):
        if paren.group() == "(":
            open_at.append(paren.start())
        elif open_at:
            open_at.pop()
        else:
            drop.append(paren.start())
    drop = sorted(drop + open_at)
    if not drop:
        return text
    pieces = []
    start = 0
    for at in drop:
        pieces.append(text[start:at])
        start = at + 1
    pieces.append(text[start:])
    return "".join(pieces)


_PARENS = re.compile(r"[()]")


_EMPTY_PARENS = re.compile(r"\(\s*[:,]?\s*\)")
_SPACE_CLOSE = re.compile(r"\s+\)")
_SPACE_OPEN = re.compile(r"\(\s+")
_SPACE_PUNCT = re.compile(r"\s+([,.;:])")


@cache
def _word_set(key: str) -> frozenset[str]:
    """A word list of the vocabulary as a lower-case set, built once."""
    return frozenset(_lowered(key))


@cache
def _dangling_links() -> tuple[frozenset[str], frozenset[str]]:
    """Link words ("på") that link nothing when the next word is one of `before` ("af")."""
    entry = vocabulary()["subject_dangling_links"]
    return frozenset(entry["links"]), frozenset(entry["before"])


def _clean_subject(text: str) -> str:
    """Trim connective words and punctuation from both ends of a subject phrase."""
    if "(" in text or ")" in text:
        text = _drop_unbalanced(_EMPTY_PARENS.sub(" ", text))
        text = _SPACE_OPEN.sub("(", _SPACE_CLOSE.sub(")", text))
    text = " ".join(text.replace("•", " ").split())
    for mark in ",.;:":  # "udgifter ," → "udgifter,"
        if " " + mark in text:
            text = text.replace(" " + mark, mark)
    split = text.split(" ")
    lowered = text.lower().split(" ")
    words = split[:]
    if len(lowered) != len(split) or any(map(str.__eq__, lowered, lowered[1:])):
        lowered = [w.lower() for w in split]
        function = _word_set("function_words")
        words = [  # "genanvendelse af 60 % af affaldet" → "genanvendelse af affaldet"
            w
            for k, w in enumerate(split)
            if not (k and lowered[k] in function and lowered[k] == lowered[k - 1])
        ]
    links, before = _dangling_links()
    if any(w in links for w in lowered) and any(w in before for w in lowered):
        lowered = [w.lower() for w in words]  # "en genanvendelse på af affaldet": the value
        words = [  # between "på" and "af" was removed, so "på" links nothing
            w
            for k, w in enumerate(words)
            if not (lowered[k] in links and k + 1 < len(words) and lowered[k + 1] in before)
        ]
    leading = _word_set("subject_strip_leading")
    trailing = _word_set("subject_strip_trailing")
    changed = True
    while words and changed:
        changed = False
        first = words[0].lower().strip(",;:.…")
        if words[0] in _LONE_MARKS or first in leading or not first:
            words.pop(0)
            changed = True
            continue
        last = words[-1].lower().rstrip(",;:.")
        if last in trailing or not last:
            words.pop()
            changed = True
    out = " ".join(words).strip(" ,;:.–-…")
    return out.removeprefix("… ").strip()


_LONE_MARKS = frozenset({",", "–", "-", "…", "...", ":"})


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with `spans` replaced by spaces (offsets kept)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace spans by spaces (keeps offsets), also the preposition just before each."""
    out = text
    size = len(text)
    prepositions = _patterns()["time_preps_end"]
    guard = _guards()["time_preps_end"]
    for start, end in spans:
        if start < 0:  # pragma: no cover - spans are offsets into the text
            out = _mask_from_end(out, text, start, end)
            continue
        stop = min(end, size)
        if stop > start:
            out = out[:start] + " " * (stop - start) + out[stop:]
        if not text[start:end].strip():
            continue
        window = max(0, start - 80)  # only the words just before the span can be a preposition
        if not guard.may_end(out[window:start], truncated=window > 0):
            continue
        prep = prepositions.search(out[:start])
        if prep:
            out = out[: prep.start()] + " " * (start - prep.start()) + out[start:]
    return out


def _mask_from_end(masked: str, text: str, start: int, end: int) -> str:  # pragma: no cover
    """One step of `_mask` for a span given by negative offsets (list semantics kept)."""
    chars = list(masked)
    for i in range(start, min(end, len(chars))):
        chars[i] = " "
    prep = _patterns()["time_preps_end"].search("".join(chars[:start]))
    if prep and text[start:end].strip():
        for i in range(prep.start(), start):
            chars[i] = " "
    return "".join(chars)


def parse_targets(text: str, reference: dt.date | None = None) -> list[Target]:
    """Targets written in a success-criterion cell, in reading order.

    `reference` dates yearless expressions (see CONVENTIONS.md); without it they get no
    deadline rather than an invented year.
    """
    if not text or not text.strip():
        return []
    norm = _normalise(text)
    periods = _periods(norm, reference)
    return _Parser(norm, periods, reference).run()


def _normalise(text: str) -> str:
    """A cell's text on one line: tables flattened, line items and bullets marked " • "."""
    text = _flatten_table(text.replace("\u00ad", ""))
    if "\n" in text:  # every rule below starts at a line break
        bullet, value_line, item = _line_rules()
        text = bullet.sub(" • ", text)
        text = value_line.sub(": ", text)
        text = item.sub(" • ", text)
    return _SPACES.sub(" ", text).strip()


@cache
def _line_rules() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """How line breaks read: a bullet; a line holding only a value; a new line item."""
    # A line break before a capital or a digit starts a new line item (a table or list
    # pasted into one cell); a break inside a sentence is followed by lower case.
    # A line holding only a value ("Enfamiliehuse\n\n4 uger") belongs to the label above it,
    # also "…Borgerservice\n\nMaksimalt 7 dage", "… § 87\n\n12 uger".
    value_line = (
        r"(?<=[^\W_])[ \t]*\n\s*(?=(?:"
        + _comparator_words()
        + r"[ \t]+)?\d[\d.,]*[ \t]*[^\W\d_]*\.?[ \t]*(?:\n|$))"
    )
    return (
        re.compile(r"\n[ \t]*[-•*·▪–][ \t]+"),
        re.compile(value_line, re.IGNORECASE),
        re.compile(r"(?<![,:])[ \t]*\n\s*(?=[A-ZÆØÅ0-9])"),
    )


@cache
def _comparator_words() -> str:
    """The one-word comparators ("maksimalt", "senest", …) as a regex alternation."""
    words = [
        phrase
        for phrases in vocabulary()["comparators_before"].values()
        for phrase in phrases
        if phrase.replace(".", "").isalpha() and " " not in phrase
    ]
    return _phrase_pattern(words)


def _flatten_table(text: str) -> str:
    """A table pasted as text (cells split by tabs or ' | ') → one line per row that names
    each value by its column: "Andel elever\t82 %\t90 %" under "Indikator\tBaseline 2024\t
    Mål 2027" becomes "Andel elever: Baseline 2024 82 %, Mål 2027 90 %"."""
    separators = vocabulary()["words"]["table_separators"]
    if not any(sep in text for sep in separators):
        return text
    pattern = "|".join(re.escape(sep) for sep in separators)
    lines = [line for line in text.splitlines() if line.strip()]
    rows = [[cell.strip() for cell in re.split(pattern, line)] for line in lines]
    if len(rows) < 2 or len(rows[0]) < 2:
        return text
    header, out = rows[0], []
    for row in rows[1:]:
        if len(row) != len(header):
            return text  # not a regular table: read the text as it is
        pairs = [f"{h} {c}".strip() for h, c in zip(header[1:], row[1:], strict=True) if c]
        out.append(f"{row[0]}: " + ", ".join(pairs))
    return "\n".join(out)


@cache
def _subject_verbs() -> frozenset[str]:
    """Verbs that may stand alone before 'N % af …' ("oplever"), built once."""
    v = vocabulary()
    verbs = {w.lower() for w in v["opinion_verbs"] if " " not in w}
    return frozenset(verbs | set(v["words"]["subject_verbs"]))


class _Parser:
    """One cell's parse; split in steps so each rule of CONVENTIONS.md has one place."""

    def __init__(self, text: str, periods: list[Period], reference: dt.date | None = None) -> None:
        self.text = text
        self.reference = reference
        self.baseline_spans: list[tuple[int, int]] = []
        self.periods = periods
        self.period_spans = [tuple(p.span) for p in periods if p.span != (0, 0)]
        # A vague, undated span ("senest 3 hverdage") is a duration: its number may be a value.
        self.claimed_spans = [
            tuple(p.span)
            for p in periods
            if p.span != (0, 0) and not (p.kind == "vague" and p.due is None)
        ]
        self.pats = _patterns()
        self.v = vocabulary()
        self.consumed_periods: set[int] = set()
        self.verbs = _subject_verbs()
        self.scale: tuple[int, int] | None = None
        self.scale_spans: list[tuple[int, int]] = []
        self.list_spans: list[tuple[int, int]] = []  # list numbers, restatements
        self.guards = _guards()
        # The folded words of the text, for the guards; None switches them off ("İ" lowers
        # to two characters, so words of a lower-cased slice could differ from these).
        self.words: set[str] | None = None
        folded = _fold(text)
        # No character with an extra case pair (nor "İ"): lower() folds any slice of it.
        self.plain = _CASE_FOLD is not None and not _CASE_PAIRED.search(text + text.lower())
        if "\u0130" not in text and _CASE_FOLD is not None:
            self.words = set(_WORD_RUN.findall(folded))
        self.present: dict[str, bool] = {}
        self.endings: dict[str, tuple[str, str | None]] = {}
        self.cmp_before: dict[str, tuple[str | None, int]] = {}
        self.status: dict[tuple[int, int], bool] = {}
        self.bounds: dict[tuple[int, int, int], list[int]] = {}
        self.separated: dict[tuple[int, int], bool] = {}
        # "(skala 1-5)", "(1-5)": an intro word, or a bracket right before the first number.
        intro = self.guards["scale"].keys
        scale_may = (
            intro is None
            or self.words is None
            or not intro.isdisjoint(self.words)
            or _PAREN_DIGIT.search(text)
        )
        for m in self.pats["scale"].finditer(text) if scale_may else ():
            lo, hi = int(m.group(1)), int(m.group(2))
            if lo in (0, 1) and 2 <= hi <= 10:
                self.scale = (lo, hi)
                self.scale_spans.append((m.start(), m.end()))

    # ------------------------------------------------------------------ guards
    def _marker_may(self, window: str) -> bool:
        """False when the `baseline_marker` pattern surely has no match in `window`."""
        guard = self.guards["baseline_marker"]
        return bool(_PAREN_YEAR.search(window)) or _marker_may_end(guard, window, ":(=)")

    def _words_in(self, start: int, end: int) -> set[str] | None:
        """The folded words text[start:end] may hold; None when it cuts a word in two
        (the cut part could match a phrase the whole word does not)."""
        text = self.text
        if _splits_word(text, start) or _splits_word(text, end):
            return None
        return self.words

    def _may(self, key: str, start: int, end: int) -> bool:
        """False when phrase pattern `key` surely has no match in text[start:end]."""
        present = self.present.get(key)
        if present is None:
            present = self.present[key] = self.guards[key].present(self.words, self.text)
        if present:
            return True
        guard: _Guard = self.guards[key]
        text = self.text
        for ch in guard.key_chars:
            if text.find(ch, start, end) >= 0:
                return True
        # A slice that cuts a word holds a piece of it, which may be a word of a phrase.
        size = len(text)
        if 0 < start < size and _splits_word(text, start):
            piece = _WORD_RUN.match(text, start, end)
            if piece and _fold(piece.group()) in guard.all_words:
                return True
        if 0 < end < size and _splits_word(text, end):
            at = end
            while at > start and _is_word_char(text[at - 1]):
                at -= 1
            if _fold(text[at:end]) in guard.all_words:
                return True
        return False

    def _ending(self, text: str) -> tuple[str, str | None]:
        """`_ending(text)`, or "unknown" when the guards are off for this text (a search
        on a lower-cased slice could then see other words)."""
        if self.words is None:
            return "", None
        ending = self.endings.get(text)
        if ending is None:
            ending = self.endings[text] = _ending(text)
        return ending

    def _finditer(self, key: str, start: int, end: int) -> Iterator[re.Match[str]]:
        """Matches of phrase pattern `key` in text[start:end] (none when the guard rules
        them out)."""
        if not self._may(key, start, end):
            return iter(())
        return self.pats[key].finditer(self.text, start, end)

    def _comparator_before(self, segment: str) -> tuple[str | None, int]:
        """`_comparator_before`, once per segment of this text."""
        found = self.cmp_before.get(segment)
        if found is None:
            found = _comparator_before(segment, self._ending(segment))
            self.cmp_before[segment] = found
        return found

    # ------------------------------------------------------------------ mentions
    def _numeric_mentions(self, s0: int, s1: int) -> list[_Mention]:
        text = self.text
        pats = self.pats
        out: list[_Mention] = []
        skip_until = -1
        prev_end = s0
        for m in _NUMBER.finditer(text, s0, s1):
            if m.start() < skip_until:
                continue
            if _inside(m.start(), self.claimed_spans) or _inside(m.start(), self.scale_spans):
                continue
            if len(m.group(1)) > 1 and m.group(1).startswith("0"):
                continue  # a grade ("mindst 02 i dansk") or a code, not a value
            if (
                pats["list_dot"].match(text[m.end() : m.end() + 2])
                and not text[
                    text.rfind("\n", 0, m.start())
                    + 1 : m.start()  # the line before the number
                ].strip(" \t•*–-")
            ):
                self.list_spans.append((m.start(), m.end() + 1))
                continue  # "1. 90 % af de 25-årige …": a list number, not a value
            value = _number_value(m.group(1), m.group(2))
            after = text[m.end() : s1]
            before = text[s0 : m.start()]
            ending = self._ending(before)
            if pats["not_after"].match(after) or _search_tail("not_before", before, ending):
                continue
            if pats["not_before_pattern"].search(before[-30:]):
                continue  # "§ 101 og 107", "§§ 54-55": section numbers
            window = before[-40:]
            if _marker_may_end(self.guards["status_marker"], window, ":(=)–-") and pats[
                "status_marker"
            ].search(window):
                continue  # "Opfølgning 2022 - 72,3 %": a measurement, not a target
            if (
                self.scale
                and m.group(2) is None
                and int(m.group(1).replace(".", "") or 0) in self.scale
                and pats["scale_label"].match(text, m.end(), s1)
            ):
                continue  # "hvor 1 er meget utilfreds og 5 er meget tilfreds": scale labels
            if any(pattern.match(after) for pattern in pats["not_after_patterns"]):
                continue  # "0-5-årige"
            ordinal = pats["ordinal"].match(text[m.end() : m.end() + 4])
            if (
                ordinal
                and ordinal.group(1).islower()
                and not pats["ordinal_multiplier"].match(text[m.end() : m.end() + 8])
            ):
                continue  # ordinal ("3. klasse")
            unit, mult, end = _unit_at(text, m.end())
            if (
                unit is None
                and pats["grade"].match(after)
                and not pats["score_word"].search(before[-40:])
            ):
                continue  # "elever, som får mindst 2 i dansk": a grade in the population
            compound = pats["compound"].match(after) if unit is None else None
            if compound:
                unit = self.v["compound_units"][compound.group(1)]  # "12 sygefraværsdage"
            cmp, cmp_start = self._comparator_before(before)
            if cmp and pats["condition"].search(before[:cmp_start]):
                continue  # "byggeri med byggebudget over 20 mio.": a condition, not a target
            conditional = None
            if self._may("conditional_any", prev_end, m.start()):
                conditional = pats["conditional_any"].search(text, prev_end, m.start())
            if conditional and not pats["goal_naming"].search(text, conditional.end(), m.start()):
                continue  # "hvis alle initiativer … 92 %" is a projection, not a target
            if (
                unit is None
                and cmp is None
                and m.group(2) is None
                and 1900 <= value <= 2100
                and "." not in m.group(1)
            ):
                continue  # a year the time normaliser did not claim
            if (
                cmp is None
                and _search_tail("window_before", before, ending)
                and (unit in ("days", "weeks") or pats["window_unit"].match(after))
            ):
                continue  # measurement window ("inden for 5 hverdage")
            if (
                cmp is None
                and unit in ("days", "weeks", "months")
                and pats["window_after"].match(text[end:s1])
            ):
                continue  # "15 måneder efter 9. klasse" says when it is measured
            mention = _Mention(
                m.start(), end, value if mult == 1 else value * mult, unit or "", cmp
            )
            # "8 ud af 10" → 80 %
            ud_af = pats["ratio"].match(text[end:s1]) if unit is None else None
            if ud_af and int(ud_af.group(1)) > 0:
                mention.value = Fraction(value) * 100 / int(ud_af.group(1))
                mention.unit = "%"
                mention.end = end + ud_af.end()
                skip_until = mention.end
            # range "80-90 %" / "mellem 80 og 90 %"
            rng = pats["range"].match(text[end:s1]) if unit is None else None
            if rng:
                integer, _, dec = rng.group(1).partition(",")
                unit2, mult2, end2 = _unit_at(text, end + rng.end())
                upper = _number_value(integer, dec or None) * mult2
                is_between = _search_tail("range_between", before, ending)
                if unit2 and (is_between or rng.group().strip()[0] in "-–") and upper > value:
                    if is_between:
                        cmp_start = is_between.start()
                        cmp = ">="
                    mention.value = value * mult2
                    mention.value_max = upper
                    mention.unit = unit2
                    mention.end = end2
                    mention.comparator = ">="
                    skip_until = end2
            if mention.unit == "":
                self._count_unit(mention, before, s0, s1)
            if mention.unit in ("%", "") or mention.unit.startswith("count"):
                self._change_unit(mention, before, s0, s1)
            if mention.comparator is None:
                mention.comparator = _comparator_after(text[mention.end : s1])
                if mention.comparator is not None:  # "90 eller derunder" leaves the subject
                    tail = pats["cmp_after"].match(text[mention.end : s1])
                    if tail:
                        mention.extra_mask.append((mention.end, mention.end + tail.end()))
            if mention.comparator is None and _search_tail("level_down", before.rstrip(), ending):
                mention.comparator = "<="
            if mention.comparator is None and self._down_to_level(before, s0):
                mention.comparator = "<="  # "reducere antallet af rygere til 4 %"
            rank = None
            if mention.comparator is None:
                rank = _search_tail("rank_before", before, ending)
            if rank:
                mention.unit, mention.comparator = "rank", "<="
                if rank.group().strip().lower() in ("top", "nr.", "nummer"):
                    mention.extra_mask.append((s0 + rank.start(), m.start()))
            if mention.unit == "" and pats["rank_after"].match(text[mention.end : s1]):
                mention.unit, mention.comparator = "rank", "<="
            if mention.comparator is None and mention.unit in self.v["lower_is_better_units"]:
                mention.comparator = "<="  # a waiting time is met from below, like a rank
            mention.extra_mask.append((s0 + cmp_start if cmp else m.start(), mention.end))
            out.append(mention)
            prev_end = mention.end
        return out

    def _down_to_level(self, before: str, s0: int) -> bool:
        """True for '… reducere antallet af rygere til': a level reached by going down."""
        tail = before.rstrip().lower()
        if not _search_tail("level_link_end", tail, self._ending(before)):
            return False
        clause = self.pats["last_clause"].split(tail)[-1]
        if not self._may("down_before", s0, s0 + len(before)):
            return False
        return self.pats["down_before"].search(clause) is not None

    def _count_unit(self, mention: _Mention, before: str, s0: int, s1: int) -> None:
        """Unit for a number without a unit word: score, count per year or count."""
        after = self.text[mention.end : s1]
        window = before[-40:]
        if self.scale and mention.value <= self.scale[1]:
            mention.unit = f"score ({self.scale[0]}-{self.scale[1]})"
            return
        next_word = self.pats["next_word"].match(after)
        function_words = self.v["function_words"]
        noun_follows = next_word is not None and next_word.group(1).lower() not in function_words
        at = s0 + len(before)
        if (
            self._may("score_word", at - len(window), at)
            and self.pats["score_word"].search(window)
            and not noun_follows
        ):
            mention.unit = "score"  # "karaktergennemsnit på mindst 7,0"
            return
        if self._may("per_year", mention.end, s1) and self.pats["per_year"].search(
            " ".join(after.split()[:5])  # the next five words
        ):
            mention.unit = "count per year"
        elif self.pats["word_follows"].match(after):
            mention.unit = "count"

    def _change_unit(self, mention: _Mention, before: str, s0: int, s1: int) -> None:
        """'reduceres med 70 %' → %-reduction; 'øges med 200' → count-increase."""
        after = self.text[mention.end : s1]
        stripped = before
        if mention.comparator:
            _, cmp_start = self._comparator_before(before)
            stripped = before[:cmp_start]
        tail = ""
        ending = self._ending(stripped)
        if self.guards["level_link_end"].ends(ending):
            tail = stripped.rstrip().lower()
            if _search_tail("level_link_end", tail, ending):
                return  # a level ("reduceres til 5 %")
        direction = None
        down = up = None
        last_clause, ends_with_link = "", False
        may_down = self._may("down_before", s0, s0 + len(before))
        may_up = self._may("up_before", s0, s0 + len(before))
        if may_down or may_up:  # a change verb in the value's own clause, before it
            tail = tail or stripped.rstrip().lower()
            last_clause = self.pats["last_clause"].split(tail)[-1]
            if may_down:
                down = self.pats["down_before"].search(last_clause)
            if may_up:
                up = self.pats["up_before"].search(last_clause)
        if down or up:
            ends_with_link = self.pats["change_link_end"].search(tail) is not None
        if down and (ends_with_link or down.end() == len(last_clause)):
            direction = "down"
        elif up and (ends_with_link or up.end() == len(last_clause)):
            direction = "up"
        elif self.pats["down_after"].match(after) and mention.unit == "%":
            direction = "down"
        elif self.pats["up_after"].match(after):
            direction = "up"
        if direction is None:
            return
        if mention.unit == "%":
            mention.unit = "%-reduction" if direction == "down" else "%-increase"
        elif mention.unit.startswith("count") and direction == "up":
            mention.unit = "count-increase"

    def _word_mentions(self, s0: int, s1: int, numeric: list[_Mention]) -> list[_Mention]:
        """Fraction words, number words, change words, ingen (== 0) and a leading alle."""
        text = self.text
        out: list[_Mention] = []
        taken = [(m.start, m.end) for m in numeric]
        for m in self._finditer("fraction_word", s0, s1):
            if _inside(m.start(), taken):
                continue
            value = Fraction(self.v["fraction_words"][_vocab_key(m.group())]).limit_denominator(
                1000
            )
            cmp, cmp_start = self._comparator_before(text[s0 : m.start()])
            mention = _Mention(m.start(), m.end(), value, "%", cmp)
            self._change_unit(mention, text[s0 : m.start()], s0, s1)  # "reduceres med en tredjedel"
            mention.extra_mask.append((s0 + cmp_start if cmp else m.start(), m.end()))
            out.append(mention)
        for m in self._finditer("number_word", s0, s1):
            if _inside(m.start(), taken):
                continue
            before = text[s0 : m.start()]
            cmp, cmp_start = self._comparator_before(before)
            unit, mult, end = _unit_at(text, m.end())
            if cmp is None and unit is None:
                continue  # "en", "to" … are values only after a comparator or before a unit
            if cmp is None and (
                _search_tail("level_down", before.rstrip(), self._ending(before))
                or self._down_to_level(before, s0)
            ):
                cmp = "<="  # "skal ned på fem procent", like "ned på 5 procent"
            if unit is None and m.group().lower() in _lowered("not_value_words_alone"):
                continue  # "mindst en gang om ugen", "minimum en ungdomsuddannelse"
            value = Fraction(self.v["number_words"][_vocab_key(m.group())]) * mult
            mention = _Mention(m.start(), end, value, unit or "", cmp)
            if unit is None:
                self._count_unit(mention, text[s0 : m.start()], s0, s1)
                mention.unit = mention.unit or "count"
            if mention.unit == "%":
                self._change_unit(mention, text[s0 : m.start()], s0, s1)
            mention.extra_mask.append((s0 + cmp_start if cmp else m.start(), end))
            out.append(mention)
        for m in self._finditer("change_word", s0, s1):
            spec = self.v["change_words"][_vocab_key(m.group())]
            mention = _Mention(m.start(), m.end(), Fraction(spec["value"]), spec["unit"], ">=")
            mention.extra_mask.append((m.start(), m.end()))
            mention.change_word = True
            out.append(mention)
        none = None
        if self._may("none_word", s0, s1):
            none = self.pats["none_word"].search(text, s0, s1)
        if (
            none
            and not any(m.start < none.start() for m in numeric)
            and all(self._opens_sibling(none.end(), m.start) for m in out)
        ):
            # "Ingen børn venter mere end 3 måneder": == 0; the numbers are its condition;
            # "ingen unge … ryger og kun 5 % af de voksne …": the 5 % is a sibling target.
            mention = _Mention(none.start(), none.end(), Fraction(0), "count", "==")
            mention.extra_mask.append((none.start(), none.end()))
            mention.absorbs = True
            out.append(mention)
            return out
        if not out:
            lead_ins = _word_set("all_lead_ins")
            for m in self._finditer("all_word", s0, s1):
                before_numeric = [n for n in numeric if n.start < m.start()]
                if before_numeric and not self._separated(before_numeric[-1].end, m.start()):
                    continue  # "80 % af alle elever": part of the share's population
                if any(n.start > m.start() for n in numeric):
                    continue  # "alle" before a value is its subject, not a target
                if self._direction_only(m.end(), s1):
                    continue  # "at alle børns skolefravær falder": a direction, no level
                lead = _mask(text[s0 : m.start()], self._local_spans(s0, m.start()))
                lead = self.pats["last_clause_i"].split(lead)[-1]
                words = [w.lower().strip(",") for w in lead.split()]
                if all(w in lead_ins or not any(ch.isalnum() for ch in w) for w in words):
                    mention = _Mention(m.start(), m.end(), Fraction(100), "%", "==")
                    mention.own_clause = True
                    mention.extra_mask.append((m.start(), m.end()))
                    out.append(mention)
                    break
        return out

    def _opens_sibling(self, start: int, at: int) -> bool:
        """True when the value at `at` opens a new coordinated clause after `start`, alone
        or after its comparator ("…, og kun 5 %", "og højst 10 %"), so it is a target of
        its own rather than a condition of the clause before it."""
        between = self.text[start:at]
        cuts = list(self.pats["sibling_cut"].finditer(between))
        if not cuts:
            return False
        rest = between[cuts[-1].end() :]
        if not rest.strip():
            return True
        cmp, cmp_start = self._comparator_before(rest)
        return cmp is not None and not rest[:cmp_start].strip()

    def _direction_only(self, start: int, s1: int) -> bool:
        """True when the clause from `start` says only which way a measure should move
        ("… skolefravær falder", "… karaktergennemsnit … stiger"): CONVENTIONS.md gives a
        direction-only goal no target, also when 'alle' opens it."""
        cut = _CLAUSE_CUT.search(self.text, start, s1)
        end = cut.start() if cut else s1
        if not self._may("direction_verb", start, end):
            return False
        return self.pats["direction_verb"].search(self.text, start, end) is not None

    def _local_spans(self, s0: int, s1: int) -> list[tuple[int, int]]:
        """Period spans inside [s0, s1), shifted to start at s0."""
        return [(a - s0, b - s0) for a, b in self.period_spans if a >= s0 and b <= s1]

    # ------------------------------------------------------------------ assembly
    def run(self) -> list[Target]:
        mentions: list[_Mention] = []
        sentences = _sentences(self.text)
        for index, (s0, s1) in enumerate(sentences):
            if self.pats["conditional"].match(self.text[s0:s1]):
                continue  # a conditional projection is not a target
            if self.text[s0:s1].rstrip().endswith("?"):
                continue  # a question ("Hvor meget rykker et fald fra 19,9 til 19 %?")
            numeric = self._numeric_mentions(s0, s1) if _DIGIT.search(self.text, s0, s1) else []
            words = self._word_mentions(s0, s1, numeric)
            found = sorted(numeric + words, key=lambda m: m.start)
            if found and self._is_status(s0, s1):  # "De seneste tal fra 2016 viser, at ca. 30 pct."
                found = self._limits_only(found, s0)
            kept: list[_Mention] = []
            for mention in found:
                if kept and self._restated_in_parens(kept[-1], mention):
                    close = self.text.index(")", mention.end) + 1
                    self.list_spans.append((kept[-1].end, close))  # not in the subject
                    continue  # "14 hverdage (2 uger)"
                if kept and self._in_share_phrase(kept[-1], mention, s1):
                    continue  # "95 % af alle unge … mindst en uddannelse": part of the subject
                if (
                    kept
                    and kept[-1].absorbs
                    and not self._opens_sibling(kept[-1].end, mention.start)
                ):
                    continue  # "Ingen børn og unge venter mere end 3 måneder": its condition
                kept.append(mention)
            for mention in kept:
                mention.sentence = index
            self._baselines(kept, s0, s1)
            kept = [m for m in kept if not self._restated(m, kept)]
            kept = [m for m in kept if m.is_baseline or not self._reported_clause(m, s0, s1)]
            if mentions or kept:  # "… med mindst 25 %. Det svarer til en andel på højst 9 %."
                kept = self._drop_restatements(kept, s0, s1, bool(mentions))
            self._coordinated_changes(kept)
            self._relative_to(kept, s0, s1)
            mentions += [m for m in kept if not m.is_baseline]
        self._inherit(mentions, sentences)
        self._timing(mentions, sentences)
        self._subjects(mentions, sentences)
        return [self._target(m) for m in mentions]

    def _is_status(self, s0: int, s1: int) -> bool:
        """A sentence that reports a measured state (past tense, 'viser', 'forventes', 'i
        dag') and names no goal ('skal', 'mål', …) states no target."""
        known = self.status.get((s0, s1))
        if known is not None:
            return known
        sentence = self.text[s0:s1]
        reports = (
            self._may("status_verb", s0, s1) and self.pats["status_verb"].search(sentence)
        ) or (self._may("status_clause", s0, s1) and self.pats["status_clause"].search(sentence))
        status = bool(reports) and not (
            self._may("target_marker", s0, s1) and self.pats["target_marker"].search(sentence)
        )
        self.status[(s0, s1)] = status
        return status

    def _opens_with_status(self, clause: str, words: set[str] | None) -> re.Match[str] | None:
        """'men i dag …', 'med en nuværende …': a clause that opens by dating itself now
        (not "de børn, der er 13-14 år i dag", where the words describe the population).
        `words`: the folded words `clause` may hold (None: unknown)."""
        if not self.guards["status_clause"].present(words, clause):
            return None
        marker = self.pats["status_clause"].search(clause)
        if marker and len(clause[: marker.start()].split()) <= 2:
            return marker
        return None

    def _reported_clause(self, mention: _Mention, s0: int, s1: int) -> bool:
        """In a sentence that also names a goal, a clause that reports the present state
        ("Målet er under 5 % i 2030, men i dag ryger 22 %", "det seneste år er … faldet med
        0,6 procentpoint") holds no target, unless the value has its own comparator."""
        if not self._may("status_clause", s0, s1):
            return False  # no clause of the sentence can open with a status marker
        text = self.text
        cuts = [c.end() for c in _CLAUSE_CUT.finditer(text, s0, mention.start)]
        a = max(cuts, default=s0)
        after = _CLAUSE_CUT.search(text, mention.end, s1)
        b = after.start() if after else s1
        clause = text[a:b]
        if not self._opens_with_status(clause, self._words_in(a, b)):
            return False  # past tense alone is not enough: "mål om, at 96 % … skulle gå …"
        if self._may("target_marker", a, b) and self.pats["target_marker"].search(clause):
            return False
        explicit, _ = self._comparator_before(text[a : mention.start])
        return explicit is None and not (
            self._may("limit_phrase", a, mention.start)
            and self.pats["limit_phrase"].search(text, a, mention.start)
        )

    def _drop_restatements(
        self, kept: list[_Mention], s0: int, s1: int, earlier: bool
    ) -> list[_Mention]:
        """A value in a clause that opens with "det svarer til", "hvilket svarer til", … after
        a target restates that target in other terms ("… reduceres med mindst 25 procent. Det
        svarer til et niveau på højst 4000 personer"); it is not a second target."""
        if not self._may("restatement", s0, s1):
            return kept
        out: list[_Mention] = []
        start = s0
        for mention in kept:
            if mention.is_baseline:
                out.append(mention)
                continue
            before = earlier or any(not m.is_baseline for m in out)
            opener = self.pats["restatement"].search(self.text, start, mention.start)
            lead = ""
            if opener:  # the opener's own clause: ", hvilket svarer til …" opens one too
                cuts = [c.end() for c in _CLAUSE_CUT.finditer(self.text, start, opener.start())]
                lead = self.text[max(cuts, default=start) : opener.start()]
            if before and opener and len(_WORD_RUN.findall(lead)) <= 1:
                continue  # at most one word ("Det", "og") before the opener
            out.append(mention)
            start = mention.end
        return out

    def _limits_only(self, found: list[_Mention], s0: int) -> list[_Mention]:
        """In a reporting sentence only a stated limit is a target: "tidsgrænsen … er sat til
        30 dage, var den typiske ventetid … 46 dage" keeps the 30 days, and so does a value
        with its own comparator ("…, der var i job, er mindst 60 %")."""
        kept = []
        start = s0
        for mention in found:
            explicit, _ = self._comparator_before(self.text[start : mention.start])
            if explicit in ("<=", ">=", "<") or (
                self._may("limit_phrase", start, mention.start)
                and self.pats["limit_phrase"].search(self.text, start, mention.start)
            ):
                kept.append(mention)  # "…, der var i job, er mindst 60 %" states a goal
            start = mention.end
        verb = self.pats["status_verb"].search(self.text, s0, found[-1].end if found else s0)
        if verb:  # "…, var den typiske ventetid 46 dage i 2. kvartal i 2022": no deadline
            for period in self.periods:
                a = period.span[0]
                reported = a >= verb.start() and a <= found[-1].end + 40
                if reported and not any(verb.start() <= m.start <= a for m in kept):
                    self._consume_year(*period.span)
        return kept

    def _restated_in_parens(self, left: _Mention, right: _Mention) -> bool:
        """'14 hverdage (2 uger)': a duration converted in brackets is the same target."""
        units = self.v["restatement_units"]
        if left.unit not in units or right.unit not in units:
            return False
        gap = self.text[left.end : right.start]
        opens = self.pats["paren_open"].fullmatch(gap)
        return bool(opens) and self.text[right.end :].lstrip()[:1] == ")"

    def _coordinated_changes(self, mentions: list[_Mention]) -> None:
        """'reduceret med 50 % i 2030 og med 100 % i 2045': the second is a change too."""
        for left, right in itertools.pairwise(mentions):
            gap = self.text[left.end : right.start]
            if (
                right.unit == "%"
                and left.unit in ("%-reduction", "%-increase")
                and self.pats["coordinated_change"].search(gap)
            ):
                right.unit = left.unit

    def _restated(self, mention: _Mention, mentions: list[_Mention]) -> bool:
        """'halveres fra 40 til 20': the change word is stated exactly by the values after it."""
        if not mention.change_word:
            return False
        later = [m for m in mentions if m.start > mention.start and not m.is_baseline]
        return (
            bool(later)
            and later[0].baseline is not None
            and not self._separated(mention.end, later[0].start)
        )

    def _separated(self, start: int, end: int) -> bool:
        """True when a clause separator lies between two positions."""
        known = self.separated.get((start, end))
        if known is not None:
            return known
        between = self.text[start:end]
        found = False
        for marks, guard, tier in _split_tiers():
            if marks:  # ";" or ",": no regex needed
                found = any(mark in between for mark in marks)
            else:
                found = _holds(guard, between, self.plain) and tier.search(between) is not None
            if found:
                break
        self.separated[(start, end)] = found
        return found

    def _in_share_phrase(self, share: _Mention, word: _Mention, s1: int) -> bool:
        """True when `word` sits in the 'N % af …' phrase of `share`, before any new clause."""
        if share.unit != "%":
            return False
        share_of = self.pats["share_of"].match(self.text[share.end : s1])
        if not share_of and word.unit == share.unit:
            return False  # "60 % … og 95 %" are siblings; "10 % venter over 4 uger" is not
        between = self.text[share.end : word.start]
        if _search_tail("baseline_to_end", between, self._ending(between)):
            return False  # "fra 21,5 procent af befolkningen til 19 procent": the new level
        if self._marker_may(between[-40:]) and self.pats["baseline_marker"].search(between[-40:]):
            return False  # "(baseline 2024: 78 %)" belongs to the target, not its subject
        return not self._separated(share.end, word.start)

    def _baselines(self, mentions: list[_Mention], s0: int, s1: int) -> None:
        """'fra 40 % til 55 %' and '(baseline 2023: 40 %)' become the next target's baseline."""
        text = self.text
        pats = self.pats
        for i, mention in enumerate(mentions):
            before = text[s0 : mention.start]
            nxt = mentions[i + 1] if i + 1 < len(mentions) else None
            prv = mentions[i - 1] if i > 0 else None
            year_match = pats["baseline_year"].match(text[mention.end : s1])
            target: _Mention | None = None
            year = None
            fra = _search_tail("baseline_from", before, self._ending(before))
            fra_range = None
            if before.rstrip()[-1:] in ("-", "–"):  # "fra 20-", "fra seks-"
                fra_range = pats["baseline_from_range"].search(before)
            fra = fra or fra_range
            if (
                not fra
                and nxt is not None
                and nxt.comparator is not None
                and self._may("level_down", mention.end, nxt.start)
                and pats["level_down_only"].match(text, mention.end, nxt.start)
            ):
                target = nxt  # "tallet på 5,5 % reduceres til 2,75 %": the level it starts from
                link = pats["link_end"].search(text, s0, mention.start)
                nxt.extra_mask.append((link.start() if link else mention.start, mention.end))
            elif (
                fra
                and nxt is not None
                and self._may("baseline_to", mention.end, nxt.start)
                and pats["baseline_to"].search(text[mention.end : nxt.start])
            ):
                target = nxt
                if year_match:
                    year = int(year_match.group(1))
                    self._consume_year(mention.end, mention.end + year_match.end())
                nxt.extra_mask.append((s0 + fra.start(), mention.end))
            if target is None:
                marker = None
                if self._marker_may(before[-40:]):
                    marker = pats["baseline_marker"].search(before[-40:])
                candidate = prv if prv is not None and not prv.is_baseline else nxt
                if marker and candidate is None and not self._marker_is_level(marker):
                    mention.is_baseline = True  # "Baseline: 76,4 %" alone states no target
                    continue
                if marker and candidate is not None:
                    target = candidate
                    marker_start = mention.start - len(before[-40:]) + marker.start()
                    if marker.group(2):
                        year = int(marker.group(2))
                        self._consume_year(marker_start, mention.start)
                    elif year_match:
                        year = int(year_match.group(1))
                        self._consume_year(mention.end, mention.end + year_match.end())
                    target.extra_mask.append((marker_start, mention.end))
            if target is None:
                continue
            mention.is_baseline = True
            self.baseline_spans.append((mention.start, mention.end))
            if not (fra and fra is fra_range):  # "fra seks-syv procent" is no single baseline
                target.baseline, target.baseline_year = mention.value, year
            if target.unit in ("", "count") and mention.unit:
                target.unit = mention.unit
            if target.comparator is None:  # "fra 7 % til 3,5 %" is met from below
                target.comparator = "<=" if target.value < mention.value else ">="

    @staticmethod
    def _marker_is_level(marker: re.Match[str]) -> bool:
        """'niveau'/'mod' also introduce a goal level ("på niveau 4"): only a clear baseline
        word makes a lone value a baseline."""
        word = marker.group(1).strip().lower()
        return word in ("niveau", "mod", "(")

    def _consume_year(self, start: int, end: int) -> None:
        for k, period in enumerate(self.periods):
            a, b = period.span
            if a < end and b > start:
                self.consumed_periods.add(k)

    def _relative_to(self, mentions: list[_Mention], s0: int, s1: int) -> None:
        for match in self._finditer("year_span", s0, s1):  # "reduceres med 15 % fra 2024 til 2027"
            for mention in mentions:
                if (
                    mention.unit.endswith(("-reduction", "-increase"))
                    and mention.end <= match.start()
                ):
                    mention.relative_to = mention.relative_to or int(match.group(1))
        for match in self._finditer("relative_to", s0, s1):
            year = int(match.group(2))
            self._consume_year(match.start(2), match.end(2))
            changes = [m for m in mentions if m.unit.endswith(("-reduction", "-increase"))]
            changes = changes or [m for m in mentions if m.unit == "pp"]
            for mention in changes:
                mention.relative_to = year
            for mention in mentions:
                mention.extra_mask.append((match.start(), match.end()))

    def _inherit(self, mentions: list[_Mention], sentences: list[tuple[int, int]]) -> None:
        """A bare value takes its coordinated sibling's comparator (and unit if it has none)."""
        for i, mention in enumerate(mentions):
            prev = mentions[i - 1] if i > 0 else None
            if mention.unit == "" and prev is not None:
                mention.unit = prev.unit
            mention.unit = mention.unit or "count"
            if mention.comparator is not None:
                continue
            if prev is not None and prev.unit == mention.unit:
                same = prev.sentence == mention.sentence
                s0, s1 = sentences[mention.sentence]
                if same or not self._has_own_subject(mention, s0, s1):
                    mention.comparator = prev.comparator
                    continue
            mention.comparator = ">="

    def _has_own_subject(self, mention: _Mention, s0: int, s1: int) -> bool:
        masks = list(self.period_spans) + mention.extra_mask
        masks += [(m.start(), m.end()) for m in self._finditer("long_term", s0, s1)]
        masked = _mask(self.text, masks)
        return bool(_clean_subject(masked[s0:s1]))

    def _timing(self, mentions: list[_Mention], sentences: list[tuple[int, int]]) -> None:
        """Long-term markers and deadlines: nearest in the sentence, else the sibling's."""
        if not mentions:
            return  # nothing to date (and no need to read the dates again)
        periods = self.periods
        if self.consumed_periods:
            # Read the dates again without the baseline/reference years: "300 i 2017
            # (2015: 340)" must not let the baseline year overrule the deadline.
            blanks = [self.periods[k].span for k in self.consumed_periods]
            periods = _periods(_blank(self.text, blanks + self.baseline_spans), self.reference)
        usable = [
            (k, p)
            for k, p in enumerate(periods)
            if p.due is not None and (p.commits or self._goal_period(p))
        ]
        for index, (s0, s1) in enumerate(sentences):
            in_sentence = [m for m in mentions if m.sentence == index]
            if not in_sentence:
                continue
            for marker in self._finditer("long_term", s0, s1):
                after = [m for m in in_sentence if m.start >= marker.end()]
                chosen = after[0] if after else in_sentence[-1]
                chosen.long_term = True
            local = [p for _, p in usable if s0 <= p.span[0] < s1]
            bounds = self._split_points(in_sentence, s0, s1)
            for k, mention in enumerate(in_sentence):
                if mention.long_term or not local:
                    continue
                own = [p for p in local if bounds[k] <= p.span[0] < bounds[k + 1]]
                candidates = own or local
                # "har i 2017 fastsat en målsætning om, at mindst 90 % … i 2030": a period in
                # an earlier clause yields to one in the target's own clause.
                same_clause = [
                    p
                    for p in candidates
                    if p.span[1] > mention.start or not self._separated(p.span[1], mention.start)
                ]
                nearest = min(
                    same_clause or candidates,
                    key=lambda p: min(abs(p.span[0] - mention.end), abs(mention.start - p.span[1])),
                )
                mention.deadline = self._latest_coordinated(nearest, candidates).due
        cell_deadline = next((p.due for _, p in usable), None)
        previous: _Mention | None = None
        for mention in mentions:
            if mention.deadline is None and not mention.long_term:
                if previous is not None and previous.deadline is not None:
                    mention.deadline = previous.deadline
                elif previous is None:
                    mention.deadline = cell_deadline
            previous = mention

    def _latest_coordinated(self, period: Period, candidates: list[Period]) -> Period:
        """'i 2026 og 2027': a target held over coordinated periods is due at the last one."""
        joiners = self.pats["period_joiners"]
        changed = True
        while changed:
            changed = False
            for other in candidates:
                gap = self.text[period.span[1] : other.span[0]]
                if other.span[0] >= period.span[1] and joiners.fullmatch(gap):
                    period, changed = other, True
        return period

    def _goal_period(self, period: Period) -> bool:
        """'mål for 2021', 'en vision for 2025': the year a goal is set for is its deadline."""
        a = period.span[0]
        head = period.text.split()[0] if period.text.split() else ""
        if self.pats["goal_suffix"].match(self.text, period.span[1]):
            return True  # "sit 2030-mål om …", "2022-målet"
        lead = self.text[max(0, a - 30) : a] + head
        return bool(_search_tail("goal_lead", lead, self._ending(lead)))

    def _split_points(self, mentions: list[_Mention], s0: int, s1: int) -> list[int]:
        """Where one target's clause ends and the next one's begins, inside a sentence."""
        known = self.bounds.get((s0, s1, len(mentions)))
        if known is not None:  # asked again for the subjects, after the timing
            return known
        points = []
        for left, right in itertools.pairwise(mentions):
            first = min([right.start] + [a for a, _ in right.extra_mask if a >= left.end])
            gap = self.text[left.end : first]
            cut = first
            for marks, guard, tier in _split_tiers():  # the strongest separator present wins
                if marks:  # the last one of single characters: no regex needed
                    last = max(gap.rfind(mark) for mark in marks)
                    if last >= 0:
                        cut = left.end + last
                        break
                    continue
                if not _holds(guard, gap, self.plain):
                    continue
                found = list(tier.finditer(gap))
                if found:
                    cut = left.end + found[-1].start()
                    break
            points.append(cut)
        bounds = self.bounds[(s0, s1, len(mentions))] = [s0, *points, s1]
        return bounds

    def _subjects(self, mentions: list[_Mention], sentences: list[tuple[int, int]]) -> None:
        """The words saying what is measured: the target's clause minus value and timing."""
        if not mentions:
            return
        text = self.text
        masks = [  # dated periods leave the subject; "inden for 5 hverdage" stays in it
            tuple(p.span) for p in self.periods if p.kind not in ("vague", "recurring")
        ]
        for s0, s1 in sentences:
            masks += [(m.start(), m.end()) for m in self._finditer("long_term", s0, s1)]
            masks += [(m.start(), m.end()) for m in self._finditer("relative_to", s0, s1)]
        masks += self.scale_spans + self.list_spans
        masks += [(m.start(), m.end()) for m in self.pats["reference"].finditer(text)]  # "§ 87"
        for period in self.periods:  # "2030-mål om …": the label goes with its year
            suffix = self.pats["goal_suffix"].match(text, period.span[1])
            if suffix and period.span != (0, 0):
                masks.append((period.span[1], suffix.end()))
        for mention in mentions:
            masks += mention.extra_mask
        masked = _mask(text, masks)
        # Masking splits words, so the guards below use the masked text's own words.
        masked_words = None
        if self.words is not None:  # its characters are the text's: no rare case to fold
            masked_words = set(_WORD_RUN.findall(masked.lower() if self.plain else _fold(masked)))

        def words_in(start: int, end: int) -> set[str] | None:
            for at in (start, end):
                inside = 0 < at < len(masked)
                if inside and _is_word_char(masked[at - 1]) and _is_word_char(masked[at]):
                    return None
            return masked_words

        guards = self.guards
        anaphoric = _word_set("anaphoric_subjects")
        previous = ""
        empty: list[_Mention] = []
        for index, (s0, s1) in enumerate(sentences):
            in_sentence = [m for m in mentions if m.sentence == index]
            if not in_sentence:
                continue
            bounds = self._split_points(in_sentence, s0, s1)
            reporting = self._is_status(s0, s1)
            for k, mention in enumerate(in_sentence):
                a, b = bounds[k], bounds[k + 1]
                if k == 0:  # "…, og de skal ligge under 12 dage": the target's own clause
                    lead = text[a : mention.start]
                    strong = [
                        m
                        for guard, tier in zip(
                            guards["clause_split"][:2], self.pats["clause_split"][:2], strict=True
                        )
                        if _holds(guard, lead, self.plain)
                        for m in tier.finditer(text, a, mention.start)
                    ]
                    if strong:
                        a = max(m.end() for m in strong)
                after = masked[mention.end : b]
                before = masked[a : mention.start]
                # Every cut of `after` below falls before a non-word character or a phrase
                # that starts a word, so its words stay among these.
                after_words = words_in(mention.end, b)
                conditional = None
                if guards["conditional_any"].present(after_words, after):
                    conditional = self.pats["conditional_any"].search(after)
                if conditional:  # "…, og hvis alle initiativer …" is not what is measured
                    after = after[: conditional.start()]
                stop = None
                if guards["subject_stop"].present(after_words, after):
                    stop = self.pats["subject_stop"].search(after)
                if stop:  # "…, svarende til 54.626 tons CO2" restates the target
                    after = after[: stop.start()]
                status = None
                if reporting and guards["status_verb"].present(after_words, after):
                    status = self.pats["status_verb"].search(after)
                if status:  # "… er sat til 30 dage, var den typiske ventetid …" reports
                    after = after[: status.start()]
                opens = guards["status_clause"].present(after_words, after)
                for cut in _CLAUSE_CUT.finditer(after) if opens else ():
                    if self._opens_with_status(after[cut.end() :], after_words):
                        after = after[: cut.start()]  # "…, med en nuværende rate på 59 %"
                        break
                strong = [
                    tier.search(after)
                    for tier_guard, tier in zip(
                        guards["clause_split"][:2], self.pats["clause_split"][:2], strict=True
                    )
                    if _holds(tier_guard, after, self.plain)
                ]
                strong = [m for m in strong if m]
                if strong:  # "…, og at det tilskyndes, at …" is another statement
                    after = after[: min(m.start() for m in strong)]
                if mention.own_clause:
                    before = ""  # only lead-in words stand before "alle"
                share = self.pats["share_of"].match(after)
                opener = []
                if guards["subject_openers"].present(words_in(a, mention.start), before):
                    opener = list(self.pats["subject_openers"].finditer(before))
                own = before[opener[-1].end() :] if opener else before
                verb = _clean_subject(own) if share else ""  # only read before "N % af"
                if share and (not verb or (" " not in verb and verb.lower() in self.verbs)):
                    region = after[share.end() :]  # "80 % af medlemmerne …": the population
                    if verb:  # "I 2026 oplever 70 % af forældrene …" → "forældrene oplever …"
                        words = region.split()
                        articles = self.v["words"]["articles"]
                        at = 2 if words and words[0].lower() in articles else 1
                        region = " ".join([*words[:at], verb, *words[at:]])
                else:  # "…, så udgifterne reduceres med 3 mia. kr.": from the last opener on
                    region = own + " " + after
                subject = _clean_subject(region)
                if not subject and k + 1 < len(in_sentence):
                    empty.append(mention)  # "80 % i 2016, 85 % i 2017 og 90 % … af borgerne"
                    continue
                if not subject or subject.lower() in anaphoric:
                    subject = previous or subject
                for waiting in empty:
                    waiting.subject = subject
                empty.clear()
                mention.subject = subject
                previous = subject
            for waiting in empty:
                waiting.subject = previous
            empty.clear()

    def _target(self, m: _Mention) -> Target:
        horizon = (
            Horizon.LONG_TERM
            if m.long_term
            else Horizon.DEADLINE
            if m.deadline is not None
            else Horizon.NONE
        )
        baseline = None
        if m.baseline is not None:
            baseline = Baseline(value=_as_float(m.baseline), year=m.baseline_year)
        return Target(
            comparator=_COMPARATORS[m.comparator or ">="],
            value=_as_float(m.value),
            unit=m.unit,
            deadline=None if m.long_term else m.deadline,
            horizon=horizon,
            subject=m.subject,
            baseline=baseline,
            relative_to=m.relative_to,
            value_max=_as_float(m.value_max) if m.value_max is not None else None,
            text=self.text,
        )


_COMPARATORS = {c.value: c for c in Comparator}


def _as_float(value: Fraction | int) -> float:
    """Exact values become floats only at the edge (80 stays 80.0; 1/3 → 33.33…)."""
    return float(value)


def fill_targets(plan: Plan) -> Plan:
    """A copy of `plan` whose action goals without targets get them from their criterion.

    Yearless expressions are dated against 1 January of the plan year (CONVENTIONS.md),
    or left without a deadline when the plan has no year.
    """
    year = plan.plan_year
    reference = dt.date(year, 1, 1) if year else None
    copy = plan.model_copy(deep=True)
    for goal in copy.action_goals():
        if not goal.targets and goal.criteria.text.strip():
            goal.targets = parse_targets(goal.criteria.text, reference)
    return copy


# ---------------------------------------------------------------------- SMART checks


@dataclass(frozen=True, slots=True)
class SmartIssue:
    """One SMART problem with a criterion cell; `code` is stable, `detail` quotes the cell."""

    code: str
    target_index: int | None = None
    detail: str = ""


def evaluation_kinds(evaluation: str) -> set[str]:
    """Which kinds of evidence an evaluation text (column E) can produce.

    'survey' (a questionnaire or measurement of opinions), 'register' (counted or
    registered data) and 'qualitative' (dialogue, meetings) — from `criteria_da.json`.
    """
    kinds = set()
    text = re.sub(r"\s+", " ", evaluation or "").lower()
    for kind, words in vocabulary()["evaluation"].items():
        if re.search(_phrase_pattern(words), text, re.IGNORECASE):
            kinds.add(kind)
    return kinds


def _is_opinion(target: Target) -> bool:
    pattern = _phrase_pattern(vocabulary()["opinion_verbs"])
    return re.search(pattern, target.subject, re.IGNORECASE) is not None


def smart_issues(
    criteria: str,
    evaluation: str = "",
    targets: list[Target] | None = None,
    reference: dt.date | None = None,
) -> list[SmartIssue]:
    """SMART problems of one matrix row: its criterion (D) against its evaluation (E).

    Codes: `no_target` (nothing measurable), `no_timing` (a target with neither deadline
    nor horizon), `only_long_term` (every target is 'på længere sigt'), `needs_survey`
    (opinions of people measured without a survey), `method_cannot_measure` (E names only
    dialogue/meetings, which cannot produce a number).
    """
    if not criteria or not criteria.strip():
        return []  # an empty cell is a completeness problem, reported elsewhere
    if targets is None:
        targets = parse_targets(criteria, reference)
    if not targets:
        return [SmartIssue("no_target", None, criteria.strip()[:120])]
    issues: list[SmartIssue] = []
    for index, target in enumerate(targets):
        if target.horizon == Horizon.NONE and target.deadline is None:
            issues.append(SmartIssue("no_timing", index, _describe(target)))
    if all(t.horizon == Horizon.LONG_TERM for t in targets):
        issues.append(SmartIssue("only_long_term", None, _describe(targets[0])))
    if evaluation and evaluation.strip():
        kinds = evaluation_kinds(evaluation)
        quantitative = kinds & {"survey", "register"}
        if not quantitative:
            issues.append(SmartIssue("method_cannot_measure", None, evaluation.strip()[:120]))
        else:
            for index, target in enumerate(targets):
                if _is_opinion(target) and "survey" not in kinds:
                    issues.append(SmartIssue("needs_survey", index, _describe(target)))
    return issues


def _describe(target: Target) -> str:
    value = f"{target.value:g}"
    return f"{target.comparator.value} {value} {target.unit} ({target.subject[:60]})"
