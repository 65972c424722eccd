"""for_ear: written news text -> the words a newsreader would say, the same for every engine.

Each language's table (briefing/data/ear/<lang>.toml) lists its rules in order; RULES maps
each name to the function that applies it. A rule takes the text and the call's Pass and
returns the text; finished words are held behind placeholders so later rules leave them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from briefing.speech import abbreviations, acronyms, dates, markup, numbers
from briefing.speech.lexicon import APOSTROPHE, apply_lexicon, default_lexicon
from briefing.speech.state import Pass
from briefing.speech.tables import table_for

if TYPE_CHECKING:
    from briefing.models import Script

__all__ = ["RULES", "for_ear", "spoken_lines", "spoken_text"]

Rule = Callable[[str, Pass], str]


def _lexicon(text: str, p: Pass) -> str:
    return apply_lexicon(text, p.lexicon, p.protect)


def _slashes(text: str, p: Pass) -> str:
    """ "and/or" -> "and or" (units with slashes were said before this)."""
    if "/" not in text:
        return text
    return re.sub(r"(?<=[^\W\d]|[\ue000-\uf8ff])/(?=[^\W\d]|[\ue000-\uf8ff])", " ", text)


RULES: dict[str, Rule] = {
    "markup": markup.markup,
    "email": markup.email,
    "url": markup.url,
    "lexicon": _lexicon,
    "abbreviations": abbreviations.abbreviations,
    "domain": markup.domain,
    "handles": markup.handles,
    "said": acronyms.said,
    "roman": acronyms.roman,
    "ampersand": acronyms.ampersand,
    "dates": dates.dates,
    "times": dates.times,
    "decades": dates.decades,
    "phone": dates.phone,
    "scores": dates.scores,
    "ranges": dates.ranges,
    "money": numbers.money,
    "units": numbers.units,
    "fractions": numbers.fractions,
    "ordinals": numbers.ordinals,
    "number_sign": numbers.number_sign,
    "alphanumerics": numbers.alphanumerics,
    "numbers": numbers.numbers,
    "slashes": _slashes,
    "dotted": acronyms.dotted,
    "acronyms": acronyms.acronyms,
    "symbols": markup.symbols,
    "tidy": markup.tidy,
}

_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\ufe00-\ufe0f]")
_PLACEHOLDERS = re.compile("[\ue000-\uf8ff]")
_MANY_SPACES = re.compile(r"[ ]{2,}")


def for_ear(text: str, language: str = "en", lexicon: Mapping[str, str] | None = None) -> str:
    """Rewrite one sentence or paragraph of written news text as the words to be spoken.

    Runs the language's ordered rules (briefing/data/ear/<lang>.toml): markup and links
    (a URL is said as its domain), the pronunciation lexicon (whole word, case-aware,
    longest first; its output is final), abbreviations, dates, times, ranges, scores,
    money, units, fractions, ordinals and every other number in words, then acronyms
    (spelled "F B I", or said as words, "Nasa") and symbols. `language` is an ISO 639-1
    code, optionally with a region ("en-GB" reads 12/02 as the twelfth of February);
    languages without a table get links, acronyms and symbols only. `lexicon` defaults
    to the packaged one; pass load_lexicon(path) for the user's. The result is plain
    text (no SSML, no digits where there is a table), empty when nothing is left to say.
    """
    if not text or not text.strip():
        return ""
    table = table_for(language)
    p = Pass(table, default_lexicon() if lexicon is None else lexicon)
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    text = _SPACES.sub(" ", APOSTROPHE.sub("'", text))
    text = _PLACEHOLDERS.sub("", text)  # private-use characters are our placeholders
    p.shouted = acronyms.is_shouted(text, table.lang)
    for name in table.rules:
        text = RULES[name](text, p)
    text = p.protect.restore(text)
    return _MANY_SPACES.sub(" ", text).strip()


def spoken_text(script: Script, lexicon: Mapping[str, str] | None = None) -> str:
    """The engine's input for a whole script, one line each: "reader (en): words"."""
    return "".join(f"{role} ({language}): {words}\n"
                   for role, language, words in spoken_lines(script, lexicon))


def spoken_lines(
    script: Script, lexicon: Mapping[str, str] | None = None
) -> Iterator[tuple[str, str, str]]:
    """Each line of a script as the engine will receive it: (role, language, words)."""
    for line in script.lines:
        yield line.role, line.language, for_ear(line.text, line.language, lexicon)
