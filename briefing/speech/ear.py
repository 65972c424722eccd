"""for_ear: written news text -> plain text a speech engine reads the way a person would."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping

from briefing.speech.lexicon import APOSTROPHE as _APOSTROPHE
from briefing.speech.lexicon import Protected, apply_lexicon, default_lexicon
from briefing.speech.numbers import normalize_numbers

__all__ = ["for_ear"]

_DOT = {"en": "dot", "de": "Punkt", "fr": "point", "es": "punto", "pt": "ponto"}
_AT = {"en": "at", "de": "ät", "fr": "arobase", "es": "arroba", "pt": "arroba"}
_AND = {"en": "and", "de": "und", "fr": "et", "es": "y", "pt": "e"}

# --- markup, links and symbols -------------------------------------------------------------
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\ufe00-\ufe0f]")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)\s]*\)")
_REFERENCE = re.compile(r"\[(?:\d+(?:[,–-]\d+)*|[a-z]|citation needed|edit|note \d+)\]")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE)
_BULLET = re.compile(r"^[ \t]*[-*+•·▪►▶→–][ \t]+", re.MULTILINE)
_EMPHASIS = re.compile(r"\*{1,3}|(?<!\w)_{1,2}|_{1,2}(?!\w)")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]']", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+)@((?:[\w-]+\.)+[A-Za-z]{2,})(?![\w-])")
_TLDS = ("com|org|net|edu|gov|io|ai|co|uk|de|fr|es|pt|br|cn|eu|info|news|tv|app|dev|ly|jp|"
         "au|ca|ch|nl|ru|int|mil|xyz|tech|media")
_DOMAIN = re.compile(rf"(?<![\w@.\-])((?:[A-Za-z0-9-]+\.)+(?:{_TLDS}))(?![\w\-]|\.\w)")
_HANDLE = re.compile(r"(?<![\w@])@(\w+)")
_WORD_DIGIT = re.compile(r"(?<=[^\W\d_])-(?=\d)")
_HASHTAG = re.compile(r"(?<![\w#&])#([^\W\d]\w*)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|_")
_AMPERSAND = re.compile(r"\s*&\s*")
_SLASH_WORDS = re.compile(r"(?<=[^\W\d])/(?=[^\W\d])")
# symbols that espeak reads aloud ("asterisk", "vertical bar", "right arrow") or that
# mean nothing to a listener; emoji go by Unicode category below
_SYMBOLS = re.compile(r"[*#|•·▪►▶◀■□◆◇●○★☆✓✔✗✘→←↑↓⇒⇐↔~^_\\{}\[\]<>=©®™†‡§¶]")
_UNUSUAL = re.compile(r"[^\n\x20-\x7e\u00a0-\u024f\u2010-\u2027\u20a0-\u20cf]")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?])")
_REPEATED_PUNCT = re.compile(r"([,;:])(?:\s*[,;:.])+|\.(?:\s*\.){1,2}(?!\.)")
_LEADING_PUNCT = re.compile(r"^(?:[\s,;:.!?)\]]|-(?!\d))+")
_EMPTY_PARENS = re.compile(r"\(\s*[,;:]?\s*\)")
_MANY_SPACES = re.compile(r"[ ]{2,}")
_BLANK_LINES = re.compile(r"\s*\n\s*")

# --- acronyms -------------------------------------------------------------------------------
_CAPS = "A-ZÄÖÜ"
_DOTTED_ACRONYM = re.compile(rf"(?<![\w.])((?:[{_CAPS}]\.){{2,5}})(?= [\w(\"'])")
_ACRONYM = re.compile(rf"(?<![\w.'\-])([{_CAPS}]{{2,5}})(s|'s)?(?![\w'\-]|\.[A-Za-z])")
_ROMAN = re.compile(r"\b([A-Z][a-z]+) (X{0,3}(?:IX|IV|V?I{0,3}))\b(?!['\-])")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
_ROMAN_CARDINAL_AFTER = frozenset(
    (
        "War", "Part", "Phase", "Chapter", "Type", "Class", "Stage", "Level", "Act", "Book",
        "Volume", "Episode", "Season", "Apollo", "Bowl", "Article", "Title", "Gen", "Mark",
        "Series"
    )
)
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
_WORDS = re.compile(r"[^\W\d_]{2,}")
_SHOUTED_SHARE = 0.6  # most words in capitals: a shouted headline, not a row of acronyms
# wordfreq zipf >= 5 (100 in a million words): news, fire, town, of; not NASA, NATO, UE, IA.
# Two such words in a text mostly in capitals make it a shouted headline.
_SHOUTING_WORD_ZIPF = 5.0
# inside shouted text, a 4-5 letter token this common (3 in a million: warns, crash) is a
# word; a short one must be very common (of, in, the: >= 6) since EV, AI, EU are common too
_COMMON_WORD_ZIPF = 3.5
_COMMON_SHORT_WORD_ZIPF = 6.0
_ALWAYS_ACRONYMS = frozenset(("US", "UK", "EU", "UN"))  # words too, but not in the news


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


def spell(letters: str) -> str:
    """Letters joined by dots: espeak says each letter's name in every language.

    Spaces ("N E V") fail: espeak reads a lone "A" as the article and, in Spanish and
    Portuguese, "E" as "and"; a final dot before a capital ends the sentence.
    """
    return ".".join(letters)


def _acronym(m: re.Match[str], shouted: bool, language: str) -> str:
    token, suffix = m.group(1), m.group(2) or ""
    if set(token) <= set("IVX") and len(token) > 1:
        return m.group(0)  # a Roman numeral left after the rule below: leave it to espeak
    if (
        shouted
        and token not in _ALWAYS_ACRONYMS
        and _common_word(
            token.lower(),
            language,
            _COMMON_SHORT_WORD_ZIPF if len(token) <= 3 else _COMMON_WORD_ZIPF,
        )
    ):
        return token.lower() + suffix
    if word_like(token):
        return token + suffix
    # plural and possessive after a final dot ("N.E.V.'s"): "N.E.V's" reads "E dot V's"
    return spell(token) + (".'s" if suffix else "")


def _common_word(word: str, language: str, threshold: float = _COMMON_WORD_ZIPF) -> bool:
    try:
        from briefing.clean.wordlists import zipf_frequency

        return zipf_frequency(word, language) >= threshold
    except ImportError:  # wordfreq is a dependency, but a missing one must not stop speech
        return False


def _is_shouted(text: str, language: str) -> bool:
    words = _WORDS.findall(text)
    caps = [w for w in words if w.isupper()]
    if len(caps) < 3 or len(caps) < _SHOUTED_SHARE * len(words):
        return False
    # a row of acronyms ("OPEC, CATL, BYD") is not shouting: shouting is made of words
    return sum(_common_word(w.lower(), language, _SHOUTING_WORD_ZIPF) for w in caps) >= 2


def _roman(m: re.Match[str], language: str) -> str:
    before, numeral = m.group(1), m.group(2)
    if len(numeral) < 2:
        return m.group(0)
    values = [_ROMAN_VALUES[c] for c in numeral]
    number = sum(-v if i + 1 < len(values) and v < values[i + 1] else v
                 for i, v in enumerate(values))
    if language == "en" and before not in _ROMAN_CARDINAL_AFTER:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10 if number // 10 != 1 else 0, "th")
        return f"{before} the {number}{suffix}"  # Henry VIII -> Henry the eighth
    return f"{before} {number}"  # World War II -> World War two (espeak: "roman two")


# --- the whole pass -------------------------------------------------------------------------
def _spoken_domain(host: str, dot: str) -> str:
    host = re.sub(r"^www\d*\.", "", host.lower()).split(":")[0]
    return f" {dot} ".join(part for part in host.split(".") if part)


def _strip_symbols(text: str) -> str:
    text = _SYMBOLS.sub(" ", text)
    # emoji, dingbats and modifiers (So, Sk) and stray controls go; currency signs (Sc)
    # and our placeholders (Co) stay. Only characters outside plain Latin text are checked.
    return _UNUSUAL.sub(_drop_symbol, text)


def _drop_symbol(m: re.Match[str]) -> str:
    return " " if unicodedata.category(m.group(0)) in ("So", "Sk", "Cc", "Cf", "Cs") else m[0]


def _balance_brackets(text: str) -> str:
    if text.count("(") != text.count(")"):
        text = text.replace("(", " ").replace(")", " ")
    if text.count('"') % 2:
        text = text.replace('"', " ")
    return text


def for_ear(text: str, language: str = "en", lexicon: Mapping[str, str] | None = None) -> str:
    """Rewrite one sentence or paragraph of written news text as text espeak-ng reads well.

    Applies, in order: markup and link removal (URLs are said as their domain),
    the pronunciation lexicon (whole word, case-aware, longest first; its output is
    final), numbers, money, units, dates and times in the language's words,
    acronyms (spelled letter by letter unless they are said as words), and removal
    of symbols and emoji. `language` is an ISO 639-1 code ("en", "de", "pt-BR");
    languages without word tables get everything except the number rules.
    `lexicon` defaults to the packaged one; pass load_lexicon(path) for the user's.
    The result is plain text (no SSML); empty when nothing is left to say.
    """
    if not text or not text.strip():
        return ""
    code = language.lower().replace("_", "-")
    lang = code.split("-")[0]
    dot, at, and_ = (_DOT.get(lang, "dot"), _AT.get(lang, "at"), _AND.get(lang, "and"))
    protect = Protected()
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    text = _SPACES.sub(" ", _APOSTROPHE.sub("'", text))
    text = re.sub("[\ue000-\uf8ff]", "", text)  # private-use chars are our placeholders

    # (needle, step): a step runs only when its needle is in the text; the cheap `in`
    # test keeps a 1,000-word article to a few milliseconds (each regex pass costs ~0.2 ms)
    steps: list[tuple[str | tuple[str, ...], Callable[[str], str]]] = [
        ("<", lambda t: _HTML_TAG.sub(" ", t)),
        ("](", lambda t: _MD_LINK.sub(r"\1", _MD_IMAGE.sub(" ", t))),
        ("[", lambda t: _REFERENCE.sub("", t)),
        ("#", lambda t: _HEADING.sub("", t)),
        (("-", "*", "+", "•", "·", "▪", "►", "▶", "→", "–"), lambda t: _BULLET.sub("", t)),
        (("*", "_"), lambda t: _EMPHASIS.sub("", t)),
        ("@", lambda t: _EMAIL.sub(
            lambda m: protect.hold(
                f"{re.sub(r'[._+-]+', ' ', m[1])} {at} {_spoken_domain(m[2], dot)}"), t)),
        (("://", "www.", "WWW."), lambda t: _URL.sub(
            lambda m: protect.hold(_spoken_domain(re.sub(
                r"^(?:https?://)?", "", m[0], flags=re.I).split("/")[0].split("?")[0], dot)), t)),
        ("-", lambda t: _WORD_DIGIT.sub(" ", t)),  # COVID-19, before the lexicon
        ("", lambda t: apply_lexicon(
            t, default_lexicon() if lexicon is None else lexicon, protect)),
        (".", lambda t: _DOMAIN.sub(lambda m: protect.hold(_spoken_domain(m[1], dot)), t)),
        ("@", lambda t: _HANDLE.sub(lambda m: _CAMEL.sub(" ", m[1]), t)),
        ("#", lambda t: _HASHTAG.sub(lambda m: _CAMEL.sub(" ", m[1]), t)),
        ("&", lambda t: _AMPERSAND.sub(f" {and_} ", t)),
        (("I", "V", "X"), lambda t: _ROMAN.sub(lambda m: _roman(m, lang), t)),
        ("", lambda t: normalize_numbers(t, code)),
        ("/", lambda t: _SLASH_WORDS.sub(" ", t)),  # after the numbers: "km/h" is a unit
        (".", lambda t: _DOTTED_ACRONYM.sub(lambda m: m[1][:-1], t)),  # "U.S. President"
        ("", lambda t: _ACRONYM.sub(lambda m: _acronym(m, shouted, lang), t)),
        ("", _strip_symbols),
        (("(", ")", '"'), _balance_brackets),
        ("(", lambda t: _EMPTY_PARENS.sub(" ", t)),
        ("\n", lambda t: _BLANK_LINES.sub("\n", t)),
        ("  ", lambda t: _MANY_SPACES.sub(" ", t)),
        ("", lambda t: _SPACE_BEFORE_PUNCT.sub(r"\1", t)),
        ("", lambda t: _REPEATED_PUNCT.sub(lambda m: m[0][0], t)),
        ("", lambda t: _LEADING_PUNCT.sub("", t)),
    ]
    shouted = _is_shouted(text, lang)
    for needle, step in steps:
        if isinstance(needle, str):
            if needle in text:
                text = step(text)
        elif any(n in text for n in needle):
            text = step(text)
    text = protect.restore(text)
    return _MANY_SPACES.sub(" ", text).strip()
