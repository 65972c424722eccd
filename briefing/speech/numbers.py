"""Numbers for the ear: money, units, dates, times, ranges, ordinals and years, per language.

espeak-ng already reads plain digits, decimals, thousands separators and ``%`` well
in en, de, fr, es and pt (checked with espeak_TextToPhonemes), so these rules only
rewrite what it gets wrong: symbols before numbers (``$3.2bn`` -> "dollar three
point two b n"), unit abbreviations (spelled as letters), ISO and slash dates
(read with "dash"/"slash"), hyphen ranges ("dash"), English and German years
("nineteen hundred ninety nine"), German day ordinals (read as cardinals with a
sentence break) and a few English ordinals ("100th" -> "one hundred th").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

LANGUAGES = ("en", "de", "fr", "es", "pt")


@dataclass(frozen=True)
class Words:
    """The words one language needs to say numbers, money and units."""

    to: str  # ranges: "2019 to 2021"
    decimal: str  # the decimal separator as written in that language
    cents_joiner: str  # "5 euros 99" / "5 euros con 99"
    of: str  # between a large magnitude and a currency: "3 milliards de dollars"
    months: tuple[str, ...]
    number_sign: str  # "#1"
    # magnitude key -> (singular, plural); keys: k, m, bn, tn
    magnitudes: dict[str, tuple[str, str]]
    # currency key -> (singular, plural); keys: usd, eur, gbp, jpy, inr
    currencies: dict[str, tuple[str, str]]


EN = Words(
    to="to",
    decimal=".",
    cents_joiner="",
    of="",
    months=("January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December"),
    number_sign="number",
    magnitudes={"k": ("thousand", "thousand"), "m": ("million", "million"),
                "bn": ("billion", "billion"), "tn": ("trillion", "trillion")},
    currencies={"usd": ("dollar", "dollars"), "eur": ("euro", "euros"),
                "gbp": ("pound", "pounds"), "jpy": ("yen", "yen"),
                "inr": ("rupee", "rupees"), "usd_us": ("US dollar", "US dollars"),
                "brl": ("real", "reais")},
)
DE = Words(
    to="bis",
    decimal=",",
    cents_joiner="",
    of="",
    months=("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli",
            "August", "September", "Oktober", "November", "Dezember"),
    number_sign="Nummer",
    magnitudes={"k": ("Tausend", "Tausend"), "m": ("Million", "Millionen"),
                "bn": ("Milliarde", "Milliarden"), "tn": ("Billion", "Billionen")},
    currencies={"usd": ("Dollar", "Dollar"), "eur": ("Euro", "Euro"),
                "gbp": ("Pfund", "Pfund"), "jpy": ("Yen", "Yen"),
                "inr": ("Rupie", "Rupien"), "usd_us": ("US-Dollar", "US-Dollar"),
                "brl": ("Real", "Real")},
)
FR = Words(
    to="à",
    decimal=",",
    cents_joiner="",
    of="de",
    months=("janvier", "février", "mars", "avril", "mai", "juin", "juillet",
            "août", "septembre", "octobre", "novembre", "décembre"),
    number_sign="numéro",
    magnitudes={"k": ("mille", "mille"), "m": ("million", "millions"),
                "bn": ("milliard", "milliards"), "tn": ("billion", "billions")},
    currencies={"usd": ("dollar", "dollars"), "eur": ("euro", "euros"),
                "gbp": ("livre", "livres"), "jpy": ("yen", "yens"),
                "inr": ("roupie", "roupies"),
                "usd_us": ("dollar américain", "dollars américains"),
                "brl": ("real", "reais")},
)
ES = Words(
    to="a",
    decimal=",",
    cents_joiner="con",
    of="de",
    months=("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
            "agosto", "septiembre", "octubre", "noviembre", "diciembre"),
    number_sign="número",
    magnitudes={"k": ("mil", "mil"), "m": ("millón", "millones"),
                "bn": ("mil millones", "mil millones"), "tn": ("billón", "billones")},
    currencies={"usd": ("dólar", "dólares"), "eur": ("euro", "euros"),
                "gbp": ("libra", "libras"), "jpy": ("yen", "yenes"),
                "inr": ("rupia", "rupias"),
                "usd_us": ("dólar estadounidense", "dólares estadounidenses"),
                "brl": ("real", "reales")},
)
PT = Words(
    to="a",
    decimal=",",
    cents_joiner="e",
    of="de",
    months=("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho",
            "agosto", "setembro", "outubro", "novembro", "dezembro"),
    number_sign="número",
    # European Portuguese: a "bilião" is 10^12, so 10^9 is "mil milhões"
    magnitudes={"k": ("mil", "mil"), "m": ("milhão", "milhões"),
                "bn": ("mil milhões", "mil milhões"), "tn": ("bilião", "biliões")},
    currencies={"usd": ("dólar", "dólares"), "eur": ("euro", "euros"),
                "gbp": ("libra", "libras"), "jpy": ("iene", "ienes"),
                "inr": ("rupia", "rupias"),
                "usd_us": ("dólar americano", "dólares americanos"),
                "brl": ("real", "reais")},
)
PT_BR = Words(**{**PT.__dict__, "magnitudes": {
    "k": ("mil", "mil"), "m": ("milhão", "milhões"),
    "bn": ("bilhão", "bilhões"), "tn": ("trilhão", "trilhões")}})

WORDS = {"en": EN, "de": DE, "fr": FR, "es": ES, "pt": PT, "pt-br": PT_BR}


def words_for(language: str) -> Words | None:
    """The word table for a language code like "en", "en-GB" or "pt-BR"; None if unknown."""
    code = language.lower().replace("_", "-")
    return WORDS.get(code) or WORDS.get(code.split("-")[0])


# --- units ----------------------------------------------------------------------------------
# unit as written -> language -> (singular, plural)
_U = dict[str, tuple[str, str]]


def _unit(en: str, de: str, fr: str, es: str, pt: str) -> _U:
    """Build one unit's table from "sg|pl" strings (a single form means invariant)."""

    def pair(s: str) -> tuple[str, str]:
        sg, _, pl = s.partition("|")
        return sg, pl or sg

    return {"en": pair(en), "de": pair(de), "fr": pair(fr), "es": pair(es), "pt": pair(pt)}


