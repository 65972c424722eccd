"""Each language's table for the ear: its ordered rules and the words they use, from TOML."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

# Languages with a table; any other language gets the neutral one (links, acronyms, symbols).
LANGUAGES = ("en", "de", "fr", "es", "pt")


@dataclass(frozen=True, eq=False)
class Table:
    """One language's (and region's) rules and data, as read from briefing/data/ear/.

    Compared and hashed by identity (table_for makes one per code), so caches can key on it.
    """

    code: str  # "en-gb", "pt-br", "en"
    lang: str  # "en"
    region: str  # "GB", "BR" or ""
    rules: tuple[str, ...]
    data: Mapping[str, Any]

    def word(self, key: str, default: str = "") -> str:
        """A single word from the [words] table ("to", "percent")."""
        return str(self.data.get("words", {}).get(key, default))

    def section(self, name: str) -> Mapping[str, Any]:
        """A named table ([titles], [months]); empty when this language has none."""
        value = self.data.get(name, {})
        return value if isinstance(value, Mapping) else {}

    def items(self, section: str, key: str) -> tuple[str, ...]:
        """A list inside a table ([acronyms] letters), as a tuple."""
        return tuple(self.section(section).get(key, ()))


def _merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


@lru_cache(maxsize=8)
def _read(name: str) -> dict[str, Any]:
    text = resources.files("briefing").joinpath("data", "ear", f"{name}.toml").read_text("utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=32)
def table_for(language: str) -> Table:
    """The table for a language code like "en", "en-GB", "pt_BR" or "it" (neutral)."""
    code = language.lower().replace("_", "-") or "en"
    lang, _, region = code.partition("-")
    region = region.upper()
    name = lang if lang in LANGUAGES else "neutral"
    data = _read(name)
    if name != "neutral":
        data = _merge(_read("neutral"), data)
    overrides = data.get("region", {}).get(region)
    if overrides:
        data = _merge(data, overrides)
    return Table(code, lang, region, tuple(data["rules"]), data)
