"""Whole time-plan cells from real pages, split as `xlgoals refresh` splits column F.

Held out (round 24): the expected milestones and due dates were written down by
CONVENTIONS.md and docs/timeexpr.md before `split_milestones` ran on these cells.
"""

from __future__ import annotations

import datetime as dt

import pytest

from xlgoals.milestones import split_milestones

D = dt.date

CELLS = [
    (  # dit-slagelse.dk: road works in two stages, headings without bullets
        "Første etape\n"
        "Starter midt i juni og forventes slut oktober 2022.\n"
        "Anlæg af ny vej, som byggevej, der tilsluttes Frølundevej\n"
        "Anlæg af regnvandsbassin\n"
        "Anden etape\n"
        "Forventet at starte i foråret og slutte i august 2023.\n"
        "Fortov og vejbelysning\n"
        "Beplantning\n"
        "Sidste lag asfalt",
        None,
        [None, D(2022, 10, 31), None, None, None, D(2023, 8, 31), None, None, None],
    ),
    (  # noerreby.eu: a project status by week, plan year 2021
        "Uge 25 - Entreprenørerne har nu fået ordren på henholdsvis belægning og Skure.\n"
        "Uge 27 - De blå containere til småt brandbart bliver begyndt fjernet, Først "
        "Klintehaven lige numre og dernæst Akelejehavens Parkering.\n"
        "Uge 29 - udgravning påbegyndes , entreprenøren bestemmer selv hvor der startes, "
        "nærmere info når vi nærmer os.\n"
        "Uge 32 - Skuropsætning påbegyndes.",
        D(2021, 1, 1),
        [D(2021, 6, 27), D(2021, 7, 11), D(2021, 7, 25), D(2021, 8, 15)],
    ),
    (  # byoghavn.dk: Lynetteholm, a phase heading over each line
        "Udbud, fase 1.\n"
        "Blev gennemført og afsluttet i 2021.\n"
        "Anlægsarbejder, fase 1.\n"
        "Anlæg af Lynetteholms fase 1-perimeter, stendæmning, blev afsluttet i april 2023.\n"
        "Jordmodtagelse, fase 2.\n"
        "Lynetteholm kan efter planen modtage jord til fase 2 fra primo 2026.",
        None,
        [None, D(2021, 12, 31), None, D(2023, 4, 30), None, D(2026, 1, 1)],
    ),
]


@pytest.mark.parametrize(("cell", "reference", "dues"), CELLS)
def test_real_cells_split_into_dated_milestones(
    cell: str, reference: dt.date | None, dues: list[dt.date | None]
) -> None:
    assert [m.due for m in split_milestones(cell, reference=reference)] == dues
