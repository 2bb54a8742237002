"""The cells and sheets xlgoals owns (core; the contract every writer follows).

Owned status columns sit to the right of the matrix, each headed with a label and the
marker "(udfyldes automatisk)", so a reader can recognise them and a second run replaces
them. Owned sheets carry a fixed name in either language. The vocabulary is data
(`data/owned.json`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xlgoals.grid import SheetGrid, WorkbookGrid


@cache
def owned_spec() -> dict[str, Any]:
    """The owned-cell contract from `data/owned.json`."""
    return json.loads(resources.files("xlgoals.data").joinpath("owned.json").read_text("utf-8"))


@dataclass(frozen=True, slots=True)
class OwnedColumn:
    key: str
    da: str
    en: str
    flag_for: str | None = None

    def header(self, lang: str = "da") -> str:
        """Header text written in the workbook: label + marker on a new line."""
        marker = owned_spec()["marker"][lang]
        return f"{self.da if lang == 'da' else self.en}\n{marker}"


def owned_columns() -> list[OwnedColumn]:
    """Owned status columns in the order they are laid out right of the matrix."""
    return [OwnedColumn(**column) for column in owned_spec()["columns"]]


def owned_column_key(header: object) -> str | None:
    """The owned column's key when `header` is one of xlgoals' headers (either language)."""
    if not isinstance(header, str):
        return None
    text = " ".join(header.split()).casefold()
    markers = [m.casefold() for m in owned_spec()["marker"].values()]
    if not any(marker in text for marker in markers):
        return None
    for marker in markers:
        text = text.replace(marker, "").strip()
    for column in owned_columns():
        if text in (column.da.casefold(), column.en.casefold()):
            return column.key
    return None


def owned_sheet_name(key: str, lang: str = "da") -> str:
    """Name of an owned sheet ('overview', 'measurements', 'findings', 'notes', 'survey')."""
    return str(owned_spec()["sheets"][key][lang])


def owned_sheet_key(name: str) -> str | None:
    """The owned sheet's key when `name` is one of xlgoals' sheet names (either language)."""
    for key, names in owned_spec()["sheets"].items():
        if name in names.values():
            return str(key)
    return None


def flag_value(severity: str, lang: str = "da") -> str:
    """Value written into a flag column for a finding of `severity`."""
    return str(owned_spec()["flag_values"][severity][lang])


def find_owned_sheet(workbook: WorkbookGrid, key: str) -> SheetGrid | None:
    """An owned sheet of the workbook by key, under its Danish or English name."""
    for lang in ("da", "en"):
        sheet = workbook.sheet(owned_sheet_name(key, lang))
        if sheet is not None:
            return sheet
    return None
