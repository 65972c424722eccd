"""Dates, times, decades, year and number ranges, scores and phone numbers, said as words."""

from __future__ import annotations

import re
from functools import lru_cache

from briefing.speech import say
from briefing.speech.state import Pass
from briefing.speech.tables import Table

_ISO = re.compile(r"(?<![\w-])(\d{4})-(\d{2})-(\d{2})(?![\w-])")
_NUMERIC = re.compile(r"(?<![\w/.])(\d{1,2})([/.])(\d{1,2})\2(\d{4}|\d{2})(?![\w/]|\.\d)")
_DAY_MONTH = re.compile(r"(?<![\w/.,])(\d{1,2})/(\d{1,2})(?![\w/]|[.,]\d)")
_ORDINAL_SUFFIX = r"(?:st|nd|rd|th|er|e|º|ª|\.º|\.ª|o)?"
_YEAR_RANGE = re.compile(
    r"(?<![\w.,$€£-])(1[1-9]\d\d|20\d\d)\s?[-–/]\s?(\d{4}|\d{2})(?![\w%]|[.,]\d)")
_RANGE = re.compile(
    r"(?<![\w.,\-–/])(-?\d+(?:[.,]\d+)?)\s?[-–—]\s?(\d+(?:[.,]\d+)?)(?![\w\-–]|[.,]\d|:\d)")
_SCORE = re.compile(r"(?<![\w.,\-–/:])(\d{1,2})\s?([-–:])\s?(\d{1,2})(?![\w\-–:]|[.,]\d)")
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]\d{2,4}){1,4}"
    r"|\(\d{3}\)\s?\d{3}[-.\s]\d{4}|\d{3}[-.]\d{3}[-.]\d{4}|0\d{2,4}[\s-]\d{3,4}[\s-]?\d{3,4}"
    r"|\d{3}-\d{4})(?![\w-])")
_HOUR_H = re.compile(r"(?<![\w:.,])([01]?\d|2[0-3])h(?!\w)")
_DECADE = re.compile(r"(?<![\w.,$])(?:mid-|early-|late-)?(1[1-9]\d0|20\d0)(?:s|er\b)(?!\w)")
_SHORT_DECADE = re.compile(r"(?<![\w.,$])['’]?([1-9]0)(s|er)(?!\w)")


def _month_names(table: Table) -> list[str]:
    return list(table.section("months").get("names", []))


def said_date(table: Table, year: int | None, month: int, day: int,
              order: str | None = None) -> str | None:
    """A date said the way the language says it; None when it is no date."""
    names = _month_names(table)
    if not names or not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    dates = table.section("dates")
    order = order or dates.get("order", "dmy")
    style = dates.get(f"said_{order}", dates.get("said", ["{day} {month}", " {year}"]))
    first = dates.get("first_day")
    if dates.get("day", "cardinal") == "ordinal":
        day_said = say.ordinal(day, table) + dates.get("ordinal_ending", "")
    else:
        day_said = first if day == 1 and first else say.cardinal(day, table)
    said = style[0].format(day=day_said, month=names[month - 1])
    if year is not None:
        said += style[1].format(year=say.year(year, table))
    return said


def _order(table: Table, a: int, b: int) -> tuple[int, int]:
    """(month, day) from the two numbers of a numeric date, in the locale's order,
    unless only the other order makes a date (25/12 is December the 25th everywhere)."""
    month_first = table.section("dates").get("order", "dmy") == "mdy"
    if month_first:
        return (a, b) if a <= 12 or b > 12 else (b, a)
    return (b, a) if b <= 12 or a > 12 else (a, b)


@lru_cache(maxsize=16)
def _named(table: Table) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    names = _month_names(table)
    if not names:
        return None
    month = "(" + "|".join(names) + ")"
    day = rf"(\d{{1,2}}){_ORDINAL_SUFFIX}"
    year = r"(?:,?\s(1[1-9]\d\d|20\d\d)(?![\d.,]\d))?"
    de_dot = r"\.?" if table.lang == "de" else ""
    return (
        re.compile(rf"\b{month}\s{day}(?!\d|:){year}(?![\w])"),  # December 2nd, 2024
        re.compile(rf"(?<![\w.,])(?:the\s)?{day}{de_dot}(?:\sof)?\s{month}\b{year}"),  # 2 Dec
    )


