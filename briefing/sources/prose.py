"""Is there something worth reading aloud? Checks shared by every kind of source."""

from __future__ import annotations

import re

from briefing.errors import EmptyArticleError

_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.I)
# A sentence: at least MIN_SENTENCE_WORDS words, ending in terminal punctuation
# (Latin, CJK, Devanagari, Arabic), optionally followed by a closing quote or bracket.
# One search finds a sentence of MIN_SENTENCE_WORDS words or more (or one ended the CJK
# way): a stretch between breaks (stops, newlines), closing marks right after a stop
# belonging to the stop, ending in a stop followed by a space or the end. Linear time on
# any input: every candidate starts at a break (a character class, which the engine skips
# to), and no quantifier gives back what it took (possessive), so each character is
# scanned a bounded number of times. Before, a line with no full stop was rescanned from
# every position (40 kB of one word took 29 s), and every short candidate went through
# Python. "…" ends a stretch too.
_BREAKS = ".!?。！？।؟…"
_CLOSERS = "\"'”’)\\]"
MIN_SENTENCE_WORDS = 4  # "Prices rose sharply." is 3; a real story has longer ones
_GAP = r"[^\S\n]"  # whitespace within a line
_TOKEN = rf"[^\s{_BREAKS}]"
_END = rf"[{_CLOSERS}]*+(?=\s|$)"
_STRETCH = (
    rf"(?:[{_CLOSERS}]*+{_GAP}*+(?:{_TOKEN}++{_GAP}++){{{MIN_SENTENCE_WORDS - 1},}}+"
    rf"{_TOKEN}*+[{_BREAKS}]++{_END}|[^{_BREAKS}\n]++[{_BREAKS}]*?[。！？][{_BREAKS}]*+{_END})"
)
_FIRST_SENTENCE = re.compile(_STRETCH)  # at the very start
_LATER_SENTENCE = re.compile(rf"[{_BREAKS}\n]{_STRETCH}")  # after a break
_COOKIE = re.compile(
    r"\b(cookies?|consent|gdpr|privacy (?:policy|settings)|accept all|manage (?:options|"
    r"preferences|settings)|partners|personali[sz]ed ads|tracking|datenschutz|"
    r"einwilligung|zustimm\w*|akzeptieren)\b",
    re.I,
)
NO_SENTENCES = ("{source}: no sentences to read (only links, headings or a list?): "
                "give the article itself")
COOKIE_WALL_MAX_WORDS = 250  # consent dialogs run 50-200 words; an article with a notice is longer
COOKIE_WALL_DENSITY = 0.03  # share of words that are consent vocabulary in a dialog (prose: ~0)


def has_sentence(text: str) -> bool:
    """True when `text` holds at least one real sentence (not just links or headlines)."""
    text = _URL.sub(" ", text)
    return bool(_FIRST_SENTENCE.match(text) or _LATER_SENTENCE.search(text))


def is_cookie_wall(text: str) -> bool:
    """True when `text` is a consent/cookie dialog and nothing else."""
    if len(text) > COOKIE_WALL_MAX_WORDS * 40:  # cheap first: no dialog is that long
        return False
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
        raise EmptyArticleError(NO_SENTENCES.format(source=source))
    return text
