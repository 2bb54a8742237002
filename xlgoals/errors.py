"""Errors the surfaces report to the user: one line, in Danish or English, naming the file."""

from __future__ import annotations

from typing import Any

from xlgoals.i18n import message


class XlgoalsError(Exception):
    """A user-facing error: a message key plus its arguments, rendered per language."""

    def __init__(self, key: str, **args: Any) -> None:
        self.key = key
        self.args_map = args
        super().__init__(self.message("en"))

    def message(self, lang: str = "da") -> str:
        """The one-line message in `lang`."""
        return message(self.key, lang, **self.args_map)


class WorkbookReadError(XlgoalsError):
    """A workbook that cannot be read (not a workbook, encrypted, damaged …)."""