def dates(text: str, p: Pass) -> str:
    """Dates in the common news formats, as words: ISO, numeric (locale order), named month."""
    if not any(c.isdigit() for c in text):
        return text
    t = p.table
    text = _ISO.sub(lambda m: _hold(p, said_date(t, int(m[1]), int(m[2]), int(m[3]),
                                                  t.section("dates").get("order")), m), text)

    def numeric(m: re.Match[str]) -> str:
        month, day = _order(t, int(m[1]), int(m[3]))
        year = int(m[4]) if len(m[4]) == 4 else 2000 + int(m[4])
        if m[2] == "." and t.lang == "en":
            return m[0]  # "1.5.2024" in English text is rarer than a version number
        return _hold(p, said_date(t, year, month, day), m)

    text = _NUMERIC.sub(numeric, text)
    cues = tuple(t.section("dates").get("cues", ()))
    if cues and "/" in text:
        def day_month(m: re.Match[str]) -> str:
            before = m.string[: m.start()].rstrip().rsplit(None, 1)
            cue = bool(before) and before[-1].lower() in cues
            if not (cue or m[1].startswith("0") or m[2].startswith("0")):
                return m[0]  # 1/2 is a fraction
            month, day = _order(t, int(m[1]), int(m[2]))
            return _hold(p, said_date(t, None, month, day), m)

        text = _DAY_MONTH.sub(day_month, text)
    named = _named(t)
    if named:
        names = _month_names(t)
        month_first, day_first = named

        def said(m: re.Match[str], month: str, day: str, year: str | None, order: str) -> str:
            y = int(year) if year else None
            return _hold(p, said_date(t, y, names.index(month) + 1, int(day), order), m)

        text = month_first.sub(lambda m: said(m, m[1], m[2], m[3], "mdy"), text)
        def day_month_year(m: re.Match[str]) -> str:
            spoken = said(m, m[2], m[1], m[3], "dmy")
            # "the 3rd of May": the template's own "the" is there already
            if re.search(r"\bthe\s$", m.string[: m.start()], re.IGNORECASE):
                return p.hold(p.protect.restore(spoken).removeprefix("the "))
            return spoken

        text = day_first.sub(day_month_year, text)
    return text


def _hold(p: Pass, said: str | None, m: re.Match[str]) -> str:
    return m[0] if said is None else p.hold(said)


def _clock(hour: int, minute: int, table: Table, twelve: bool) -> str:
    """ "ten thirty", "nine oh five", "fourteen hundred", "nine o'clock" (English)."""
    words = table.section("times")
    # "uma hora", "une heure": hours are feminine in some languages
    h = words.get("hour_names", {}).get(str(hour)) or say.cardinal(hour, table)
    if table.lang != "en":
        template = words.get("on_the_hour" if minute == 0 else "said", "{h} {m}")
        if minute and minute < 10 and "said_low" in words:
            template = words["said_low"]
        return str(template).format(h=h, m=say.cardinal(minute, table),
                                    hours=words.get("hours", "") if hour != 1 else words.get(
                                        "hour", ""))
    if minute == 0:
        if twelve:
            return h
        return f"{h} {table.word('oclock')}" if hour <= 12 else f"{h} {table.word('hundred_hours')}"
    if minute < 10:
        return f"{h} {table.word('oh')} {say.cardinal(minute, table)}"
    return f"{h} {say.cardinal(minute, table)}"


@lru_cache(maxsize=16)
def _time_pattern(table: Table) -> re.Pattern[str]:
    section = table.section("times")
    zones = "|".join(sorted(section.get("zones", {}), key=len, reverse=True)) or "(?!)"
    suffix = section.get("suffix", "")  # "Uhr", "h"
    sep = section.get("separators", ":")
    return re.compile(
        rf"(?<![\w:.,])([01]?\d|2[0-3])(?:[{sep}]([0-5]\d)|(?=\s?[apAP]\.?[mM]\b))"
        r"(?:\s?([apAP])\.?[mM]\.?(?![\w]))?"
        rf"(?:\s({zones})(?!\w))?"
        + (rf"(?:\s?({suffix})(?!\w))?" if suffix else "()")
        + r"(?![\w:])"
    )


