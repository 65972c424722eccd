"""Acronyms by kind (spelled, words, said another way), shouted headlines, Roman numerals."""

from __future__ import annotations

import re
from functools import lru_cache

from briefing.speech import say
from briefing.speech.state import Pass
from briefing.speech.tables import Table, table_for

_CAPS = "A-ZÄÖÜ"
_DOTTED = re.compile(rf"(?<![\w.])((?:[{_CAPS}]\.){{2,5}})('s)?(?!\w)")
_ACRONYM = re.compile(rf"(?<![\w.\-])(?<!\w\w')([{_CAPS}]{{2,}})(s|'s)?(?![\w'\-]|\.[A-Za-z])")
_WORDS = re.compile(r"[^\W\d_]{2,}")
_AMPERSAND_LETTERS = re.compile(r"(?<![\w&])([A-Z]{1,3})&([A-Z]{1,3})(?![\w&])")
_AMPERSAND = re.compile(r"\s*&\s*")
_ROMAN = re.compile(r"\b([A-Z][a-z]+) ([IVXL]+)\b(?![\-'’]\w\w)")
_VALID_ROMAN = re.compile(r"(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_VOWELS = frozenset("AEIOUÄÖÜ")
# consonant clusters that can open, join or close an English-like syllable: an acronym
# made only of these and single vowels is said as a word (NASA, NATO, COVID, OPEC, CERN)
_ONSETS = frozenset(
    (
        "BL", "BR", "CH", "CL", "CR", "DR", "FL", "FR", "GL", "GR", "KL", "KR", "PH", "PL",
        "PR", "SC", "SH", "SK", "SL", "SM", "SN", "SP", "ST", "SW", "TH", "TR", "TW", "WH",
        "WR"
    )
)
_CODAS = frozenset(
    (
        "CH", "CK", "CS", "CT", "DS", "FT", "GS", "KS", "LD", "LK", "LM", "LP", "LT", "MP",
        "MS", "ND", "NG", "NK", "NS", "NT", "PS", "PT", "RB", "RC", "RD", "RG", "RK", "RM",
        "RN", "RP", "RS", "RT", "SH", "SK", "SP", "ST", "TH", "TS"
    )
)
_JOINS = _ONSETS | _CODAS | frozenset(("LL", "MB", "NC", "NN", "SS", "TT"))
_LETTER_RUNS = re.compile(r"[AEIOUÄÖÜ]+|[^AEIOUÄÖÜ]+")
_SHOUTED_SHARE = 0.6  # most words in capitals: a shouted headline, not a row of acronyms
# wordfreq zipf >= 5 (100 in a million words): news, fire, town, of; not NASA, NATO, UE, IA.
# Two such words in a text mostly in capitals make it a shouted headline.
_SHOUTING_WORD_ZIPF = 5.0
# inside shouted text, a token this common (3 in a million: warns, crash, fed) is a word
_COMMON_WORD_ZIPF = 3.5
# a known letter acronym is still a word in a shouted headline when it is this common
# (IT, WHO: a few in a thousand words), unless the table spells it always (US, EU)
_VERY_COMMON_ZIPF = 6.0


def word_like(token: str) -> bool:
    """Whether an all-caps token is said as a word rather than letter by letter."""
    if len(token) < 4:  # two- and three-letter acronyms are spelled (EU, NEV, GAC, BBC)
        return False
    runs = _LETTER_RUNS.findall(token)
    if not any(r[0] in _VOWELS for r in runs):
        return False
    for i, run in enumerate(runs):
        if run[0] in _VOWELS:
            if len(run) > 1:  # SAIC, OECD: vowel pairs in acronyms are mostly spelled
                return False
        elif len(run) > 1:
            allowed = _ONSETS if i == 0 else _CODAS if i == len(runs) - 1 else _JOINS
            if run not in allowed:
                return False
    return True


def spell(letters: str, table: Table | None = None, word_follows: bool = False) -> str:
    """Letters as separate words, "E U", "N E V": every engine says each letter's name.

    Some letters need help in some languages ([letters] in the table): espeak-ng, which the
    neural engines use for their phonemes too, reads an English "A" before a word as the
    article, so it is joined to the next letter ("A-I") or carries a hyphen ("F D A- said");
    Portuguese "E" alone is "and", so it is written "é".
    """
    table = table or table_for("en")
    names = table.section("letters").get("names", {})
    hyphen = set(table.items("letters", "hyphen"))
    parts: list[str] = []
    for i, letter in enumerate(letters):
        said = names.get(letter, letter)
        if parts and parts[-1].endswith("-"):
            parts[-1] += said
        else:
            parts.append(said)
        if letter in hyphen and (i + 1 < len(letters) or word_follows):
            parts[-1] += "-"
    return " ".join(parts)


def _word_follows(m: re.Match[str]) -> bool:
    return re.match(r"\s+[^\W\d_]", m.string[m.end():]) is not None


@lru_cache(maxsize=16)
def _kinds(table: Table) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    return (frozenset(table.items("acronyms", "words")),
            frozenset(table.items("acronyms", "letters")),
            frozenset(table.items("acronyms", "always_letters")))


def _zipf(word: str, lang: str) -> float:
    try:
        from briefing.clean.wordlists import zipf_frequency

        return zipf_frequency(word, lang)
    except ImportError:  # wordfreq is a dependency, but a missing one must not stop speech
        return 0.0


def very_common(word: str, lang: str) -> bool:
    """A function word ("the", "in", "it"): a few in every thousand words."""
    return _zipf(word.lower(), lang) >= _VERY_COMMON_ZIPF


def ends_sentence(rest: str, lang: str) -> bool:
    """Whether a period before `rest` ends a sentence: at the end, before a line break or
    a closing quote, or before a capitalised very common word ("U.S. The talks"), but not
    before a name ("the U.S. President", "Dr. Smith") or a lowercase word."""
    if not rest.strip() or re.match(r"\s*(?:\n|[\"')\]])", rest):
        return True
    after = re.match(r"\s+([A-Z]\w*)", rest)
    return after is not None and _zipf(after[1].lower(), lang) >= _VERY_COMMON_ZIPF


def domain_part(part: str, p: Pass) -> str:
    """One label of a domain: a word ("guardian", "com") or letters ("bbc", "uk")."""
    token = part.upper()
    words, letters, _ = _kinds(p.table)
    if part in ("com", "org", "net", "gov", "edu", "info", "news", "co", "app", "dev", "tech"):
        return part
    if token in letters or (len(part) <= 3 and token not in words):
        return spell(token, p.table, word_follows=True)
    return part


def is_shouted(text: str, lang: str) -> bool:
    """Whether text is a headline in capitals (mostly capitalised common words)."""
    words = _WORDS.findall(text)
    caps = [w for w in words if w.isupper()]
    if len(caps) < 3 or len(caps) < _SHOUTED_SHARE * len(words):
        return False
    # a row of acronyms ("OPEC, CATL, BYD") is not shouting: shouting is made of words
    return sum(_zipf(w.lower(), lang) >= _SHOUTING_WORD_ZIPF for w in caps) >= 2


def _acronym(m: re.Match[str], p: Pass) -> str:
    token, suffix = m.group(1), m.group(2) or ""
    words, letters, always = _kinds(p.table)
    if set(token) <= set("IVXL") and len(token) > 1 and token not in letters:
        return m.group(0)  # a Roman numeral the roman rule left: not letters to spell
    if p.shouted:
        common = _zipf(token.lower(), p.table.lang)
        if token in always or (token in letters and common < _VERY_COMMON_ZIPF):
            return _spelled(m, token, suffix, p)
        if token not in words and (common >= _COMMON_WORD_ZIPF or len(token) > 5):
            return token.lower() + suffix
    if token in words or (token not in letters and word_like(token)):
        return token.capitalize() + suffix  # one capital: every engine says a word
    if len(token) > 5 and token not in letters:
        return token.capitalize() + suffix  # BREAKING, MERCOSUR: too long to be letters
    return _spelled(m, token, suffix, p)


def _spelled(m: re.Match[str], token: str, suffix: str, p: Pass) -> str:
    # plural and possessive: "N E V's" (espeak reads "N E Vs" as "V S")
    return spell(token, p.table, word_follows=not suffix and _word_follows(m)) + (
        "'s" if suffix else "")


def acronyms(text: str, p: Pass) -> str:
    """Capitals by kind: spelled (F B I), words (Nasa), shouted headlines as words."""
    out = _ACRONYM.sub(lambda m: _acronym(m, p), text)
    if p.shouted:  # a shouted headline reads as a sentence: its first word capitalised
        out = re.sub(r"^(\W*)([a-z])", lambda m: m[1] + m[2].upper(), out)
    return out


def dotted(text: str, p: Pass) -> str:
    """U.S., A.I., E.U.: the letters spelled; the last dot stays only where a sentence ends."""
    if "." not in text:
        return text

    def replace(m: re.Match[str]) -> str:
        letters = m[1].replace(".", "")
        rest = m.string[m.end():]
        if m[2]:  # "the U.K.'s economy"
            return spell(letters, p.table) + "'s"
        ends = ends_sentence(rest, p.table.lang)
        word_follows = re.match(r"\s+[^\W\d_]", rest) is not None and not ends
        return spell(letters, p.table, word_follows=word_follows) + ("." if ends else "")

    return _DOTTED.sub(replace, text)


def ampersand(text: str, p: Pass) -> str:
    """ "AT&T" -> "A T and T"; "Marks & Spencer" -> "Marks and Spencer"."""
    if "&" not in text:
        return text
    and_ = p.table.word("and", "and")
    text = _AMPERSAND_LETTERS.sub(
        lambda m: f"{spell(m[1], p.table, True)} {and_} {spell(m[2], p.table)}", text)
    return _AMPERSAND.sub(f" {and_} ", text)


def said(text: str, p: Pass) -> str:
    """Whole tokens the table says another way: WWII -> World War Two, 24/7."""
    table = p.table.section("said")
    if not table:
        return text
    pattern = _said_pattern(p.table)
    return pattern.sub(lambda m: p.hold(table[m[0]]), text) if pattern else text


@lru_cache(maxsize=16)
def _said_pattern(table: Table) -> re.Pattern[str] | None:
    keys = sorted(table.section("said"), key=len, reverse=True)
    if not keys:
        return None
    return re.compile(r"(?<![\w/&.-])(?:" + "|".join(map(re.escape, keys)) + r")(?![\w/&-])")


def _roman_value(numeral: str) -> int:
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v
               for i, v in enumerate(values))