UNITS: dict[str, _U] = {
    "km/h": _unit("kilometre per hour|kilometres per hour", "Kilometer pro Stunde",
                  "kilomètre par heure|kilomètres par heure",
                  "kilómetro por hora|kilómetros por hora",
                  "quilómetro por hora|quilómetros por hora"),
    "kph": _unit("kilometre per hour|kilometres per hour", "Kilometer pro Stunde",
                 "kilomètre par heure|kilomètres par heure",
                 "kilómetro por hora|kilómetros por hora",
                 "quilómetro por hora|quilómetros por hora"),
    "mph": _unit("mile per hour|miles per hour", "Meile pro Stunde|Meilen pro Stunde",
                 "mile par heure|miles par heure", "milla por hora|millas por hora",
                 "milha por hora|milhas por hora"),
    "km²": _unit("square kilometre|square kilometres", "Quadratkilometer",
                 "kilomètre carré|kilomètres carrés",
                 "kilómetro cuadrado|kilómetros cuadrados",
                 "quilómetro quadrado|quilómetros quadrados"),
    "m²": _unit("square metre|square metres", "Quadratmeter", "mètre carré|mètres carrés",
                "metro cuadrado|metros cuadrados", "metro quadrado|metros quadrados"),
    "km": _unit("kilometre|kilometres", "Kilometer", "kilomètre|kilomètres",
                "kilómetro|kilómetros", "quilómetro|quilómetros"),
    "cm": _unit("centimetre|centimetres", "Zentimeter", "centimètre|centimètres",
                "centímetro|centímetros", "centímetro|centímetros"),
    "mm": _unit("millimetre|millimetres", "Millimeter", "millimètre|millimètres",
                "milímetro|milímetros", "milímetro|milímetros"),
    "kg": _unit("kilogram|kilograms", "Kilogramm", "kilogramme|kilogrammes",
                "kilogramo|kilogramos", "quilograma|quilogramas"),
    "°C": _unit("degree Celsius|degrees Celsius", "Grad Celsius",
                "degré Celsius|degrés Celsius", "grado Celsius|grados Celsius",
                "grau Celsius|graus Celsius"),
    "°F": _unit("degree Fahrenheit|degrees Fahrenheit", "Grad Fahrenheit",
                "degré Fahrenheit|degrés Fahrenheit", "grado Fahrenheit|grados Fahrenheit",
                "grau Fahrenheit|graus Fahrenheit"),
    "GB": _unit("gigabyte|gigabytes", "Gigabyte", "gigaoctet|gigaoctets",
                "gigabyte|gigabytes", "gigabyte|gigabytes"),
    "TB": _unit("terabyte|terabytes", "Terabyte", "téraoctet|téraoctets",
                "terabyte|terabytes", "terabyte|terabytes"),
}
_PREFIX = {"k": _unit("kilo", "Kilo", "kilo", "kilo", "quilo"),
           "M": _unit("mega", "Mega", "méga", "mega", "mega"),
           "G": _unit("giga", "Giga", "giga", "giga", "giga"),
           "T": _unit("tera", "Tera", "téra", "tera", "tera")}