def times(text: str, p: Pass) -> str:
    """Clock times with a.m./p.m. and zones: "10:30 a.m. ET" -> "ten thirty A-M Eastern Time"."""
    if not any(c.isdigit() for c in text):
        return text
    t = p.table
    section = t.section("times")

    def replace(m: re.Match[str]) -> str:
        hour, minute, half, zone = int(m[1]), int(m[2] or 0), m[3], m[4]
        if m[2] is None and not half:
            return m[0]
        said = _clock(hour, minute, t, twelve=bool(half))
        if half:
            said += " " + section.get("am" if half in "aA" else "pm", "")
        if zone:
            said += " " + section["zones"][zone]
        held = p.hold(said)
        # "at 9 p.m." ends a sentence: keep the stop the a.m./p.m. swallowed
        rest = m.string[m.end():]
        if m[0].endswith(".") and (not rest.strip() or re.match(r"\s+[A-Z]", rest)):
            held += "."
        return held

    text = _time_pattern(t).sub(replace, text)
    if "h" in section.get("separators", ""):  # "14h": how French and Brazilian papers write it
        text = _HOUR_H.sub(lambda m: p.hold(_clock(int(m[1]), 0, t, twelve=False)), text)
    return text


def decades(text: str, p: Pass) -> str:
    """1990s -> "nineteen nineties", '90s -> "nineties", mid-1990s -> "mid nineteen nineties"."""
    if "0" not in text:
        return text
    t = p.table
    ending = t.section("numbers").get("decade_ending")

    def plural(n: int) -> str:
        return (say.year(n, t) if n >= 1000 else say.cardinal(n, t)) + ending if ending else (
            say.plural_year(n, t))

    def full(m: re.Match[str]) -> str:
        prefix = m[0][: m[0].index(m[1])].replace("-", " ")
        return prefix + p.hold(plural(int(m[1])))

    text = _DECADE.sub(full, text)
    return _SHORT_DECADE.sub(lambda m: p.hold(plural(int(m[1]))), text)


def ranges(text: str, p: Pass) -> str:
    """2024-25 -> "twenty twenty-four to twenty-five"; 10-20 -> "ten to twenty"."""
    if not any(c in text for c in "-–—/"):
        return text
    t = p.table
    to = t.word("to", "to")

    def years(m: re.Match[str]) -> str:
        first, second = int(m[1]), m[2]
        if "/" in m[0] and len(second) == 4 and t.lang != "en":
            return m[0]
        if len(second) == 2:
            full = first // 100 * 100 + int(second)
            if full <= first:
                full += 100
            if full - first > 10 and t.lang == "en" and "/" not in m[0]:
                return m[0]  # "1990-95" is a range; "2024-85" is no season: leave it
            end = say.cardinal(int(second), t) if int(second) >= 10 and t.lang == "en" else (
                say.year(full, t))
        else:
            if int(second) <= first:
                return m[0]
            end = say.year(int(second), t)
        return p.hold(f"{say.year(first, t)} {to} {end}")

    text = _YEAR_RANGE.sub(years, text)

    def numbers(m: re.Match[str]) -> str:
        first, second = m[1], m[2]
        if len(second) > len(first.lstrip("-")) > 2:
            return m[0]  # "555-1234" is no range
        return f"{first} {to} {second}"

    return _RANGE.sub(numbers, text)


def scores(text: str, p: Pass) -> str:
    """A number pair near a word of winning or losing is a score: "beat Chelsea 3-1"."""
    if not any(c in text for c in "-–:"):
        return text
    t = p.table
    section = t.section("scores")
    cue_words = frozenset(section.get("words", ()))
    if not cue_words:
        return text
    joiner = t.word("score_joiner", " ")
    zero = t.word("score_zero") or say.cardinal(0, t)

    def replace(m: re.Match[str]) -> str:
        if m[2] == ":" and not section.get("colon", False):
            return m[0]
        near = re.findall(r"[\w-]+", m.string[max(0, m.start() - 60): m.start()])[-6:]
        near += re.findall(r"[\w-]+", m.string[m.end(): m.end() + 25])[:2]
        if not cue_words.intersection(w.lower() for w in near):
            return m[0]
        a, b = (say.cardinal(int(x), t) if int(x) else zero for x in (m[1], m[3]))
        return p.hold(f"{a}{joiner}{b}")

    return _SCORE.sub(replace, text)


def phone(text: str, p: Pass) -> str:
    """Phone numbers digit by digit, a pause between groups: "five five five, zero one four two"."""
    if not any(c.isdigit() for c in text):
        return text
    t = p.table

    def replace(m: re.Match[str]) -> str:
        groups = re.findall(r"\+|\d+", m[0])
        if sum(len(g) for g in groups if g != "+") < 7:
            return m[0]
        said = [t.word("plus", "plus") if g == "+" else say.digits(g, t) for g in groups]
        if said[0] == t.word("plus", "plus"):
            said[:2] = [f"{said[0]} {said[1]}"]
        return p.hold(", ".join(said))

    return _PHONE.sub(replace, text)
