"""Money, units, fractions, ordinals, codes like G7 and every other number, as words."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources

from briefing.speech import say
from briefing.speech.acronyms import spell, word_like
from briefing.speech.state import Pass
from briefing.speech.tables import Table

NUM = r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_CURRENCY_SYMBOL = {
    "$": "usd", "US$": "usd_us", "R$": "brl", "€": "eur", "£": "gbp", "¥": "jpy", "₹": "inr",
}
_CURRENCY_CODE = {"USD": "usd", "EUR": "eur", "GBP": "gbp", "JPY": "jpy", "INR": "inr",
                  "CNY": "cny", "CHF": "chf", "BRL": "brl"}
_MAGNITUDE = {"k": "k", "thousand": "k", "m": "m", "mn": "m", "mln": "m", "million": "m",
              "mio.": "m", "bn": "bn", "billion": "bn", "b": "bn", "mrd.": "bn", "md": "bn",
              "tn": "tn", "trillion": "tn", "tr": "tn"}
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
_MONEY_CODE = re.compile(
    rf"\b(?P<cur>USD|EUR|GBP|JPY|INR|CNY|CHF|BRL)\s?(?P<num>{NUM})"
    rf"(?:\s?(?P<mag>{_MAG_RE})(?![\w]))?")
_BARE_MAGNITUDE = re.compile(rf"(?<![\w.,])(?P<num>{NUM})\s?(?P<mag>bn|tn|Mio\.|Mrd\.)(?!\w)")
_FRACTION = re.compile(r"(?<![\w/.,])(?:(\d+)\s)?(\d{1,2})/(\d{1,2})(?![\w/]|[.,]\d)")
_VULGAR = {"½": (1, 2), "⅓": (1, 3), "⅔": (2, 3), "¼": (1, 4), "¾": (3, 4), "⅕": (1, 5),
           "⅛": (1, 8), "⅜": (3, 8), "⅝": (5, 8), "⅞": (7, 8), "⅙": (1, 6), "⅒": (1, 10)}
_VULGAR_RE = re.compile(r"(?:(\d+)\s?)?([½⅓⅔¼¾⅕⅛⅜⅝⅞⅙⅒])")
_NUMBER_SIGN = re.compile(r"(?<![\w#&])(?:#|[Nn]º|[Nn]°)\s?(?=\d)")
_CODE = re.compile(r"(?<![\w\-./])(?=[A-Z\d-]*[A-Z])(?=[A-Z\d-]*\d)"
                   r"([A-Z]{1,5}-?\d+[A-Z\d]*|\d+[A-Z]{1,3})(?![\w\-/]|[.,]\d)")
_YEAR = re.compile(r"(1[1-9]\d\d|20\d\d)")
_TIMES = re.compile(r"(?<![\w.,])(\d+(?:\.\d+)?)x(?!\w)")
_PLURAL_COUNT = re.compile(r"(?<![\w.,])(\d*00)s(?!\w)")
_DIGITS = re.compile(r"\d+")
_WORD_DIGIT = re.compile(r"(?<=[^\W\d_]|[\ue000-\uf8ff])-(?=\d)")


_EN_M = re.compile(rf"(?<![\w.,])(?P<num>{NUM})m(?!\w)")


def _m_said(m: re.Match[str], p: Pass, metres_after: list[str]) -> str:
    """English "5m" is five million, except a distance after "the" or "a" (the 100m)."""
    before = m.string[: m.start()].rstrip().rsplit(None, 1)
    after = re.match(r"\s+(\w+)", m.string[m.end():])
    metres_before = p.table.section("numbers").get("metres_before", {}).get("words", ())
    if (before and before[-1].lower() in metres_after) or (after and after[1] in metres_before):
        return f"{_words(m['num'], p)} {_pick(_units()['m']['en'], m['num'])}"
    return f"{_words(m['num'], p)} {_pick(p.table.section('money')['magnitudes']['m'], m['num'])}"


@lru_cache(maxsize=1)
def _units() -> dict[str, dict[str, str]]:
    text = resources.files("briefing").joinpath("data", "ear", "units.toml").read_text("utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=16)
def _unit_pattern(table: Table) -> re.Pattern[str]:
    units = [u for u in _units() if table.lang in _units()[u]]
    if table.lang == "en":
        units.remove("m")  # "5m people" is five million, "100m sprint" a distance
    alternatives = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    return re.compile(rf"(?<![\w.,+])(?P<num>[-+]?(?:{NUM}))\s?(?P<unit>{alternatives})(?![\w²/])")


def _is_one(num: str) -> bool:
    return re.fullmatch(r"-?1(?:[.,]0+)?", num) is not None


def _pick(forms: str | list[str], num: str) -> str:
    if isinstance(forms, str):
        singular, _, plural = forms.partition("|")
        forms = [singular, plural or singular]
    return forms[0] if _is_one(num) else forms[1]


def _words(num: str, p: Pass) -> str:
    """A number as words, for the rules here (a held span: later rules leave it)."""
    said = say.number(num.lstrip("-−+"), p.table)
    if num[0] in "-−+":
        return f"{p.table.word('plus' if num[0] == '+' else 'minus')} {said}"
    return said


def _money(p: Pass, num: str, key: str, mag: str | None, word: str | None = None) -> str:
    section = p.table.section("money")
    currency = section.get("currencies", {}).get(key)
    if currency is None:
        return num
    of = section.get("of", "")

    def between(name: str) -> str:  # "de dollars", French "d'euros"
        if not of:
            return " "
        return " d'" if p.table.lang == "fr" and name[0] in "aeiouyé" else f" {of} "

    if word:
        return f"{_words(num, p)} {word}{between(currency[1])}{currency[1]}"
    if mag:
        magkey = "m" if mag == "M" else _MAGNITUDE[mag.lower()]
        magnitude = _pick(section["magnitudes"][magkey], num)
        joiner = between(currency[1]) if magkey != "k" else " "
        return f"{_words(num, p)} {magnitude}{joiner}{currency[1]}"
    whole, fraction = say.parse(num, p.table) or (num, "")
    subunit = section.get("subunits", {}).get(key)
    if len(fraction) == 2 and whole.strip("0") == "" and subunit and fraction != "00":
        return f"{say.cardinal(int(fraction), p.table)} {_pick(subunit, fraction.lstrip('0'))}"
    if len(fraction) == 2 and whole:
        cents = section.get("cents", "")
        name = _pick(currency, whole)
        said = f"{say.cardinal(int(whole), p.table)} {name}"
        if fraction != "00":
            said += f"{' ' + cents if cents else ''} {say.cardinal(int(fraction), p.table)}"
        return said
    return f"{_words(num, p)} {_pick(currency, num)}"


def money(text: str, p: Pass) -> str:
    """$4.2bn -> "four point two billion dollars"; 5,99 € -> "cinco euros con noventa y nueve"."""
    if any(c in text for c in "$€£¥₹"):
        text = _MONEY_BEFORE.sub(lambda m: p.hold(_money(
            p, m["num"], _CURRENCY_SYMBOL[m["cur"]], m["mag"], m["word"])), text)
        text = _MONEY_AFTER.sub(lambda m: p.hold(_money(
            p, m["num"], _CURRENCY_SYMBOL[m["cur"]], m["mag"])), text)
    text = _MONEY_CODE.sub(lambda m: p.hold(_money(
        p, m["num"], _CURRENCY_CODE[m["cur"]], m["mag"])), text)
    metres_after = p.table.section("numbers").get("metres_after", {}).get("words")
    if metres_after:
        text = _EN_M.sub(lambda m: p.hold(_m_said(m, p, metres_after)), text)
    magnitudes = p.table.section("money").get("magnitudes", {})
    if magnitudes:
        text = _BARE_MAGNITUDE.sub(lambda m: p.hold(
            f"{_words(m['num'], p)} "
            f"{_pick(magnitudes[_MAGNITUDE[m['mag'].lower()]], m['num'])}"), text)
    return text


def units(text: str, p: Pass) -> str:
    """300 km/h -> "three hundred kilometres per hour"; 38°C, 3.5%, 5 kWh."""
    if not any(c.isdigit() for c in text):
        return text
    table = _units()
    return _unit_pattern(p.table).sub(lambda m: p.hold(
        f"{_words(m['num'], p)} {_pick(table[m['unit']][p.table.lang], m['num'])}"), text)


def _fraction(whole: str | None, top: int, bottom: int, p: Pass) -> str | None:
    t = p.table
    section = t.section("fractions")
    if bottom < 2 or top < 1 or top >= bottom:  # 50/50, 24/7 are no fractions
        return None
    names = section.get("names", {}).get(str(bottom))
    if names:
        name = names[0] if top == 1 else names[1]
    else:
        ordinal = say.ordinal(bottom, t)
        name = ordinal if top == 1 else ordinal + section.get("plural", "s")
    article = section.get("one_after_whole" if whole else "one", "")
    said = f"{article or say.cardinal(top, t)} {name}" if top == 1 else (
        f"{say.cardinal(top, t)} {name}")
    if whole:
        said = f"{say.cardinal(int(whole), t)} {section.get('and', 'and')} {said}"
    return said


def fractions(text: str, p: Pass) -> str:
    """1/2 -> "one half"; 2 1/2 -> "two and one half"; ¾ -> "three quarters"."""
    if any(c in text for c in _VULGAR):
        text = _VULGAR_RE.sub(
            lambda m: p.hold(_fraction(m[1], *_VULGAR[m[2]], p) or m[0]), text)
    if "/" in text:
        text = _FRACTION.sub(lambda m: _hold(p, _fraction(m[1], int(m[2]), int(m[3]), p), m),
                             text)
    return text


def _hold(p: Pass, said: str | None, m: re.Match[str]) -> str:
    return m[0] if said is None else p.hold(said)


@lru_cache(maxsize=16)
def _ordinal_pattern(table: Table) -> re.Pattern[str] | None:
    suffixes = table.section("ordinals").get("suffixes", {})
    if not suffixes:
        return None
    alternatives = "|".join(re.escape(s) for s in sorted(suffixes, key=len, reverse=True))
    return re.compile(rf"(?<![\w.,])(\d+)({alternatives})(?!\w)")


_DOT_ORDINAL = re.compile(r"(?<![\w.,])(\d{1,2})\.(?=\s+[A-ZÄÖÜ])")


def ordinals(text: str, p: Pass) -> str:
    """1st -> "first", 21st -> "twenty-first"; 1er -> "premier"; 2ª -> "segunda"."""
    ending = p.table.section("ordinals").get("dot_before_noun")
    if ending is not None:  # German "der 1. FC", "am 2. Spieltag"
        text = _DOT_ORDINAL.sub(lambda m: p.hold(say.ordinal(int(m[1]), p.table) + ending), text)
    pattern = _ordinal_pattern(p.table)
    if pattern is None:
        return text
    suffixes = p.table.section("ordinals")["suffixes"]

    def replace(m: re.Match[str]) -> str:
        said = say.ordinal(int(m[1]), p.table)
        if suffixes[m[2]] == "feminine" and said.endswith("o"):
            said = " ".join(w[:-1] + "a" if w.endswith("o") else w for w in said.split())
        if suffixes[m[2]] == "feminine" and said.endswith("premier"):
            said = said[:-len("premier")] + "première"
        return p.hold(said)

    return pattern.sub(replace, text)


def number_sign(text: str, p: Pass) -> str:
    """#1 -> "number one"."""
    return _NUMBER_SIGN.sub(p.table.word("number", "number") + " ", text)


