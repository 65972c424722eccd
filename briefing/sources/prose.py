"""Is there something worth reading aloud? Checks shared by every kind of source."""

from __future__ import annotations

import re

from briefing.errors import EmptyArticleError

_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.I)
# A sentence: at least MIN_SENTENCE_WORDS words, ending in terminal punctuation
# (Latin, CJK, Devanagari, Arabic), optionally followed by a closing quote or bracket.
_SENTENCE = re.compile(r"[^.!?。！？।؟\n]+[.!?。！？।؟…]+[\"'”’)\]]*(?=\s|$)")
MIN_SENTENCE_WORDS = 4  # "Prices rose sharply." is 3; a real story has longer ones
_COOKIE = re.compile(
    r"\b(cookies?|consent|gdpr|privacy (?:policy|settings)|accept all|manage (?:options|"
    r"preferences|settings)|partners|personali[sz]ed ads|tracking|datenschutz|"
    r"einwilligung|zustimm\w*|akzeptieren)\b",
    re.I,
)
COOKIE_WALL_MAX_WORDS = 250  # consent dialogs run 50-200 words; an article with a notice is longer
COOKIE_WALL_DENSITY = 0.03  # share of words that are consent vocabulary in a dialog (prose: ~0)


def has_sentence(text: str) -> bool:
    """True when `text` holds at least one real sentence (not just links or headlines)."""
    without_urls = _URL.sub(" ", text)
    for match in _SENTENCE.finditer(without_urls):
        chunk = match.group(0)
        if len(chunk.split()) >= MIN_SENTENCE_WORDS or re.search(r"[。！？]", chunk):
            return True
    return False


def is_cookie_wall(text: str) -> bool:
    """True when `text` is a consent/cookie dialog and nothing else."""
    words = text.split()
    if not words or len(words) > COOKIE_WALL_MAX_WORDS:
        return False
    hits = len(_COOKIE.findall(text))
    return hits >= 2 and hits / len(words) >= COOKIE_WALL_DENSITY


def require_prose(text: str, source: str, what: str = "file") -> str:
    """Return `text`, or raise EmptyArticleError saying why `source` has nothing to read."""
    if not text.strip():
        raise EmptyArticleError(f"{source}: the {what} is empty: give a source with article text")
    if is_cookie_wall(text):
        raise EmptyArticleError(
            f"{source}: only a cookie/consent notice, no article: save the page from a browser "
            "after accepting, and give the .html file"
        )
    if not has_sentence(text):
        raise EmptyArticleError(
            f"{source}: no sentences to read (only links, headings or a list?): "
            "give the article itself"
        )
    return text