_WATT = _unit("watt|watts", "watt", "watt|watts", "vatio|vatios", "watt|watts")
_WATT_HOUR = _unit("watt hour|watt hours", "wattstunde|wattstunden", "wattheure|wattheures",
                   "vatio hora|vatios hora", "watt-hora|watts-hora")
for _p, _pw in _PREFIX.items():
    for _sym, _base in (("W", _WATT), ("Wh", _WATT_HOUR)):
        UNITS[_p + _sym] = {
            lang: (_pw[lang][0] + sg, _pw[lang][0] + pl) for lang, (sg, pl) in _base.items()
        }
# metres written "m" only where "m" cannot mean million (English news writes "5m people")
_METRE = _unit("metre|metres", "Meter", "mètre|mètres", "metro|metros", "metro|metros")


def _is_one(num: str) -> bool:
    return re.fullmatch(r"1(?:[.,]0+)?", num) is not None


def _pick(forms: tuple[str, str], num: str) -> str:
    return forms[0] if _is_one(num) else forms[1]


# --- the rules ------------------------------------------------------------------------------
NUM = r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_CURRENCY_SYMBOL = {
    "$": "usd", "US$": "usd_us", "R$": "brl", "€": "eur", "£": "gbp", "¥": "jpy", "₹": "inr"
}
_MAGNITUDE = {"k": "k", "thousand": "k", "m": "m", "mn": "m", "mln": "m", "million": "m",
              "mio": "m", "mio.": "m", "bn": "bn", "billion": "bn", "b": "bn", "mrd": "bn",
              "mrd.": "bn", "md": "bn", "tn": "tn", "trillion": "tn", "tr": "tn"}
_MAG_RE = r"(?:thousand|million|billion|trillion|Mio\.|Mrd\.|mln|bn|tn|mn|Md|k|m|b)"

# magnitudes already written out in the text's language: "$3.000 millones" -> "... de dólares"
_MAG_WORDS = (r"mil millones|mil milhões|millones|millón|milhões|milhão|bilhões|bilhão|"
              r"millions|million|milliards|milliard|Millionen|Million|Milliarden|Milliarde|"
              r"billions|billion|trillions|trillion|billones|billón")
