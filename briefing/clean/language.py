"""Which language a text is in: wordfreq frequency profiles, offline, no model download."""

from __future__ import annotations

import math
import re
import unicodedata
from functools import cache

# Latin/Cyrillic/Greek/Arabic-script languages wordfreq ships a "small" list for; each list
# is a real frequency model of that language, so the profile is not a hand-picked word list.
PROFILED = (
    "en", "de", "fr", "es", "pt", "it", "nl", "ca", "ro", "sv", "da", "nb", "fi", "is",
    "pl", "cs", "sk", "sl", "sh", "hu", "lt", "lv", "tr", "id", "ms", "fil", "vi",
    "ru", "uk", "bg", "mk", "el", "ar", "fa", "ur", "he",
)  # fmt: skip
# wordfreq codes that are not what espeak-ng / ISO 639-1 call them
_ALIASES = {"sh": "hr", "fil": "tl", "no": "nb", "iw": "he", "in": "id"}
MAX_TOKENS = 400  # a few paragraphs decide it; more only costs time
MIN_TOKENS = 4  # fewer words than this carry no evidence: trust the hint
UNSEEN = 1e-7  # frequency given to a word a language's list lacks (its rarest entries are ~1e-6)
# Mean log10 margin per word by which another language must beat the hint before the
# text overrides it: es/pt and da/nb share so many words that a declared language
# should win near-ties, while a German text in an "en" feed is ahead by > 1 per word.
HINT_MARGIN = 0.25
DEFAULT = "en"
COMMON_WORDS = 300  # per language: function words, which tell languages apart best
SHORTLIST = 4  # languages scored in full; related pairs (es/pt, da/nb) both make it

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


def normalize(code: str) -> str:
    """`pt-PT`, `en_US`, `EN` -> `pt`, `en`, `en`; "" when it is not a language code."""
    base = re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]
    if not base.isalpha() or not 2 <= len(base) <= 3:
        return ""
    return _ALIASES.get(base, base)


def detect_language(text: str, hint: str = "") -> str:
    """ISO 639-1 code of `text`; `hint` (a feed's or page's lang) wins when the text agrees.

    Short texts with no evidence return the hint (or "en"). Scripts that identify a
    language on their own (kana, hangul, Han, Thai, Devanagari...) decide it directly.
    """
    hint = normalize(hint)
    sample = text[:20000]
    by_script = _script_language(sample)
    if by_script:
        return by_script
    words = [w.lower().replace("’", "'") for w in _WORD.findall(sample)][:MAX_TOKENS]
    if len(words) < MIN_TOKENS:
        return hint or DEFAULT
    wf_hint = next((k for k, v in _ALIASES.items() if v == hint and k in PROFILED), hint)
    # Loading all 36 frequency lists takes ~0.6 s: a cheap pass on each language's most
    # common words picks a shortlist, and only those get the full profile.
    common = _common_words()
    rough = {lang: sum(1 for w in words if w in common[lang]) for lang in PROFILED}
    shortlist = sorted(PROFILED, key=lambda lang: -rough[lang])[:SHORTLIST]
    if wf_hint in PROFILED and wf_hint not in shortlist:
        shortlist.append(wf_hint)
    scores = {lang: _score(words, lang) for lang in shortlist}
    best = max(scores, key=lambda lang: scores[lang])
    if wf_hint in scores and scores[best] - scores[wf_hint] <= HINT_MARGIN * len(words):
        return hint
    return _ALIASES.get(best, best)


def _score(words: list[str], lang: str) -> float:
    freqs = _frequencies(lang)
    return sum(math.log10(freqs.get(w, UNSEEN)) for w in words)


@cache
def _common_words() -> dict[str, frozenset[str]]:
    """Each profiled language's most common words, kept in the cache folder after first use."""
    import json

    from briefing.paths import cache_dir, keep_in_cache

    path = cache_dir() / "language" / f"common-{COMMON_WORDS}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if set(data) >= set(PROFILED):
            return {lang: frozenset(data[lang]) for lang in PROFILED}
    except (OSError, ValueError):
        pass
    import wordfreq

    data = {lang: wordfreq.top_n_list(lang, COMMON_WORDS, wordlist="small") for lang in PROFILED}
    keep_in_cache(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    return {lang: frozenset(words) for lang, words in data.items()}


def _frequencies(lang: str) -> dict[str, float]:
    from briefing.clean.wordlists import frequencies

    return frequencies(lang, "small")


def _script_language(text: str) -> str:
    """A language read off the writing system alone, for scripts that pin one down."""
    counts: dict[str, int] = {}
    letters = 0
    for char in text[:3000]:
        if not char.isalpha():
            continue
        letters += 1
        name = unicodedata.name(char, "")
        for key in ("HIRAGANA", "KATAKANA", "HANGUL", "CJK", "THAI", "DEVANAGARI", "BENGALI",
                    "TAMIL", "GEORGIAN", "ARMENIAN", "ETHIOPIC", "KHMER", "GUJARATI"):  # fmt: skip
            if name.startswith(key):
                counts[key] = counts.get(key, 0) + 1
                break
    if not letters or sum(counts.values()) < letters * 0.3:
        return ""
    if counts.get("HIRAGANA", 0) + counts.get("KATAKANA", 0) > letters * 0.05:
        return "ja"
    top = max(counts, key=lambda k: counts[k])
    return {
        "HANGUL": "ko", "CJK": "zh", "THAI": "th", "DEVANAGARI": "hi", "BENGALI": "bn",
        "TAMIL": "ta", "GEORGIAN": "ka", "ARMENIAN": "hy", "ETHIOPIC": "am", "KHMER": "km",
        "GUJARATI": "gu", "HIRAGANA": "ja", "KATAKANA": "ja",
    }[top]  # fmt: skip