def _model_number(digits: str, p: Pass) -> str:
    """737 -> "seven thirty-seven", 380 -> "three eighty", 35 -> "thirty-five": how model
    and code numbers are said."""
    t = p.table
    n = int(digits)
    if digits.startswith("0") or len(digits) > 4:
        return say.digits(digits, t)
    if len(digits) == 3 and n % 100 >= 10 and t.lang == "en":
        return f"{say.cardinal(n // 100, t)} {say.cardinal(n % 100, t)}"
    if len(digits) == 4 and t.lang == "en" and n % 100 >= 10:
        return f"{say.cardinal(n // 100, t)} {say.cardinal(n % 100, t)}"
    return say.cardinal(n, t)


def alphanumerics(text: str, p: Pass) -> str:
    """Codes of capitals and digits: G7 -> "G seven", F-35 -> "F thirty-five", 5G -> "five G"."""
    if not any(c.isdigit() for c in text):
        return text
    words = frozenset(p.table.items("acronyms", "words"))

    def replace(m: re.Match[str]) -> str:
        parts = re.findall(r"[A-Z]+|\d+", m[0])
        said = []
        for i, part in enumerate(parts):
            if part.isdigit():
                said.append(_model_number(part, p))
            elif part in words or word_like(part):
                said.append(part.capitalize())
            else:
                said.append(spell(part, p.table, word_follows=i + 1 < len(parts)))
        return p.hold(" ".join(said))

    text = _CODE.sub(replace, text)
    makers = p.table.items("models", "after")
    if makers:
        pattern = _models_pattern(p.table)
        text = pattern.sub(lambda m: f"{m[1]} {p.hold(_model_number(m[2], p))}", text)
    return text