_MONEY_BEFORE = re.compile(
    rf"(?P<cur>US\$|R\$|[$€£¥₹])\s?(?P<num>{NUM})"
    rf"(?:\s?(?P<mag>{_MAG_RE})(?![\w])|\s(?P<word>{_MAG_WORDS})(?![\w]))?"
)
_MONEY_AFTER = re.compile(
    rf"(?<![\w.,])(?P<num>{NUM})\s?(?:(?P<mag>Mio\.|Mrd\.|Md|M)\s?)?(?P<cur>[€$£])"
)
_BARE_MAGNITUDE = re.compile(rf"(?<![\w.,])(?P<num>{NUM})\s?(?P<mag>bn|tn)(?![\w])")
_DE_MAGNITUDE = re.compile(rf"(?<![\w.,])(?P<num>{NUM})\s(?P<mag>Mio\.|Mrd\.)(?!\w)")
_ISO_DATE = re.compile(r"(?<![\w-])(\d{4})-(\d{2})-(\d{2})(?![\w-])")
_SLASH_DATE = re.compile(r"(?<![\w/.])(\d{1,2})([/.])(\d{1,2})\2(\d{4})(?![\w/])")
_DE_DAY = re.compile(r"(?<![\w.,])(\d{1,2})\.\s(?=(?:" + "|".join(DE.months) + r")\b)")
_DIGIT = re.compile(r"\d")
_HOUR_H = re.compile(r"(?<![\w:.])([01]?\d|2[0-3])h(?!\w)")
_TIME = re.compile(r"(?<![\w:.])([01]?\d|2[0-3])[:h]([0-5]\d)(?![\w:])(?:\s?(Uhr|h)\b)?")
_RANGE = re.compile(rf"(?<![\w.,\-–])({NUM})\s?[-–—]\s?({NUM})(?![\w\-–]|[.,]\d)")
_WORD_DIGIT = re.compile(r"(?<=[^\W\d_])-(?=\d)")
_EN_ORDINAL_00 = re.compile(r"(?<![\w.,])(\d+)00th\b")
_YEAR = re.compile(r"(?<![\w.,$€£¥-])(1[1-9]\d\d|20[1-9]\d)(s)?(?![\w%]|[.,]\d|\s?(?:%|[€$£]))")
_NUMBER_SIGN = re.compile(r"(?<![\w#])#(?=\d)")
_UNIT = re.compile(
    r"(?<![\w.,])(?P<num>" + NUM + r")\s?(?P<unit>"
    + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
    + r"|°|m)(?![\w²/])"
)
_DE_DAY_ORDINAL = (
    "ersten", "zweiten", "dritten", "vierten", "fünften", "sechsten", "siebten", "achten",
    "neunten", "zehnten", "elften", "zwölften", "dreizehnten", "vierzehnten", "fünfzehnten",
    "sechzehnten", "siebzehnten", "achtzehnten", "neunzehnten", "zwanzigsten",
    "einundzwanzigsten", "zweiundzwanzigsten", "dreiundzwanzigsten", "vierundzwanzigsten",
    "fünfundzwanzigsten", "sechsundzwanzigsten", "siebenundzwanzigsten", "achtundzwanzigsten",
    "neunundzwanzigsten", "dreißigsten", "einunddreißigsten",
)
_DE_CENTURY = {11: "elf", 12: "zwölf", 13: "dreizehn", 14: "vierzehn", 15: "fünfzehn",
               16: "sechzehn", 17: "siebzehn", 18: "achtzehn", 19: "neunzehn"}
_EN_DAY = {1: "1st", 2: "2nd", 3: "3rd", 21: "21st", 22: "22nd", 23: "23rd", 31: "31st"}


def _money(
    w: Words, lang: str, num: str, cur_key: str, mag: str | None, word: str | None = None
) -> str:
    currency = w.currencies[cur_key]
    if word:
        return f"{num} {word}{_of(w, lang, currency[1])}{currency[1]}"
    if mag:
        key = _MAGNITUDE[mag.lower()] if mag != "M" else "m"
        magnitude = _pick(w.magnitudes[key], num)
        of = _of(w, lang, currency[1]) if key != "k" else " "
        return f"{num} {magnitude}{of}{currency[1]}"
    whole, sep, cents = num.rpartition(w.decimal)
    if sep and len(cents) == 2 and whole:
        joiner = f" {w.cents_joiner}" if w.cents_joiner else ""
        name = _pick(currency, whole)
        return f"{whole} {name}{joiner} {cents}" if cents != "00" else f"{whole} {name}"
    return f"{num} {_pick(currency, num)}"


