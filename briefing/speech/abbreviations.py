"""Abbreviations with a period said in full: titles, months, No. 10, St. Louis or Wall St."""

from __future__ import annotations

import re
from functools import lru_cache

from briefing.speech.acronyms import ends_sentence, very_common
from briefing.speech.state import Pass
from briefing.speech.tables import Table


def _with_stop(said: str, m: re.Match[str], had_period: bool, lang: str) -> str:
    """The words, and the period back when the abbreviation also ended the sentence."""
    return said + "." if had_period and ends_sentence(m.string[m.end():], lang) else said


@lru_cache(maxsize=16)
def _patterns(table: Table) -> dict[str, re.Pattern[str] | None]:
    def alternatives(keys: list[str]) -> str:
        return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))

    anywhere = list(table.section("abbreviations"))
    titles = list(table.section("titles"))
    numbered = list(table.section("before_number"))
    short_months = list(table.section("months").get("short", {}))
    street = table.section("saint_street").get("abbreviation")
    return {
        "anywhere": re.compile(rf"(?<![\w.])(?:{alternatives(anywhere)})(?!\w)")
        if anywhere else None,
        # "Dr. Smith", "Dr Smith"; the title stands before a capitalised name
        "titles": re.compile(
            rf"(?<![\w.])({alternatives(titles)})(\.?)(?=\s+[A-ZÀ-Þ\ue000-\uf8ff])")
        if titles else None,
        "numbered": re.compile(rf"(?<![\w.])({alternatives(numbered)})(?=\s?\d)")
        if numbered else None,
        # "Dec. 2", "Dec 2", "2 Dec", "Dec. 2024": a short month next to a number
        "months": re.compile(
            rf"(?<=\d\s)({alternatives(short_months)})(\.?)(?!\w)"
            rf"|(?<![\w.])({alternatives(short_months)})(\.(?!\w)|(?=\s+\d))"
        ) if short_months else None,
        "street": re.compile(rf"(?<![\w.])({re.escape(street)})(\.?)(?=\s|$)") if street else None,
    }


def abbreviations(text: str, p: Pass) -> str:
    """Expand the table's abbreviations; the period goes unless it also ended a sentence."""
    patterns = _patterns(p.table)
    table = p.table
    if (pattern := patterns["anywhere"]) and "." in text:
        said = table.section("abbreviations")
        text = pattern.sub(
            lambda m: _with_stop(said[m[0]], m, m[0].endswith("."), table.lang), text)
    if pattern := patterns["numbered"]:
        numbered = table.section("before_number")
        text = pattern.sub(lambda m: numbered[m[1]], text)
    if pattern := patterns["titles"]:
        titles = table.section("titles")
        no_period = set(table.section("titles_without_period").get("allowed", ()))
        text = pattern.sub(
            lambda m: titles[m[1]] if m[2] or m[1] in no_period else m[0], text)
    if pattern := patterns["months"]:
        months = table.section("months")
        names, short = months.get("names", []), months.get("short", {})

        def month(m: re.Match[str]) -> str:
            key, period = (m[1], m[2]) if m[1] else (m[3], m[4])
            return _with_stop(names[short[key] - 1], m, bool(period), table.lang)

        text = pattern.sub(month, text)
    if pattern := patterns["street"]:
        text = pattern.sub(lambda m: _saint_or_street(m, table), text)
    return text


def _saint_or_street(m: re.Match[str], table: Table) -> str:
    """ "St." before a name is Saint (St. Louis); after a name or a number it is Street."""
    words = table.section("saint_street")
    before = m.string[: m.start()].rstrip()
    after = m.string[m.end():]
    prev = before.rsplit(None, 1)[-1] if before else ""
    next_is_name = re.match(r"\s+[A-ZÀ-Þ\ue000-\uf8ff]", after) is not None
    # after a name or a number ("Wall St.", "42nd St."), not after "The" ("The St. Louis Cardinals")
    after_name = (bool(prev) and (prev[0].isupper() or prev[0].isdigit()) and prev[-1].isalnum()
                  and not very_common(prev, table.lang))
    if next_is_name and not after_name:
        return str(words["saint"])
    if not m[2] and not after_name:
        return m[0]  # "St" alone, not after a name: not ours to guess
    return _with_stop(str(words["street"]), m, bool(m[2]), table.lang)
