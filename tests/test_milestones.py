"""Time-plan cells → milestones: bullets, wrapped lines, done markers, year inheritance."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from xlgoals.grid import TextRun
from xlgoals.milestones import milestone_state, next_milestone, split_milestones

pytestmark = pytest.mark.core

D = dt.date

# Column F of the seed's two action goals, verbatim from
# /work/shared/seed/000_11216ec1a2b3fe65.txt (line breaks and trailing spaces as there).
SEED_F_111 = (
    "• Der tilrettelægges en længere forankringsproces i \nløbet af 2014 og 2015. I sommeren "
    "2014 (august-\nseptember) udarbejdes en plan for processen  \n\n• Information og dialog "
    "sker via ledermøder, møder i de \nenkelte dagtilbud, skoler m.v. og via den tværfaglige "
    "\nstruktur \n\n• Implementeringen understøttes af dialogmøder, \nuddannelsesforløb og "
    "temadage \n\n• Tilbagemelding til det politiske niveau sker på \ndialogmødet i marts "
    "2015, samt ved opsamling på \nmål ultimo 2015"
)
SEED_F_112 = (
    "• Der udarbejdes en håndbog til at støtte \nimplementering og forankring af "
    "børnepolitikkens \nintentioner. Alle de nødvendige oplysninger og \nredskaber skal være "
    "at finde i håndbogen \n\n• Der udarbejdes udkast til håndbogens indhold \nprimo 2015 "
    "(januar-marts), hvor denne gøres til \ngenstand for drøftelser i chefgruppen, så der her "
    "\ner et fælles grundlag og ejerskab til indholdet \n\n• Håndbogen anvendes som støtte og "
    "\nkonkretisering af børnepolitikkens intentioner og \nsom et led i den forankringsproces, "
    "der skal pågå."
)


def _summary(text: str, **kwargs: object) -> list[tuple[int, D | None, bool]]:
    return [(m.index, m.due, m.done) for m in split_milestones(text, **kwargs)]  # type: ignore[arg-type]


@pytest.mark.parametrize("joined", [False, True])
def test_seed_action_goal_111(joined: bool) -> None:
    text = SEED_F_111
    if joined:  # the same cell typed without the PDF's hard line breaks
        text = re.sub(r" *\n(?=[^•\n])", " ", text.replace("-\n", "-"))
        text = re.sub(r"\s*\n\s*\n", "\n", text)
        assert text.count("\n") == 3
    milestones = split_milestones(text)
    assert [(m.index, m.due, m.kind) for m in milestones] == [
        (1, D(2015, 12, 31), "year"),
        (2, None, None),
        (3, None, None),
        (4, D(2015, 12, 31), "period"),
    ]
    assert milestones[0].text.startswith("Der tilrettelægges en længere forankringsproces i løbet")
    assert milestones[0].text.endswith("udarbejdes en plan for processen")
    assert milestones[1].text == (
        "Information og dialog sker via ledermøder, møder i de enkelte dagtilbud, skoler m.v. "
        "og via den tværfaglige struktur"
    )
    assert not any(m.done for m in milestones)
    # the clarified summer ("august-september") is dated, the vague season does not commit
    summer = [p for p in milestones[0].periods if "sommeren" in p.text]
    assert summer and not summer[0].commits
    assert [p.due for p in milestones[0].periods if p.commits] == [
        D(2014, 12, 31),
        D(2015, 12, 31),
        D(2014, 9, 30),
    ]


def test_seed_action_goal_112() -> None:
    milestones = split_milestones(SEED_F_112)
    assert [(m.index, m.due, m.kind) for m in milestones] == [
        (1, None, None),
        (2, D(2015, 3, 31), "range"),
        (3, None, None),
    ]
    assert milestones[1].text.startswith("Der udarbejdes udkast til håndbogens indhold primo 2015")


@pytest.mark.parametrize("marker", ["•", "-", "*", "–", "1.", "1)", "▪", "a)", "\uf0b7"])
def test_bullet_markers(marker: str) -> None:
    text = f"{marker} Opstart marts 2026\n{marker} Evaluering\n   fortsat ultimo 2026"
    milestones = split_milestones(text)
    assert [(m.text, m.due) for m in milestones] == [
        ("Opstart marts 2026", D(2026, 3, 31)),
        ("Evaluering fortsat ultimo 2026", D(2026, 12, 31)),
    ]


def test_numbered_bullets_keep_their_order() -> None:
    text = "1. Kortlægning i foråret 2026\n2) Plan i 2. halvår 2026\n3. Lancering 1. april 2027"
    milestones = split_milestones(text)
    assert [m.due for m in milestones] == [D(2026, 5, 31), D(2026, 12, 31), D(2027, 4, 1)]
    assert milestones[2].text == "Lancering 1. april 2027"


def test_a_date_at_line_start_is_not_a_numbered_bullet() -> None:
    milestones = split_milestones("1. april 2027: lancering\n2. maj 2027: evaluering")
    assert [(m.text, m.due) for m in milestones] == [
        ("1. april 2027: lancering", D(2027, 4, 1)),
        ("2. maj 2027: evaluering", D(2027, 5, 2)),
    ]


def test_plain_lines_are_milestones_and_wrapped_lowercase_lines_join() -> None:
    text = "Udkast maj 2026\nVedtagelse i\njuni 2026\nEvaluering ultimo 2027"
    assert [(m.text, m.due) for m in split_milestones(text)] == [
        ("Udkast maj 2026", D(2026, 5, 31)),
        ("Vedtagelse i juni 2026", D(2026, 6, 30)),
        ("Evaluering ultimo 2027", D(2027, 12, 31)),
    ]


def test_empty_cell_has_no_milestones() -> None:
    assert split_milestones("") == []
    assert split_milestones(" \n \n") == []


@pytest.mark.parametrize(
    "line",
    [
        "✓ Plan vedtaget marts 2026",
        "✔ Plan vedtaget marts 2026",
        "☑ Plan vedtaget marts 2026",
        "[x] Plan vedtaget marts 2026",
        "(x) Plan vedtaget marts 2026",
        "• [X] Plan vedtaget marts 2026",
        "• Plan vedtaget marts 2026 – gennemført",
        "• Plan vedtaget marts 2026 (done)",
        "• Plan vedtaget marts 2026. Udført",
        "• Afsluttet: plan vedtaget marts 2026",
        "• Plan vedtaget marts 2026 - færdig 12/3",
        "• Plan vedtaget marts 2026 done",
    ],
)
def test_done_markers(line: str) -> None:
    (milestone,) = split_milestones(line)
    assert milestone.done
    assert milestone.due == D(2026, 3, 31)
    assert "Plan vedtaget marts 2026" in milestone.text or "plan vedtaget" in milestone.text


@pytest.mark.parametrize(
    "line",
    [
        "• Håndbogen skal være færdig senest 1. marts 2026",
        "• Håndbogen skal være færdig",
        "• Når projektet er afsluttet, evalueres det ultimo 2026",
        "• Gennemførelse af kursus i efteråret 2026",
        # a planned end state, not a leader's mark (rodovrefjernvarme.dk time plan)
        "Ultimo 2026: Udbygningen er færdig.",
        "• Gårdhaven står færdig i efteråret 2018",
    ],
)
def test_not_done(line: str) -> None:
    (milestone,) = split_milestones(line)
    assert not milestone.done


def test_strikethrough_marks_a_bullet_done_only_when_all_of_it_is_struck() -> None:
    runs = [
        TextRun("• "),
        TextRun("Plan vedtaget marts 2026", strike=True),
        TextRun("\n• "),
        TextRun("Evaluering ", strike=True),
        TextRun("ultimo 2026"),
    ]
    text = "".join(r.text for r in runs)
    assert _summary(text, runs=runs) == [(1, D(2026, 3, 31), True), (2, D(2026, 12, 31), False)]
    assert _summary(text) == [(1, D(2026, 3, 31), False), (2, D(2026, 12, 31), False)]


def test_runs_that_do_not_spell_the_text_are_ignored() -> None:
    runs = [TextRun("something else", strike=True)]
    assert _summary("• Plan marts 2026", runs=runs) == [(1, D(2026, 3, 31), False)]


def test_yearless_bullet_takes_the_year_of_an_earlier_bullet() -> None:
    text = "• Kickoff 1. februar 2026\n• Workshop i marts\n• Evaluering i juni"
    assert [m.due for m in split_milestones(text)] == [
        D(2026, 2, 1),
        D(2026, 3, 31),
        D(2026, 6, 30),
    ]


def test_yearless_bullet_uses_the_reference_when_no_earlier_bullet_is_dated() -> None:
    text = "• Workshop i marts\n• Løbende opfølgning"
    assert [m.due for m in split_milestones(text, reference=D(2026, 1, 1))] == [
        D(2026, 3, 31),
        None,
    ]
    milestones = split_milestones(text)
    assert [m.due for m in milestones] == [None, None]
    assert milestones[0].undatable == ["marts"]
    assert milestones[1].undatable == ["Løbende opfølgning"]


def test_earlier_bullet_year_wins_over_reference() -> None:
    text = "• Udkast december 2025\n• Vedtagelse i marts"
    assert [m.due for m in split_milestones(text, reference=D(2027, 1, 1))] == [
        D(2025, 12, 31),
        D(2025, 3, 31),
    ]


def test_milestone_states_and_next_milestone() -> None:
    text = "• ✓ Kickoff januar 2026\n• Udkast marts 2026\n• Høring 15. maj 2026\n• Vedtagelse ultimo 2026\n• Løbende"
    milestones = split_milestones(text)
    today = D(2026, 4, 20)
    assert [milestone_state(m, today) for m in milestones] == [
        "done",
        "overdue",
        "due_soon",
        "open",
        "undated",
    ]
    upcoming = next_milestone(milestones, today)
    assert upcoming is not None and upcoming.index == 3
    assert next_milestone(milestones, D(2027, 1, 1)) is None


def test_headings_left_of_indented_bullets_are_milestones_of_their_own() -> None:
    """vordingborg.dk's building time plan: period headings over indented bullets."""
    cell = (
        "Forår 2017 - sommer 2018\n  • Bygningen funderes\n  • Fundament og terrændæk\n"
        "Efterår 2018 - sommer 2019\n  • Indvendig indretning i bygningen\n"
        "  • Torvet anlægges.\nEfterår 2019\n  • Det ny Job- og Borgercenter åbner."
    )
    got = [(m.text, m.due) for m in split_milestones(cell)]
    assert got == [
        ("Forår 2017 - sommer 2018", D(2018, 8, 31)),
        ("Bygningen funderes", None),
        ("Fundament og terrændæk", None),
        ("Efterår 2018 - sommer 2019", D(2019, 8, 31)),
        ("Indvendig indretning i bygningen", None),
        ("Torvet anlægges.", None),
        ("Efterår 2019", D(2019, 11, 30)),
        ("Det ny Job- og Borgercenter åbner.", None),
    ]


