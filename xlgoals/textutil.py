"""Small text helpers shared by the core parsers."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from xlgoals.grid import CellValue

_SPACE_RE = re.compile(r"[ \t\u00a0\u2007\u202f]+")


def cell_text(value: CellValue) -> str:
    """A cell value as the text a leader sees (numbers without '.0', dates ISO)."""
    if type(value) is str:  # the common case first
        text = unicodedata.normalize("NFC", value)
        return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")


def squash(text: str) -> str:
    """Collapse runs of spaces (incl. NBSP) and strip each line; keeps line breaks."""
    # One substitution for the whole text (the pattern never crosses a line break), and
    # none when every run is already a single plain space.
    if "  " in text or "\t" in text or "\u00a0" in text or "\u2007" in text or "\u202f" in text:
        text = _SPACE_RE.sub(" ", text)
    if "\n" not in text:
        return text.strip()
    return "\n".join([line.strip() for line in text.split("\n")]).strip()


def one_line(text: str) -> str:
    """All whitespace, line breaks included, folded to single spaces."""
    return " ".join(text.split())


def fold(text: str) -> str:
    """Matching key: NFC, whitespace folded, case-folded."""
    return one_line(unicodedata.normalize("NFC", text)).casefold()


def shorten(text: str, limit: int = 90) -> str:
    """Text on one line, cut with an ellipsis: how bullets are quoted in messages and cells."""
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def day_text(date: dt.date, lang: str) -> str:
    """A date as the reader writes it: 31.12.2015 in Danish, ISO in English."""
    if lang != "da":
        return date.isoformat()
    if date.year >= 1000:  # what strftime gives, without its cost
        return f"{date.day:02d}.{date.month:02d}.{date.year}"
    return date.strftime("%d.%m.%Y")
