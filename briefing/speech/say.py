"""Numbers as words in the table's language: cardinals, ordinals, years, decimals, digits.

num2words does the counting in every language; it is imported on first use (~60 ms, all
its languages at once), so `briefing --help` and texts without digits never pay for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from briefing.speech.tables import Table

_N2W_LANG = {"en": "en", "de": "de", "fr": "fr", "es": "es", "pt": "pt"}
_N2W_REGION = {"pt-br": "pt_BR"}


@cache
def _num2words() -> Callable[..., str]:
    from num2words import num2words

    return num2words


def _n2w(value: Any, table: Table, to: str = "cardinal") -> str:
    lang = _N2W_REGION.get(table.code, _N2W_LANG.get(table.lang, "en"))
    # num2words writes "mil, novecentos" in Brazilian years: a comma would be a pause
    return _num2words()(value, lang=lang, to=to).replace(",", "")


def cardinal(n: int, table: Table) -> str:
    """12 -> "twelve"; 2024 -> "two thousand and twenty-four"."""
    return _n2w(n, table)


def ordinal(n: int, table: Table) -> str:
    """21 -> "twenty-first", "einundzwanzigste", "vingt et unième"."""
    return _n2w(n, table, "ordinal")


def year(n: int, table: Table) -> str:
    """2024 -> "twenty twenty-four", "zweitausendvierundzwanzig"; 1905 -> "nineteen oh five"."""
    if table.lang in ("en", "de"):
        said = _n2w(n, table, "year")
        return said.replace("oh-", "oh ") if table.lang == "en" else said
    return cardinal(n, table)


def plural_year(n: int, table: Table) -> str:
    """The decade or century said as a plural: 1990 -> "nineteen nineties"."""
    said = year(n, table) if n >= 1000 else cardinal(n, table)
    head, _, last = said.rpartition(" ")
    stem, sep, tail = last.rpartition("-")
    tail = tail[:-1] + "ies" if tail.endswith("y") else tail + "s"
    return f"{head} {stem}{sep}{tail}".strip()


def digits(text: str, table: Table) -> str:
    """Each digit by name: "0142" -> "zero one four two"."""
    return " ".join(cardinal(int(d), table) for d in text if d.isdigit())


def decimal(whole: str, fraction: str, table: Table) -> str:
    """3 and 05 -> "three point zero five"; French, Spanish and Portuguese say the
    fraction as a number when it has no leading zero ("trois virgule cinquante")."""
    point = table.word("point", "point")
    head = cardinal(int(whole or "0"), table)
    if table.lang in ("fr", "es", "pt") and not fraction.startswith("0") and len(fraction) <= 2:
        return f"{head} {point} {cardinal(int(fraction), table)}"
    return f"{head} {point} {digits(fraction, table)}"


def parse(written: str, table: Table) -> tuple[str, str] | None:
    """A written number as (whole digits, fraction digits), by the language's marks.

    "3,000.5" in English is ("3000", "5"); "3.000,5" in German the same. None when the
    marks do not make a number of that language (then it is left alone).
    """
    group, point = table.section("numbers").get("marks", ",.")
    whole, sep, fraction = written.rpartition(point) if point in written else (written, "", "")
    if not sep:
        whole = written
    groups = re.split("[" + re.escape(group) + "\u00a0\u202f ]", whole) if whole else [""]
    if len(groups) > 1 and not (
        1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
    ):
        return None
    whole = "".join(groups)
    if not whole.isdigit() and whole != "":
        return None
    if sep and not fraction.isdigit():
        return None
    return whole, fraction


def number(written: str, table: Table) -> str:
    """A written number ("3,000", "3.5", "3,5") as words; unchanged if it is not one."""
    parsed = parse(written, table)
    if parsed is None:
        return written
    whole, fraction = parsed
    if fraction:
        return decimal(whole, fraction, table)
    return cardinal(int(whole), table)


def before_noun(said: str, table: Table) -> str:
    """A count's form before a noun: German "eins" -> "ein", Spanish "veintiuno" -> "veintiún"."""
    for plain, short in table.section("numbers").get("before_noun", {}).items():
        if said.endswith(plain):
            return said[: -len(plain)] + short
    return said
