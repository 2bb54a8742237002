"""The parser's shortcuts (guards, folded regexes) find exactly what the full scans find.

The fast paths read the lower-cased text with case-sensitive regexes instead of the text with
re.IGNORECASE, and skip scans whose words are absent. That is only sound if lower() agrees with
the regex engine's case folding on every character the text may hold; the first tests check
that over all of Unicode, the rest compare shortcut and full scan on real texts.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
from functools import cache
from pathlib import Path

import pytest

from xlgoals import milestones as ms
from xlgoals import timeexpr as te

DATA = Path(__file__).parent / "data"
SEED = Path(__file__).parent.parent / "workbook"
UNSAFE = {"\u0130", "\u0131", "\u017f"}  # İ ı ſ: the texts _fold refuses


@cache
def every_character() -> str:
    return "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i < 0xE000)


def vocabulary_characters() -> set[str]:
    """Every character of the time and done-marker vocabularies, and of their regexes."""
    texts = json.dumps(te.vocabulary(), ensure_ascii=False)
    texts += json.dumps(ms.done_vocabulary(), ensure_ascii=False)
    p = te._patterns()
    texts += p.atom_source + p.word_start.pattern + p.prefix.pattern + p.vague.pattern
    return set(texts)


@cache
def real_texts() -> list[str]:
    """The gold expressions, the seed workbook's plan lines and the criteria texts."""
    with (DATA / "time_gold.tsv").open(encoding="utf-8", newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle, delimiter="\t")]
    for name in ("criteria_gold.json", "criteria_heldout.json"):
        data = json.loads((DATA / name).read_text("utf-8"))
        items = data["items"] if isinstance(data, dict) else data
        texts += [item["text"] for item in items if isinstance(item, dict) and "text" in item]
    assert len(texts) > 1000
    return texts


def test_lower_agrees_with_ignorecase_on_vocabulary_characters() -> None:
    """A character the engine (re.IGNORECASE) equates with a vocabulary character lowers to
    the same character as it, unless it is one of the three _fold refuses."""
    everything = every_character()
    wrong = set()
    for char in vocabulary_characters():
        for m in re.finditer(re.escape(char), everything, re.IGNORECASE):
            other = m.group()
            if other.lower() != char.lower():
                wrong.add(other)
    assert wrong <= UNSAFE
    assert {c for c in UNSAFE if te._fold(f"x{c}x") is not None} == set()


def test_lower_keeps_character_classes() -> None:
    """\\w, \\d, \\s, letters and the casefold (used by _norm) survive lower() on every
    character _fold accepts, and lower() keeps its length (so spans agree)."""
    everything = "".join(c for c in every_character() if c not in UNSAFE)
    lowered = everything.lower()
    assert len(lowered) == len(everything)
    for cls in (r"\w", r"\d", r"\s", r"[^\W\d_]", r"\b"):
        regex = re.compile(cls)
        spans = [m.span() for m in regex.finditer(everything)]
        assert spans == [m.span() for m in regex.finditer(lowered)], cls
    changed = [c for c in everything if c.lower() != c]
    assert all(c.casefold() == c.lower().casefold() for c in changed)


def test_folded_patterns_exist_for_the_hot_regexes() -> None:
    """The fast paths are in use with the shipped vocabulary (none fell back silently)."""
    p = te._patterns()
    assert p.atom_folded is not None
    assert p.atom_lead is not None and p.atom_words is not None
    assert p.label_end is not None
    assert p.folded is not None


def test_fold_pattern_keeps_escapes_and_refuses_case_sensitive_parts() -> None:
    assert te._fold_pattern(r"(?P<Uge>Uge)\s+\W\d[QKÆ]") == r"(?P<Uge>uge)\s+\W\d[qkæ]"
    assert te._fold_pattern(r"(?-i:[A-Z])x") is None
    assert te._fold_pattern(r"\u00C6") is None
    assert te._fold_pattern(r"[A-z]") is None  # also holds "_", which [a-z] does not
    assert te._fold_pattern(r"(?P<a>x)(?P=a)") is None
    assert te._fold_pattern(r"[a-z\-]x-y") == r"[a-z\-]x-y"


