"""`xlgoals refresh`: measure, check and write the results back into the workbook file.

A surface: it reads the file (calamine), runs the same core as every other surface
(`engine.analyse` → `engine.owned_updates`) and hands the owned cells and sheets to the
lossless zip-level writer (`xlsxpatch`), which leaves every other part of the file as it
was. Running it twice gives the same file as running it once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from xlgoals.engine import Analysis, Config, Updates, analyse, owned_updates
from xlgoals.owned import owned_sheet_key
from xlgoals.reader import read_workbook
from xlgoals.survey.model import SurveyData
from xlgoals.xlsxpatch import BarChart, OwnedSheet, PatchReport, patch_workbook

# Column widths of the owned sheets, by sheet key (characters).
_WIDTHS: dict[str, Sequence[float | None]] = {
    "findings": (10, 8, 16, 8, 10, 110),
    "measurements": (10, 10, 26, 40, 36, 24, 14, 10, 14, 18, 6, 12, 30, 16, 40),
    "overview": (18, 8, 60, 18, 12, 40, 90),
}


def owned_sheets(updates: Updates) -> dict[str, OwnedSheet]:
    """The engine's owned sheets as the writer's sheet specs (widths, frozen header, chart)."""
    sheets = {}
    for name, rows in updates.sheets.items():
        key = owned_sheet_key(name) or ""
        spec = updates.charts.get(name)
        chart = None
        if spec is not None:
            chart = BarChart(
                title=spec.title,
                category_column=spec.category_col,
                value_column=spec.value_col,
                direction="bar",
                value_min=0,
                value_max=100,
                first_row=spec.first_row,
                last_row=spec.last_row,
                anchor=(spec.last_row + 1, 0),  # below its data, clear of the wide text
            )
        sheets[name] = OwnedSheet(rows=rows, column_widths=_WIDTHS.get(key, ()), chart=chart)
    return sheets


def refresh_file(
    path: str | Path,
    *,
    today: dt.date,
    config: Config | None = None,
    surveys: Sequence[SurveyData] = (),
    survey_dates: Sequence[dt.date] | None = None,
    measurements: Mapping[str, Any] | None = None,
    output: str | Path | None = None,
    dry_run: bool = False,
) -> tuple[Analysis, PatchReport]:
    """Refresh one workbook file; returns the analysis and what the writer changed."""
    config = config or Config()
    grid = read_workbook(path)
    analysis = analyse(
        grid,
        today=today,
        config=config,
        surveys=surveys,
        survey_dates=survey_dates,
        measurements=measurements,
    )
    updates = owned_updates(grid, analysis, lang=config.lang)
    report = patch_workbook(
        path,
        cells=updates.cells,
        sheets=owned_sheets(updates),
        output=output,
        dry_run=dry_run,
    )
    return analysis, report