def test_wrapped_lines_at_the_bullet_indent_still_continue_the_bullet() -> None:
    cell = "  • Opfølgning på mål\n  ultimo 2026\n  • Evaluering 2027"
    got = [(m.text, m.due) for m in split_milestones(cell)]
    assert got == [
        ("Opfølgning på mål ultimo 2026", D(2026, 12, 31)),
        ("Evaluering 2027", D(2027, 12, 31)),
    ]


def test_a_time_only_line_heads_the_line_below_it() -> None:
    """kfst.dk's activity calendar: a date line, then what happens on it."""
    cell = (
        "1. februar 2019\nFrist for indberetning til stoplov.\n\n"
        "1. marts – 15. april 2019\nIndberetningsperiode til økonomiske rammer.\n\n"
        "Medio juni 2019\nHøring af metode til den totaløkonomiske benchmarking."
    )
    got = [(m.text, m.due) for m in split_milestones(cell)]
    assert got == [
        ("1. februar 2019 Frist for indberetning til stoplov.", D(2019, 2, 1)),
        ("1. marts – 15. april 2019 Indberetningsperiode til økonomiske rammer.", D(2019, 4, 15)),
        ("Medio juni 2019 Høring af metode til den totaløkonomiske benchmarking.", D(2019, 6, 20)),
    ]
    # consecutive time-only lines stay separate milestones
    months = split_milestones("Januar 2026\nFebruar 2026\nMarts 2026")
    assert [m.due for m in months] == [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31)]