def test_folded_atoms_match_like_the_written_ones() -> None:
    """At every place an expression may start, the folded alternation on the lower-cased
    text gives the same match (every group's span) as the written one on the text."""
    p = te._patterns()
    letter, other = p.atom_folded or (None, None)
    assert letter is not None and other is not None
    tried = 0
    for text in real_texts():
        folded = te._fold(text)
        assert folded is not None
        for word in p.word_start.finditer(text):
            start = word.start()
            written, fast = (
                (p.atom_at_letter, letter) if text[start].isalpha() else (p.atom_at_other, other)
            )
            a, b = written.match(text, start), fast.match(folded, start)
            assert (a is None) == (b is None), (text, start)
            if a is not None and b is not None:
                assert a.lastgroup == b.lastgroup
                assert a.regs == b.regs, (text, start)
                if text[start].isalpha():  # the cheap test before the alternation
                    assert p.atom_lead is not None and p.atom_lead.match(folded, start)
            tried += 1
        assert [m.span() for m in p.word_start.finditer(text)] == [
            m.span() for m in p.word_start_folded.finditer(folded)
        ]
    assert tried > 3000


def test_guards_never_skip_a_scan_that_matches() -> None:
    p = te._patterns()
    rx = ms._regexes()
    skipped = {"recurring": 0, "vague": 0, "label": 0, "number": 0, "done": 0, "role": 0}
    for text in real_texts():
        folded = te._fold(text)
        assert folded is not None
        scans = te._extra_scans(p, text)
        for name in ("recurring", "vague"):
            regex = getattr(p, name)
            if name not in scans:
                skipped[name] += 1
                assert regex.search(text) is None, (name, text)
            else:
                folded_scans, subject = p.scans(text)
                fast = getattr(folded_scans, name)
                assert [m.span() for m in fast.finditer(subject)] == [
                    m.span() for m in regex.finditer(text)
                ]
        labels = [m.span() for m in te._labels(p, text, folded)]
        assert labels == [m.span() for m in p.label.finditer(text)], text
        skipped["label"] += not labels
        families = te._families(p, text)
        assert families is not None
        if "number" not in families:
            skipped["number"] += 1
            assert p.number_word.search(text) is None, text
        ends = range(len(text) + 1)  # role words end where an expression starts
        if "role" not in families:
            skipped["role"] += 1
            assert not any(p.prefix.search(text, 0, end) for end in ends), text
        if "recurring" not in families:
            assert not any(p.recurring_before.search(text, 0, end) for end in ends), text
            assert not any(p.recurring_enumerated.search(text, 0, end) for end in ends), text
        if rx.done_pieces.search(folded) is None:
            skipped["done"] += 1
            assert rx.done_word.search(text) is None, text
    assert min(skipped.values()) > 100  # the guards do skip work on real texts


def test_piece_scan_sees_overlapping_pieces() -> None:
    """'forud' (a role word) holds 'for', and 'hvert' holds 'hver': a piece inside or at the
    start of another is still seen, with its own families."""
    scan, families = te._piece_scan({"a": ["forud"], "b": ["for"], "c": ["udsat"], "d": ["dsa"]})
    found: set[str] = set()
    for m in scan.finditer("forudsat"):
        found |= families[m.group(1)]
    assert found == {"a", "b", "c", "d"}


def test_digit_free_texts_without_time_words_have_no_expressions() -> None:
    p = te._patterns()
    for text in real_texts():
        words = te._text_words(text)
        assert words is not None and p.atom_words is not None
        if te._DIGIT.search(text) is None and words.isdisjoint(p.atom_words):
            assert not any(
                p.atom_at_letter.match(text, w.start()) or p.atom_at_other.match(text, w.start())
                for w in p.word_start.finditer(text)
            ), text


@pytest.mark.parametrize(
    ("odd", "plain"),
    [
        ("Indsatsen evalueres i \u017fommeren 2026", "Indsatsen evalueres i sommeren 2026"),
        ("Senest 1. marts 2026 (\u0130 gang)", "Senest 1. marts 2026 (I gang)"),
        ("L\u0131bende opfølgning, senest uge 12 2027", "Libende opfølgning, senest uge 12 2027"),
        (
            "Ha\u017ftigst muligt, dog \u017fenest 1. juni 2026",
            "Hastigst muligt, dog senest 1. juni 2026",
        ),
    ],
)
def test_texts_lower_cannot_fold_are_read_as_written(odd: str, plain: str) -> None:
    """The engine equates ſ with s and ı with i; texts holding them (or İ) take the written
    regexes, so they are read as the same words (no shortcut may treat them differently)."""
    assert te._fold(odd) is None
    a, b = te.parse_time(odd, dt.date(2026, 1, 1)), te.parse_time(plain, dt.date(2026, 1, 1))
    assert (a.due, a.kind) == (b.due, b.kind)
    assert [(q.kind, q.span, q.due) for q in a.periods] == [
        (q.kind, q.span, q.due) for q in b.periods
    ]
    assert a.periods, odd


def test_done_marker_with_long_s_is_still_done() -> None:
    """'afſluttet' is 'afsluttet' to the engine: the done guard must not hide it."""
    (milestone,) = ms.split_milestones("• Rapport afleveret – af\u017fluttet")
    assert milestone.done
