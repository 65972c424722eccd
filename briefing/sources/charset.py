"""Which encoding bytes that are not UTF-8 are in: the detector's candidates judged by the
words they make, the common Western encoding first when nothing tells them apart."""

from __future__ import annotations

import re

WESTERN = "cp1252"  # what "latin-1" text really is (WHATWG), and the likeliest by far
SAMPLE_BYTES = 64 * 1024  # enough words to judge by; detection time grows with the sample
CANDIDATES = 5  # the detector's best few: short texts often tie between 5 code pages
MAX_WORDS = 300  # distinct words judged per candidate: a long article's worth
# A Western text's non-ASCII letters are a few in each word (é, ü, ñ); Cyrillic or Greek
# read as cp1252 is nearly all of them ("Ïðàâèòåëüñòâî").
WESTERN_MAX_SHARE = 0.3

_WORD = re.compile(r"[^\W\d_]+")
# A symbol between two letters ("za¿ó³æ" is Polish read as cp1252); apostrophes and the
# Catalan middle dot belong there.
_SYMBOL_IN_WORD = re.compile(r"[^\W\d_][^\w\s’‘'·\-]+[^\W\d_]")


def guess(data: bytes) -> list[str]:
    """Encodings to try for `data`, best first; never empty (latin-1 decodes anything)."""
    from charset_normalizer import from_bytes

    sample = data[:SAMPLE_BYTES]
    detected = [str(match.encoding) for match in from_bytes(sample)][:CANDIDATES]
    options = list(dict.fromkeys([WESTERN, *detected]))
    judged = [(_known_words(sample, encoding), encoding) for encoding in options]
    western = judged[0][0] if _decodes(data, WESTERN) else -1
    others = [(known, encoding) for known, encoding in judged[1:] if known >= 0]
    # The detector's order breaks ties among the others (max keeps the first of equals).
    best_known, best = max(others, key=lambda pair: pair[0], default=(-1, ""))
    # Another encoding must make more real words than cp1252 to win; when neither makes
    # any (names, rare words), cp1252 wins if what it makes could be a Western text.
    tie = western == best_known and (western > 0 or _plausibly_western(sample))
    if western >= 0 and (western > best_known or tie):
        order = [WESTERN, *(e for _, e in others)]
    elif best:
        order = [best, *(e for e in options if e != best)]
    else:
        order = options
    return [*order, "latin-1"]


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _known_words(sample: bytes, encoding: str) -> int:
    """How many of the non-ASCII words `sample` makes in `encoding` are words of its language.

    -1 when it does not decode. Only the non-ASCII words differ between the candidates;
    the language is read off the whole decoded text (mostly its ASCII words).
    """
    from briefing.clean.language import detect_language
    from briefing.clean.wordlists import frequencies

    try:
        # The sample may end inside a character: ignore that, not a wrong guess.
        text = sample[:-4].decode(encoding) + sample[-4:].decode(encoding, errors="ignore")
    except (UnicodeDecodeError, LookupError):
        return -1
    # One-letter words are noise: mac_roman makes "ó" of cp1252's "—", and "ó" is a word.
    words = list(dict.fromkeys(w.lower() for w in _WORD.findall(text)
                               if len(w) > 1 and not w.isascii()))  # fmt: skip
    if not words:
        return 0
    known = frequencies(_wordfreq_code(detect_language(text)), "small")
    return sum(1 for word in words[:MAX_WORDS] if word in known)


def _wordfreq_code(language: str) -> str:
    # detect_language answers ISO codes; wordfreq files a few languages under others
    return {"hr": "sh", "sr": "sh", "bs": "sh", "tl": "fil"}.get(language, language)


def _plausibly_western(sample: bytes) -> bool:
    """Would cp1252 make text a Western language could be written in (letters in words)?"""
    text = sample.decode(WESTERN, errors="replace")
    letters = sum(1 for word in _WORD.findall(text) for _ in word)
    foreign = sum(1 for word in _WORD.findall(text) for char in word if not char.isascii())
    return bool(letters) and foreign <= WESTERN_MAX_SHARE * letters and not (
        _SYMBOL_IN_WORD.search(text)
    )
