"""Build small goal-matrix workbooks for the tests (openpyxl: new files only)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

SEED_CRITERIA = (
    "… der ved udgangen af 2015 er mindst 80 % af medlemmerne i kompetenceteamene, der mener, "
    "at børnepolitikkens værdier og intentioner er forankret. På længere sigt 95 %."
)
SEED_PLAN = (
    "• Der udarbejdes udkast til håndbogens indhold primo 2015 (januar-marts)\n"
    "• Tilbagemelding på dialogmødet i marts 2015"
)
OWNER = "Forankret i chefgruppen – Claus Herbert er ansvarlig."
EVALUATION = "Forespørgsel/spørgeskema fulgt op af dialog."
HEADERS_DA = [
    "Handlemål\n(det betyder, at…)",
    "Succeskriterier\n(målet er nået, når…)",
    "Evaluering\n(målemetode)",
    "Tids- og handleplan\n(hvad skal ske? – hvornår?)",
    "Tovholder/\nansvarlig",
]
HEADERS_EN = [
    "Action goal",
    "Success criteria",
    "Evaluation (measuring method)",
    "Time and action plan",
    "Person responsible",
]


def row_fields(action: str, **overrides: str) -> list[str]:
    """The five C–G texts of a complete action-goal row."""
    values = {
        "criteria": SEED_CRITERIA,
        "evaluation": EVALUATION,
        "timeplan": SEED_PLAN,
        "owner": OWNER,
    }
    values.update(overrides)
    return [action, values["criteria"], values["evaluation"], values["timeplan"], values["owner"]]


def write_workbook(
    path: Path,
    sheets: dict[str, Sequence[Sequence[Any]]],
    merges: dict[str, Sequence[str]] | None = None,
) -> Path:
    """Write `sheets` (name → rows, None for empty cells) and merged ranges to `path`."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None and value != "":
                    sheet.cell(row=r, column=c, value=value)
        for ref in (merges or {}).get(name, []):
            sheet.merge_cells(ref)
    workbook.save(path)
    return path
