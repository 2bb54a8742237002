"""xlwings Lite and xlwings Server scripts: the two buttons of the goal-matrix workbook.

xlwings Lite's `main.py` (and an xlwings Server app's `custom_scripts`) is one line::

    from xlgoals.lite import *

which brings in the two `@xw.script` functions below. They are listed in the task pane and
bound to the template's sheet buttons: shapes whose internal hyperlink selects the cell
under them (`button="Sheet!Cell"`), which xlwings turns into a script call. Desktop Excel
never calls these; it uses the zero-argument `xlgoals.addin.*_caller()` functions.
"""

from __future__ import annotations

import xlwings as xw

from xlgoals import addin

__all__ = ["opdater_maalopfyldelse", "valider_plan"]

MATRIX_SHEET = "Målmatrix"
"""The template's matrix sheet, which carries the two buttons (see xlgoals.template)."""

VALIDATE_BUTTON = f"{MATRIX_SHEET}!H1"
REFRESH_BUTTON = f"{MATRIX_SHEET}!K1"
"""The cells the buttons' hyperlinks point to; clicking a button selects its cell."""


@xw.script(name="Valider plan", button=VALIDATE_BUTTON, show_taskpane=True)
async def valider_plan(book: xw.Book) -> None:
    """Valider plan: check every row and show the findings on their cells."""
    await addin.validate_plan_async(book)


@xw.script(name="Opdater målopfyldelse", button=REFRESH_BUTTON, show_taskpane=True)
async def opdater_maalopfyldelse(book: xw.Book) -> None:
    """Opdater målopfyldelse: measured results, attainment, overdue milestones, roll-up."""
    await addin.refresh_attainment_async(book)
