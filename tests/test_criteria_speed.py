"""The shortcuts that make `parse_targets` fast must never change what it finds.

`criteria.py` skips a phrase search when a guard proves it cannot match (the text lacks
every word the phrases need) and starts `$`-anchored searches near the end of the text.
Here the parser runs once with those shortcuts and once with all of them switched off,
on every gold and held-out text and on harder variants of them (upper case, the rare
characters IGNORECASE treats specially), and the targets must be the same.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from xlgoals import criteria

DATA = Path(__file__).parent / "data"


def _texts() -> list[tuple[str, dt.date | None]]:
    out = []
    for name in ("criteria_gold.json", "criteria_heldout.json"):
        for item in json.loads((DATA / name).read_text("utf-8"))["items"]:
            reference = item.get("reference")
            out.append((item["text"], dt.date.fromisoformat(reference) if reference else None))
    return out


def _variants(text: str) -> list[str]:
    """The text, shouted, and with letters IGNORECASE equates to others ("ſ" = "s")."""
    return [
        text.upper(),
        text.replace("s", "ſ").replace("i", "ı"),
        text.replace("k", "\u212a").replace("I", "\u0130"),
    ]


def _dump(text: str, reference: dt.date | None) -> list[dict]:
    """The targets as JSON."""
    return [t.model_dump(mode="json") for t in criteria.parse_targets(text, reference)]


def test_letters_ignorecase_equates_find_the_vocabulary_entry() -> None:
    """ "gå ı nul" (dotless i) is matched by the pattern for "gå i nul"; the lookup of its
    vocabulary entry folds the same way instead of failing with a KeyError."""
    dotless, dotted = (
        [{**target, "text": None} for target in _dump(f"Fraværet skal gå {i} nul i 2016", None)]
        for i in ("ı", "i")
    )
    assert dotless == dotted
    assert dotless[0]["value"] == 100 and dotless[0]["unit"] == "%-reduction"


@pytest.fixture
def no_shortcuts(monkeypatch: pytest.MonkeyPatch):
    """Switch every guard and every tail window off: each search runs as written."""
    open_guard = criteria._Guard(None, frozenset(), None, frozenset())
    guards = {
        key: [open_guard] * len(value) if isinstance(value, list) else open_guard
        for key, value in criteria._guards().items()
    }
    lengths = dict.fromkeys(criteria._tail_lengths(), 10**9)

    def switch_off() -> None:
        monkeypatch.setattr(criteria, "_guards", lambda: guards)
        monkeypatch.setattr(criteria, "_tail_lengths", lambda: lengths)
        tiers = criteria._patterns()["clause_split"]
        plain_tiers = tuple((frozenset(), open_guard, tier) for tier in tiers)
        monkeypatch.setattr(criteria, "_tier_marks", lambda: [frozenset()] * len(tiers))
        monkeypatch.setattr(criteria, "_split_tiers", lambda: plain_tiers)
        monkeypatch.setattr(criteria, "_PAREN_YEAR", re.compile(r"\(|$"))
        monkeypatch.setattr(criteria, "_PAREN_DIGIT", re.compile(""))  # finds "" anywhere
        monkeypatch.setattr(criteria, "_DIGIT", re.compile(""))

    return switch_off


def test_shortcuts_change_no_target_on_gold_texts_and_their_variants(no_shortcuts) -> None:
    cases = [(variant, ref) for text, ref in _texts() for variant in [text, *_variants(text)]]
    fast = [_dump(text, ref) for text, ref in cases]
    no_shortcuts()
    slow = [_dump(text, ref) for text, ref in cases]
    differ = [case[0] for case, a, b in zip(cases, fast, slow, strict=True) if a != b]
    assert not differ, differ[:3]
    found = sum(len(targets) for targets in fast if isinstance(targets, list))
    assert found > 1000  # the texts do hold targets (the check is not vacuous)


@pytest.mark.parametrize("char", ["ſ", "ı", "\u212a", "µ", "ς", "\u0130", "Æ", "Ø", "Å"])
def test_fold_equates_what_ignorecase_equates(char: str) -> None:
    """A guard compares folded words, so two characters the regex engine takes as equal
    must fold alike, or a guard would hide a match."""
    for other in [*map(chr, range(0x250)), "μ", "σ", "ι", "ß", "k", "s", "i", "æ", "ø", "å"]:
        if re.fullmatch(re.escape(other), char, re.IGNORECASE):
            assert criteria._fold(char) == criteria._fold(other), (char, other)


def test_guard_words_of_a_phrase_are_whole_words_of_its_match() -> None:
    """Each comparator phrase found in a sentence holds one of its guard's words."""
    guard = criteria._guards()["cmp_before"]
    pattern = criteria._patterns()["cmp_before"]
    for phrase in ["ikke mindre end", "Maks.", "MINDST", "≥", "op til"]:
        text = f"Ventetiden skal være {phrase} "
        assert pattern.search(text) is not None
        assert criteria._holds(guard, text)
        assert guard.may_end(text)
    assert not guard.may_end("Ventetiden skal være kort ")


def test_tail_search_finds_the_leftmost_match_of_a_full_search() -> None:
    """Starting a `$`-anchored search near the end gives the same match as from the start."""
    pattern = criteria._patterns()["cmp_before"]
    for text, _ in _texts():
        norm = criteria._normalise(text)
        for cut in range(0, len(norm), 7):
            prefix = norm[:cut]
            full, tail = pattern.search(prefix), criteria._search_tail("cmp_before", prefix)
            assert (full and full.span()) == (tail and tail.span()), prefix