def _of(w: Words, lang: str, currency: str) -> str:
    """The little word between "millions" and the currency: "de", or French "d'" elided."""
    if not w.of:
        return " "
    if lang == "fr" and currency[0] in "aeiouyé":
        return " d'"
    return f" {w.of} "


def _date(w: Words, lang: str, year: int, month: int, day: int) -> str | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    name = w.months[month - 1]
    if lang == "en":
        return f"{name} {_EN_DAY.get(day, f'{day}th')}, {year}"
    if lang == "de":
        return f"{_DE_DAY_ORDINAL[day - 1]} {name} {year}"
    if lang == "fr":
        return f"{'1er' if day == 1 else day} {name} {year}"
    return f"{day} de {name} de {year}"  # es, pt


def _en_year(m: re.Match[str]) -> str:
    year, plural = m.group(1), m.group(2) or ""
    head, tail = year[:2], year[2:]
    if tail == "00":
        return f"{head} hundreds" if plural else f"{head} hundred"
    if tail[0] == "0":  # 1905 -> "nineteen oh five"; 2005 is read well as a plain number
        return year + plural if head == "20" else f"{head} oh {tail[1]}{plural}"
    return f"{head} {tail}{plural}"


def _de_year(m: re.Match[str]) -> str:
    year = m.group(1)
    head, tail = int(year[:2]), int(year[2:])
    if head not in _DE_CENTURY or m.group(2):
        return m.group(0)
    return f"{_DE_CENTURY[head]}hundert {tail}" if tail else f"{_DE_CENTURY[head]}hundert"


def _time(w: Words, lang: str, m: re.Match[str]) -> str:
    hour, minute, suffix = int(m.group(1)), m.group(2), m.group(3)
    if m.group(0)[len(m.group(1))] == "h" and lang not in ("fr", "pt") and not suffix:
        return m.group(0)  # "14h11" outside French is likely not a time
    if lang == "de":
        return f"{hour} Uhr" + ("" if minute == "00" else f" {int(minute)}")
    if lang == "fr":
        return f"{hour} heure{'s' if hour > 1 else ''}" + (
            "" if minute == "00" else f" {int(minute)}")
    if lang in ("es", "pt"):
        return f"{hour} {'hora' if hour == 1 else 'horas'}" if minute == "00" else (
            f"{hour} {minute}" if minute[0] != "0" else f"{hour} {'y' if lang == 'es' else 'e'}"
            f" {int(minute)}")
    # English: "9:05" is read "nine zero five" and "14:00" "fourteen zero zero"
    suffix_text = f" {suffix}" if suffix else ""
    if minute == "00":
        return (f"{hour} o'clock" if hour <= 12 else f"{hour} hundred") + suffix_text
    if minute[0] == "0":
        return f"{hour} oh {minute[1]}{suffix_text}"
    return f"{hour} {minute}{suffix_text}"