def roman(text: str, p: Pass) -> str:
    """A Roman numeral after a name: Henry the Eighth, World War Two, Super Bowl fifty-eight."""
    if not any(c in text for c in "IVXL"):
        return text
    section = p.table.section("roman")
    cardinal_after = frozenset(section.get("cardinal_after", ()))
    the = section.get("ordinal_before", "")
    _, letters, _ = _kinds(p.table)

    def replace(m: re.Match[str]) -> str:
        before, numeral = m.group(1), m.group(2)
        if not _VALID_ROMAN.fullmatch(numeral) or numeral in letters:
            return m.group(0)
        if before in cardinal_after and (len(numeral) > 1 or numeral in "IVX"):
            return f"{before} {p.hold(say.cardinal(_roman_value(numeral), p.table))}"
        if len(numeral) < 2:  # "Charles I" but also "said Charles I think": too risky
            return m.group(0)
        value = _roman_value(numeral)
        if section.get("regnal") == "cardinal":  # French: Louis quatorze, François premier
            said = section.get("first", "") if value == 1 else say.cardinal(value, p.table)
            return f"{before} {p.hold(said)}"
        ordinal = say.ordinal(value, p.table)
        said = f"{the} {ordinal.capitalize()}" if the else ordinal.capitalize()
        return f"{before} {p.hold(said.strip())}"

    text = _ROMAN.sub(replace, text)
    suffixes = section.get("ordinal_suffixes")
    if suffixes:  # French "XXIe siècle" -> "vingt et unième siècle"
        pattern = re.compile(r"\b([IVXL]+)(" + "|".join(map(re.escape, suffixes)) + r")\b")

        def ordinal(m: re.Match[str]) -> str:
            if not _VALID_ROMAN.fullmatch(m[1]) or m[1] in ("L", "C"):  # "Le Pen"
                return m[0]
            value = _roman_value(m[1])
            return p.hold("premier" if value == 1 and p.table.lang == "fr" else say.ordinal(
                value, p.table))

        text = pattern.sub(ordinal, text)
    return text
