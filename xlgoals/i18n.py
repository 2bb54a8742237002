"""Messages in Danish (default) and English, kept as data (`data/messages/*.json`).

Each JSON file maps a key (a rule code or a message id) to {"da": …, "en": …} templates
formatted with `str.format`. One file per group keeps additions from different parts of
the code apart.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES = ("da", "en")
DEFAULT_LANG = "da"


@cache
def _catalogue() -> dict[str, dict[str, str]]:
    """All message templates from every file in `data/messages/`."""
    merged: dict[str, dict[str, str]] = {}
    folder = resources.files("xlgoals.data").joinpath("messages")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            data = json.loads(entry.read_text("utf-8"))
            for key, value in data.items():
                if key.startswith("_"):
                    continue
                if key in merged:
                    raise ValueError(f"message key {key} defined twice ({entry.name})")
                merged[key] = value
    return merged


def template(key: str, lang: str = DEFAULT_LANG) -> str:
    """The raw template for `key` in `lang`, falling back to Danish."""
    entry = _catalogue()[key]
    return entry.get(lang) or entry[DEFAULT_LANG]


def message(key: str, lang: str = DEFAULT_LANG, **args: Any) -> str:
    """The message for `key` in `lang`, formatted with `args`."""
    return template(key, lang).format(**args)


def has_message(key: str) -> bool:
    return key in _catalogue()