def normalize_numbers(text: str, language: str) -> str:
    """Rewrite the numbers in text that espeak-ng would misread in that language."""
    w = words_for(language)
    code = language.lower().replace("_", "-")
    lang = code.split("-")[0]
    if not _DIGIT.search(text):
        return text
    # "COVID-19", "Chang'e-6": a hyphen before digits is read "dash" or taken for a minus
    text = _WORD_DIGIT.sub(" ", text)
    if w is None:
        return text
    # (needle, step): a step runs only when its needle is in the text (speed; see speech.py)
    steps: list[tuple[tuple[str, ...], Callable[[str], str]]] = [
        (("-",), lambda t: _ISO_DATE.sub(
            lambda m: _date(w, lang, int(m[1]), int(m[2]), int(m[3])) or m[0], t)),
        (("/", "."), lambda t: _SLASH_DATE.sub(lambda m: _slash_date(w, lang, m), t)),
        (("$", "€", "£", "¥", "₹"), lambda t: _MONEY_BEFORE.sub(
            lambda m: _money(w, lang, m["num"], _CURRENCY_SYMBOL[m["cur"]], m["mag"], m["word"]),
            t)),
        (("$", "€", "£"), lambda t: _MONEY_AFTER.sub(
            lambda m: _money(w, lang, m["num"], _CURRENCY_SYMBOL[m["cur"]], m["mag"]), t)),
        (("bn", "tn"), lambda t: _BARE_MAGNITUDE.sub(
            lambda m: f"{m['num']} {_pick(w.magnitudes[m['mag']], m['num'])}", t)),
        (("Mio.", "Mrd."), lambda t: _DE_MAGNITUDE.sub(
            lambda m: f"{m['num']} {_pick(w.magnitudes[_MAGNITUDE[m['mag'].lower()]], m['num'])}",
            t)),
        ((":", "h"), lambda t: _TIME.sub(lambda m: _time(w, lang, m), t)),
        (("h",), lambda t: _HOUR_H.sub(lambda m: _hour_h(lang, m), t)),
        (("",), lambda t: _UNIT.sub(lambda m: _unit_words(lang, m), t)),
        (("-", "–", "—"), lambda t: _RANGE.sub(lambda m: _range(w, m), t)),
        (("#",), lambda t: _NUMBER_SIGN.sub(f"{w.number_sign} ", t)),
    ]
    if lang == "en":
        steps.append((("00th",), lambda t: _EN_ORDINAL_00.sub(_en_hundredth, t)))
        steps.append((("1", "2"), lambda t: _YEAR.sub(_en_year, t)))
    elif lang == "de":
        steps.append(((".",), lambda t: _DE_DAY.sub(
            lambda m: f"{_DE_DAY_ORDINAL[int(m[1]) - 1]} " if 1 <= int(m[1]) <= 31 else m[0], t)))
        steps.append((("1",), lambda t: _YEAR.sub(_de_year, t)))
    for needles, step in steps:
        if any(n in text for n in needles):
            text = step(text)
    return text


def _slash_date(w: Words, lang: str, m: re.Match[str]) -> str:
    a, b, year = int(m[1]), int(m[3]), int(m[4])
    # day first unless that cannot be: most of the world, and most feeds, write D/M/Y
    day, month = (b, a) if b > 12 >= a else (a, b)
    return _date(w, lang, year, month, day) or m[0]


def _unit_words(lang: str, m: re.Match[str]) -> str:
    num, unit = m["num"], m["unit"]
    if unit == "°":
        forms = {"en": ("degree", "degrees"), "de": ("Grad", "Grad"),
                 "fr": ("degré", "degrés"), "es": ("grado", "grados"),
                 "pt": ("grau", "graus")}[lang]
        return f"{num} {_pick(forms, num)}"
    if unit == "m":
        if lang == "en":  # "5m people" is five million, "100m sprint" a distance: leave it
            return m[0]
        return f"{num} {_pick(_METRE[lang], num)}"
    return f"{num} {_pick(UNITS[unit][lang], num)}"


def _en_hundredth(m: re.Match[str]) -> str:
    # espeak reads "100th" as "one hundred th"; it says "hundredth" right
    head = m.group(1)
    if head.endswith("0") and int(head) % 10 == 0:
        return f"{int(head) // 10} thousandth"
    return f"{head} hundredth"


def _range(w: Words, m: re.Match[str]) -> str:
    # "2019-21" and "10-100" are ranges; "555-1234" (a longer second part) is a phone number
    first, second = m[1], m[2]
    if len(second) > len(first) > 2:
        return m[0]
    return f"{first} {w.to} {second}"


def _hour_h(lang: str, m: re.Match[str]) -> str:
    # "14h" is how French and Brazilian papers write an hour; elsewhere leave it alone
    hour = int(m[1])
    if lang == "fr":
        return f"{hour} heure{'s' if hour > 1 else ''}"
    if lang == "pt":
        return f"{hour} hora{'s' if hour > 1 else ''}"
    return m[0]