@lru_cache(maxsize=16)
def _models_pattern(table: Table) -> re.Pattern[str]:
    makers = "|".join(map(re.escape, table.items("models", "after")))
    return re.compile(rf"\b({makers})[\s-](\d{{2,4}})(?![\w.,]\d|\w)")


def _plural_count(n: int, t: Table) -> str:
    """100s -> "hundreds", 1000s -> "thousands", 300s -> "three hundreds"."""
    said = say.cardinal(n, t) + "s"
    return said.removeprefix("one ") if n in (100, 1000) and t.lang == "en" else said


@lru_cache(maxsize=16)
def _number_pattern(table: Table) -> re.Pattern[str]:
    group, point = table.section("numbers").get("marks", ",.")
    groups = re.escape(group) + "\u00a0\u202f"
    return re.compile(
        rf"(?<![\w.,])[-−]?(?:\d{{1,3}}(?:[{groups}]\d{{3}})+(?:{re.escape(point)}\d+)?"
        rf"|\d+(?:{re.escape(point)}\d+)?)(?![\w]|[.,]\d)")


def numbers(text: str, p: Pass) -> str:
    """Every number left, as words: years as years ("twenty twenty-four"), others counted."""
    if not any(c.isdigit() for c in text):
        return text
    t = p.table
    before_noun = t.section("numbers").get("before_noun")
    # "Chang'e-6", "Tu-154": a hyphen between a word and digits is no minus sign
    text = _WORD_DIGIT.sub(" ", text)

    def replace(m: re.Match[str]) -> str:
        written = m[0]
        negative = written[0] in "-−"
        plain = written.lstrip("-−")
        if negative and m.start() > 0 and not m.string[m.start() - 1].isspace() and (
                m.string[m.start() - 1] != "("):
            return written
        if _YEAR.fullmatch(plain) and not negative:
            said = say.year(int(plain), t)
        elif plain.startswith("0") and len(plain) > 1 and plain.isdigit():
            said = say.digits(plain, t)
        else:
            said = say.number(plain, t)
            if said == plain:
                return written
            if before_noun and re.match(r"\s+[^\W\d_]", m.string[m.end():]):
                said = say.before_noun(said, t)
        return p.hold(f"{t.word('minus', 'minus')} {said}" if negative else said)

    text = _number_pattern(t).sub(replace, text)
    times = t.word("times")
    if times:  # "3x faster"
        text = _TIMES.sub(lambda m: p.hold(f"{say.number(m[1], t)} {times}"), text)
    # "100s of people": a plural count
    text = _PLURAL_COUNT.sub(lambda m: p.hold(_plural_count(int(m[1]), t)), text)
    # digits still inside a word ("x86", "4WD"): each run said as a number, never as digits
    return _DIGITS.sub(lambda m: f" {p.hold(say.number(m[0], t))} ", text)
